/**
 * Calls in the web client, end to end: headless Chromium sessions (fake camera and microphone)
 * against a whole Guardyn with the calls role and a coturn on loopback. The pages force
 * `iceTransportPolicy: 'relay'`, so media can only flow through coturn, with the TURN REST
 * credentials the call service hands out. Checked: media both ways over a relay candidate pair
 * (getStats), hang up and both histories; a second callee device learns "answered elsewhere"; an
 * unanswered call becomes missed on both sides; a declined call; a stranger's call is refused.
 *
 * Skips (saying why) when chromium or turnserver is missing, or when this build has no calls role.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Browser, type Page } from 'playwright-core';
import { ROLES, type Role } from '../../bin/app.ts';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { startTestTurn, TURNSERVER, TURN_SKIP_REASON, type TestTurn } from '../support/turn.ts';
import { CHROMIUM, CHROMIUM_SKIP_REASON, launchCallBrowser, waitForRelayedMedia } from '../support/call-browser.ts';

const PASSWORD = 'correct horse battery staple';
const RING_TIMEOUT_MS = 6000;
const hasCalls = (ROLES as readonly string[]).includes('calls');
const skip =
  CHROMIUM === undefined
    ? CHROMIUM_SKIP_REASON
    : TURNSERVER === undefined
      ? TURN_SKIP_REASON
      : !hasCalls
        ? 'this build has no calls role: the web call test is skipped'
        : false;

describe('calls in the web client, relayed by coturn', { skip }, () => {
  let nats: TestNatsServer;
  let turn: TestTurn;
  let g: TestGuardyn;
  let browser: Browser;
  let base: string;
  const pages: Page[] = [];
  const problems: string[] = [];

  before(async () => {
    nats = await withNatsServer();
    turn = await startTestTurn();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'presence', 'projections', 'notifications', 'calls'] as Role[],
      env: { ...turn.env, GUARDYN_CALLS__RING_TIMEOUT_MS: String(RING_TIMEOUT_MS) },
    });
    base = `http://localhost:${g.ports.notifications}`;
    browser = await launchCallBrowser();
  });
  after(async () => {
    await browser?.close();
    await g?.stop();
    await turn?.stop();
    await nats?.stop();
  });

  async function session(): Promise<Page> {
    const context = await browser.newContext();
    // Relay only: a call connects through coturn or not at all.
    await context.addInitScript(
      () => ((window as unknown as { guardynCallRelayOnly: boolean }).guardynCallRelayOnly = true),
    );
    const page = await context.newPage();
    const name = `page${pages.length + 1}`;
    pages.push(page);
    page.on('pageerror', (err) => problems.push(`${name}: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${name}: ${msg.text()}`);
    });
    await page.goto(`${base}/`);
    return page;
  }

  async function enter(page: Page, username: string, action: '#register' | '#login'): Promise<void> {
    await page.fill('#username', username);
    await page.fill('#password', PASSWORD);
    await page.click(action);
    await page.waitForSelector('#chat:not([hidden])', { timeout: 15_000 });
    await page.waitForSelector('#connection.online', { timeout: 15_000 });
    await page.waitForFunction(() => document.body.classList.contains('calls-online'), undefined, { timeout: 15_000 });
  }

  async function pick(page: Page, username: string): Promise<void> {
    await page.fill('#contact', username);
    await page.click('#open-contact');
    await page.waitForFunction((name) => document.getElementById('peer-name')?.textContent === name, username, {
      timeout: 15_000,
    });
  }

  /** What the pages show and reported, for a failure's message. */
  const explain = async () => {
    const shown = await Promise.all(
      pages.map(
        async (p, i) =>
          `page${i + 1}: status=${JSON.stringify(await p.textContent('#status'))} call=${await p.getAttribute('#call', 'data-state')} ${JSON.stringify(await p.textContent('#call-status'))}`,
      ),
    );
    return `${shown.join('\n')}\n${problems.slice(-20).join('\n')}`;
  };
  const callState = async (page: Page, state: string) => {
    try {
      await page.waitForSelector(`#call[data-state="${state}"]`, { state: 'attached', timeout: 20_000 });
    } catch (err) {
      throw new Error(`call state ${state} not reached: ${(err as Error).message.split('\n')[0]}\n${await explain()}`);
    }
  };
  const callStatus = async (page: Page, pattern: RegExp) => {
    try {
      await page.waitForFunction(
        (source) => new RegExp(source).test(document.getElementById('call-status')?.textContent ?? ''),
        pattern.source,
        { timeout: 20_000 },
      );
    } catch (err) {
      throw new Error(`call status ${pattern} not shown: ${(err as Error).message.split('\n')[0]}\n${await explain()}`);
    }
  };
  const history = (page: Page) =>
    page.evaluate(async () => {
      const calls = (
        window as unknown as {
          guardynCalls: {
            refreshHistory(): Promise<void>;
            history(): { call_id: string; direction: string; state: string; end_reason: string; media: string }[];
          };
        }
      ).guardynCalls;
      await calls.refreshHistory();
      return calls.history();
    });

  let aliceName: string;
  let bobName: string;
  let alice: Page;
  let bob: Page;
  let bob2: Page;

  it('calls a contact with video through the relay: media both ways, answered elsewhere on the second device, hang up, both histories', async () => {
    aliceName = uniqueName('alice');
    bobName = uniqueName('bob');
    [alice, bob] = [await session(), await session()];
    await enter(alice, aliceName, '#register');
    await enter(bob, bobName, '#register');
    // A conversation first: one may ring only someone who can see them.
    await pick(alice, bobName);
    await alice.fill('#compose', 'call you?');
    await alice.press('#compose', 'Enter');
    await pick(bob, aliceName);
    await bob.waitForSelector('#messages li .text:text-is("call you?")', { timeout: 15_000 });
    // Bob's second device: another browser, logged in (it rings too).
    bob2 = await session();
    await enter(bob2, bobName, '#login');

    await alice.click('#call-video');
    await Promise.all([callState(bob, 'ringing'), callState(bob2, 'ringing')]);
    await callStatus(bob, new RegExp(`${aliceName} is calling \\(video\\)`));
    await bob.click('#answer-call');
    await Promise.all([callState(alice, 'in-call'), callState(bob, 'in-call')]);
    await callStatus(bob2, /Answered on another device/);

    const [a, b] = await Promise.all([
      waitForRelayedMedia(alice, turn.output, 60_000, 'window.guardynCalls'),
      waitForRelayedMedia(bob, turn.output, 60_000, 'window.guardynCalls'),
    ]);
    for (const stats of [a, b]) {
      assert.equal(stats.pair?.local.candidateType, 'relay');
      assert.equal(stats.pair?.remote.candidateType, 'relay');
      assert.ok(stats.pair!.bytesReceived > 0 && stats.inbound.bytes > 0, JSON.stringify(stats));
    }

    await alice.click('#hang-up');
    await Promise.all([callState(alice, 'idle'), callState(bob, 'idle')]);
    const [ha, hb] = [await history(alice), await history(bob)];
    assert.equal(ha[0]?.direction, 'outgoing');
    assert.equal(hb[0]?.direction, 'incoming');
    assert.equal(ha[0]?.call_id, hb[0]?.call_id);
    for (const h of [ha[0]!, hb[0]!]) {
      assert.equal(h.state, 'ended');
      assert.equal(h.end_reason, 'hung_up');
      assert.equal(h.media, 'video');
    }
    await bob.waitForSelector(`#call-history li[data-call-id="${hb[0]!.call_id}"][data-outcome="hung_up"]`, {
      timeout: 10_000,
    });
  });

  it('an unanswered call becomes a missed-call entry on both sides', async () => {
    await alice.click('#call-audio');
    await callState(bob, 'ringing');
    await Promise.all([callStatus(alice, /Missed call/), callStatus(bob, /Missed call/)]);
    const [ha, hb] = [await history(alice), await history(bob)];
    assert.equal(ha[0]?.end_reason, 'missed');
    assert.equal(hb[0]?.end_reason, 'missed');
    await bob.waitForSelector(`#call-history li.missed[data-call-id="${hb[0]!.call_id}"]`, { timeout: 10_000 });
  });

  it('a declined call ends on both sides', async () => {
    await alice.click('#call-audio');
    await callState(bob, 'ringing');
    await bob.click('#reject-call');
    await callStatus(alice, /Declined/);
    assert.equal((await history(alice))[0]?.end_reason, 'rejected_declined');
  });

  it("a stranger's call is refused and rings nobody", async () => {
    const mallory = await session();
    const malloryName = uniqueName('mallory');
    await enter(mallory, malloryName, '#register');
    await pick(mallory, aliceName);
    await mallory.click('#call-audio');
    await callStatus(mallory, /Call failed: FORBIDDEN/);
    assert.equal(await alice.getAttribute('#call', 'data-state'), 'idle');
    assert.deepEqual(await history(mallory), []);
  });
});
