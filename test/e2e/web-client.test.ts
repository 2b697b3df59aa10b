/**
 * The web client end to end in headless Chromium (Debian's chromium driven by
 * playwright-core): two browser sessions against a whole Guardyn register,
 * pick each other by username, and talk both ways in real time over the
 * WebSocket, seeing the other typing and their messages read; the server
 * holds only ciphertext. Screenshots go to .tmp/web-e2e/.
 *
 * Skips (saying why) when no chromium is installed; .ci/run installs it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = path.join(ROOT, '.tmp', 'web-e2e');
const CHROMIUM = [process.env['GUARDYN_CHROMIUM_BIN'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => p !== undefined && p !== '' && fs.existsSync(p),
);
const PASSWORD = 'correct horse battery staple';
const TOKEN_TTL_SECONDS = 12;

describe('web client in two headless Chromium sessions', {
  skip:
    CHROMIUM === undefined
      ? 'no chromium found (apt-get install chromium, or set GUARDYN_CHROMIUM_BIN): the browser test is skipped'
      : false,
}, () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let browser: Browser;
  let base: string;

  before(async () => {
    nats = await withNatsServer();
    // Short-lived access tokens: the pages must renew theirs (RefreshToken) to keep working.
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'presence', 'projections', 'notifications'],
      env: { GUARDYN_AUTH__ACCESS_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS) },
    });
    base = `http://localhost:${g.ports.notifications}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    fs.mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await g?.stop();
    await nats?.stop();
  });

  async function session(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 960, height: 640 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    (page as Page & { problems: string[] }).problems = problems;
    await page.goto(`${base}/`);
    return page;
  }

  async function register(page: Page, username: string): Promise<void> {
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click('#register');
    await page.waitForSelector('#chat:not([hidden])', { timeout: 15_000 });
    await page.waitForSelector('#connection.online', { timeout: 15_000 });
  }

  async function pick(page: Page, username: string): Promise<void> {
    await page.fill('#contact', username);
    await page.click('#open-contact');
    await page.waitForFunction((name) => document.getElementById('peer-name')?.textContent === name, username, {
      timeout: 15_000,
    });
    await page.waitForSelector('#compose:not([disabled])');
  }

  const bubble = (text: string) => `#messages li:has(.text:text-is("${text}"))`;

  it('registers two users who chat both ways with typing indicators and read receipts', async () => {
    const aliceName = uniqueName('alice');
    const bobName = uniqueName('bob');
    const alice = await session();
    const bob = await session();
    await register(alice, aliceName);
    await register(bob, bobName);
    assert.equal(await alice.textContent('#me'), aliceName);
    await pick(alice, bobName);
    await pick(bob, aliceName);

    // Alice types: Bob sees it.
    await alice.focus('#compose');
    await alice.keyboard.type('Hello Bob, this is secret', { delay: 15 });
    await bob.waitForSelector('#typing:not([hidden])', { timeout: 10_000 });
    assert.match((await bob.textContent('#typing'))!, new RegExp(`${aliceName} is typing`));
    await bob.screenshot({ path: path.join(SHOTS, 'bob-sees-typing.png') });
    await alice.click('#send');
    // Bob gets it live; it stops the indicator; Alice sees it read (Bob has the conversation open).
    await bob.waitForSelector(bubble('Hello Bob, this is secret'), { timeout: 10_000 });
    assert.equal(await bob.isHidden('#typing'), true);
    await alice.waitForSelector(`${bubble('Hello Bob, this is secret')} .status:text-is("read")`, { timeout: 10_000 });

    // And back.
    await bob.focus('#compose');
    await bob.keyboard.type('Hi Alice!', { delay: 15 });
    await alice.waitForSelector('#typing:not([hidden])', { timeout: 10_000 });
    await bob.keyboard.press('Enter');
    await alice.waitForSelector(bubble('Hi Alice!'), { timeout: 10_000 });
    await bob.waitForSelector(`${bubble('Hi Alice!')} .status:text-is("read")`, { timeout: 10_000 });
    await alice.fill('#compose', 'See you');
    await alice.press('#compose', 'Enter');
    await bob.waitForSelector(bubble('See you'), { timeout: 10_000 });
    await alice.waitForSelector(`${bubble('See you')} .status:text-is("read")`, { timeout: 10_000 });

    // Order as sent, on both sides.
    const texts = async (page: Page) => page.$$eval('#messages li .text', (els) => els.map((e) => e.textContent));
    assert.deepEqual(await texts(alice), ['Hello Bob, this is secret', 'Hi Alice!', 'See you']);
    assert.deepEqual(await texts(bob), ['Hello Bob, this is secret', 'Hi Alice!', 'See you']);

    await alice.screenshot({ path: path.join(SHOTS, 'alice.png') });
    await bob.screenshot({ path: path.join(SHOTS, 'bob.png') });

    // The server holds ciphertext only: none of the texts is in what it stores.
    const login = await g.auth.Login!({
      username: aliceName,
      password: PASSWORD,
      device_name: 'test',
      device_type: 'test',
    });
    const bobId = (await g.auth.SearchUsers!({ query: bobName, limit: 1 }, bearer(login.success.access_token))).success
      .users[0].user_id;
    const history = await g.messaging.GetMessages!(
      { conversation_user_id: bobId, limit: 10 },
      bearer(login.success.access_token),
    );
    assert.equal(history.success.messages.length, 3);
    for (const m of history.success.messages) {
      const stored = Buffer.from(m.encrypted_content);
      for (const plain of ['Hello Bob', 'secret', 'Hi Alice', 'See you'])
        assert.equal(stored.includes(Buffer.from(plain)), false, `plaintext ${plain} stored`);
      assert.ok(stored.length >= 12 + 16, 'IV and tag around the ciphertext');
    }

    // A reload logs in again with the keys kept in the browser and shows the history decrypted.
    await bob.reload();
    await bob.fill('#username', bobName);
    await bob.fill('#password', PASSWORD);
    await bob.click('#login');
    await bob.waitForSelector('#chat:not([hidden])', { timeout: 15_000 });
    await pick(bob, aliceName);
    await bob.waitForSelector(bubble('See you'), { timeout: 10_000 });
    assert.deepEqual(await texts(bob), ['Hello Bob, this is secret', 'Hi Alice!', 'See you']);

    for (const page of [alice, bob]) assert.deepEqual((page as Page & { problems: string[] }).problems, []);
  });

  it("keeps working past the access token's lifetime (the page renews it)", async () => {
    const carol = await session();
    const dave = await session();
    const carolName = uniqueName('carol');
    const daveName = uniqueName('dave');
    await register(carol, carolName);
    await register(dave, daveName);
    await sleep((TOKEN_TTL_SECONDS + 2) * 1000);
    // Both calls need a valid token: SearchUsers and GetKeyBundle over gRPC-Web, then the WebSocket.
    await pick(carol, daveName);
    await pick(dave, carolName);
    await carol.fill('#compose', 'still here');
    await carol.press('#compose', 'Enter');
    await dave.waitForSelector(bubble('still here'), { timeout: 15_000 });
    assert.equal(await carol.textContent('#status'), '');
  });

  it('shows a clear error for a wrong password and an unknown contact', async () => {
    const page = await session();
    const name = uniqueName('carol');
    await register(page, name);
    await pick(page, name).catch(() => undefined); // not found: searching never returns the caller
    assert.match((await page.textContent('#status'))!, /No user named/);
    const other = await session();
    await other.fill('#username', name);
    await other.fill('#password', 'wrong password!!');
    await other.click('#login');
    await other.waitForFunction(
      () => /Could not log in/.test(document.getElementById('status')?.textContent ?? ''),
      undefined,
      { timeout: 10_000 },
    );
    assert.match((await other.textContent('#status'))!, /UNAUTHORIZED/);
  });
});
