/**
 * A call between two headless Chromium sessions (fake camera and microphone) relayed by coturn
 * on loopback, with the web client's call module (web/calls.js): `iceTransportPolicy: 'relay'`,
 * TURN REST credentials made with the coturn's secret, and the offer, answer and candidates
 * sealed with the conversation key of web/crypto.js before they leave a page. getStats() must
 * show media flowing both ways over a relay-relay candidate pair.
 *
 * Needs no Guardyn server (the signals are carried by the test); the call through the call
 * service is test/e2e/web-calls.test.ts. Skips (saying why) when chromium or turnserver is missing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WEB_ROOT } from '../../gateways/http/web-client.ts';
import { startTestTurn, TURNSERVER, TURN_SKIP_REASON, type TestTurn } from '../support/turn.ts';
import { CHROMIUM, CHROMIUM_SKIP_REASON, launchCallBrowser, waitForRelayedMedia } from '../support/call-browser.ts';

const skip = CHROMIUM === undefined ? CHROMIUM_SKIP_REASON : TURNSERVER === undefined ? TURN_SKIP_REASON : false;

// The page's own script sets up the peer (functions written in the test would reach the page
// through the test runner's transpiler, which adds helpers the page does not have).
const PAGE = `<!doctype html><meta charset="utf-8"><title>call relay test</title>
<script type="module">
import * as calls from '/web/calls.js';
import * as keys from '/web/crypto.js';
let answered;
const w = window;
w.calls = calls;
w.keys = keys;
w.answered = new Promise((resolve) => (answered = resolve));
w.setup = async (peerPub, peerId) => {
  w.key = await keys.conversationKey(w.deviceKeys, w.userId, Uint8Array.from(peerPub), peerId);
  w.peer = calls.callPeer({ iceServers: w.iceServers, relayOnly: true, video: true, key: w.key, send: (bytes) => w.deliver(Array.from(bytes)) });
};
w.offer = async () => Array.from(await w.peer.offer());
w.answer = async (offer) => {
  const a = Array.from(await w.peer.answer(Uint8Array.from(offer)));
  answered();
  return a;
};
w.receive = async (bytes, waitAnswer) => {
  if (waitAnswer) await w.answered;
  return w.peer.receive(Uint8Array.from(bytes));
};
w.hangUp = () => {
  w.peer.close();
  return { signaling: w.peer.pc.signalingState, tracks: w.peer.localStream.getTracks().map((t) => t.readyState) };
};
w.ready = true;
</script>`;

describe('a call relayed by coturn between two headless Chromium sessions', { skip }, () => {
  let turn: TestTurn;
  let server: http.Server;
  let browser: Browser;
  let base: string;

  before(async () => {
    turn = await startTestTurn();
    // getUserMedia needs a secure context: the page comes from http://localhost.
    server = http.createServer((req, res) => {
      const name = req.url === '/' ? undefined : /^\/web\/([a-z0-9-]+\.js)$/.exec(req.url ?? '')?.[1];
      if (req.url === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      const file = name === undefined ? undefined : path.join(WEB_ROOT, name);
      if (file === undefined || !fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://localhost:${(server.address() as { port: number }).port}`;
    browser = await launchCallBrowser();
  });
  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
    await turn?.stop();
  });

  async function open(userId: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    const credential = turn.credential(userId);
    await page.goto(`${base}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    await page.evaluate(
      async ([userId, username, password, uris]) => {
        const w = window as any;
        w.userId = userId;
        w.iceServers = w.calls.iceServersOf({ uris, username, password });
        w.deviceKeys = await w.keys.newDeviceKeys();
      },
      [userId, credential.username, credential.password, turn.uris] as const,
    );
    return page;
  }

  it('carries audio and video both ways over a relay candidate pair, with sealed signals only', async () => {
    const [alice, bob] = [await open('alice'), await open('bob')];
    // Each side derives the conversation key from the other's public key, as the web client does.
    const publicKey = (p: Page) => p.evaluate(() => Array.from((window as any).deviceKeys.publicRaw as Uint8Array));
    const [alicePub, bobPub] = [await publicKey(alice), await publicKey(bob)];
    const seen: { from: string; bytes: number[] }[] = [];
    const wire = async (from: Page, fromName: string, to: Page, peerPub: number[], peerId: string) => {
      // Candidates from the callee wait (in the caller's page) until its answer has been made.
      await from.exposeFunction('deliver', async (bytes: number[]) => {
        seen.push({ from: fromName, bytes });
        await to.evaluate(([b, wait]) => (window as any).receive(b, wait), [bytes, fromName === 'alice'] as const);
      });
      await from.evaluate(([pub, id]) => (window as any).setup(pub, id), [peerPub, peerId] as const);
    };
    await wire(alice, 'alice', bob, bobPub, 'bob');
    await wire(bob, 'bob', alice, alicePub, 'alice');

    const offer: number[] = await alice.evaluate(() => (window as any).offer());
    const answer: number[] = await bob.evaluate((o) => (window as any).answer(o), offer);
    assert.equal(await alice.evaluate((a) => (window as any).receive(a, false), answer), true);

    const [aliceStats, bobStats] = await Promise.all([
      waitForRelayedMedia(alice, turn.output),
      waitForRelayedMedia(bob, turn.output),
    ]);
    for (const stats of [aliceStats, bobStats]) {
      assert.equal(stats.pair?.local.candidateType, 'relay');
      assert.equal(stats.pair?.remote.candidateType, 'relay');
      assert.ok(stats.pair!.bytesReceived > 0 && stats.inbound.bytes > 0, JSON.stringify(stats));
      assert.deepEqual([...stats.inbound.kinds].sort(), ['audio', 'video']);
    }

    // What crossed between the pages: opaque bytes, no SDP or candidate text.
    assert.ok(seen.some((s) => s.from === 'bob') && seen.some((s) => s.from === 'alice'), 'both sides sent candidates');
    for (const bytes of [offer, answer, ...seen.map((s) => s.bytes)]) {
      const text = Buffer.from(bytes).toString('latin1');
      assert.ok(!/v=0|a=fingerprint|candidate|typ relay/.test(text), 'a signal crossed in the clear');
    }
    // A page with another key cannot open them.
    const stranger = await open('mallory');
    const opened = await stranger.evaluate(
      async ([o, pub]) => {
        const w = window as any;
        const key = await w.keys.conversationKey(w.deviceKeys, 'mallory', Uint8Array.from(pub), 'alice');
        return (await w.calls.openSignal(key, Uint8Array.from(o))) !== undefined;
      },
      [offer, alicePub] as const,
    );
    assert.equal(opened, false);

    // Hang up: both connections close and their tracks stop.
    for (const page of [alice, bob]) {
      const ended: { signaling: string; tracks: string[] } = await page.evaluate(() => (window as any).hangUp());
      assert.equal(ended.signaling, 'closed');
      assert.ok(ended.tracks.every((s: string) => s === 'ended'));
    }
  });
});
