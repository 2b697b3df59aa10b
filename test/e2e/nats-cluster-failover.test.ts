/**
 * Scale-out on loopback: a 3-node nats-server cluster (streams with three
 * replicas), two messaging gateways and an auth gateway as their own processes
 * (`guardyn serve <role>`), and the projection worker; a steady SendMessage
 * load from a few clients, each retrying a failed send with the same
 * client_message_id as the contract allows. One NATS node that does not lead
 * the MESSAGES stream is killed with SIGKILL and restarted, then the MESSAGES
 * stream's leader is. Afterwards every acknowledged send is in the views
 * (GetMessages) and committed once in the stream, none twice, and writes
 * resumed within 5 s of the follower's kill; the leader's kill is measured
 * against a bound the server's own election sets (see ELECTION_BOUND_MS). A
 * recipient's ReceiveMessages stream, open throughout, got each message once
 * (the projections' consumers and the gateways' wake-ups resumed).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import os from 'node:os';
import path from 'node:path';
import { startNatsCluster, type TestNatsCluster } from '../support/nats-cluster.ts';
import { TEST_ENV, storesEnv, tempDataDir, uniqueName } from '../support/guardyn.ts';
import { startRole, type RoleProcess } from '../../bench/guardyn-process.ts';
import { bearer, serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';
import { EventLog } from '../../streams/log.ts';
import { commitSource } from '../../streams/commit-follower.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { silentLogger } from '../../runtime/logger.ts';

/** Writes resume within this after a node's loss (issue 9). */
const RESUME_TARGET_MS = 5000;
/**
 * When the stream's leader dies, nats-server's followers wait out a Raft election timeout of
 * 4 to 9 s (fixed in the server, not configurable) before one campaigns: writes to the stream
 * cannot resume sooner. Measured and printed; asserted against that bound plus 3 s (a resend, a
 * client retry, a busy machine).
 */
const ELECTION_BOUND_MS = 9000 + 3000;
const CLIENTS = 4;
const RATE_PER_CLIENT = 15;

interface User {
  readonly id: string;
  readonly token: string;
}
interface Acked {
  readonly cid: string;
  readonly from: User;
  readonly to: User;
  readonly messageId: string;
  readonly seq: number;
  readonly at: number;
  readonly tries: number;
}

/** The longest stretch without an acknowledgement inside [from, to], the edges included. */
function longestHole(ackTimes: readonly number[], from: number, to: number): number {
  const inside = ackTimes.filter((t) => t > from && t < to).sort((a, b) => a - b);
  let prev = Math.max(...ackTimes.filter((t) => t <= from), from - 1000);
  let hole = 0;
  for (const t of [...inside, to]) {
    hole = Math.max(hole, t - prev);
    prev = t;
  }
  return hole;
}

describe('a NATS node dies under SendMessage load', { timeout: 240_000 }, () => {
  let cluster: TestNatsCluster;
  let dataDir: string;
  /** The roles' logs, kept when the test fails. */
  let logDir: string;
  let passed = 0;
  let users: User[] = [];
  let gateways: ServiceClient[] = [];
  const roles: RoleProcess[] = [];
  const clients: ServiceClient[] = [];

  before(async () => {
    cluster = await startNatsCluster();
    dataDir = tempDataDir();
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-failover-logs-'));
    const env = {
      ...TEST_ENV,
      GUARDYN_MESSAGING__NATS_URL: cluster.url,
      ...(await storesEnv(dataDir)),
      GUARDYN_MESSAGING__STREAM_REPLICAS: '3',
      GUARDYN_LOG_LEVEL: 'error',
    };
    // The first role creates the streams (R3); the others then start side by side.
    roles.push(await startRole('auth', env, { logFile: path.join(logDir, 'auth.log') }));
    roles.push(
      ...(await Promise.all(
        ['messaging', 'messaging', 'projections'].map((role, i) =>
          startRole(role as 'messaging' | 'projections', env, { logFile: path.join(logDir, `${role}-${i}.log`) }),
        ),
      )),
    );
  });

  after(async () => {
    for (const c of clients) c.close();
    for (const r of roles.reverse()) await r.stop().catch(() => undefined);
    await cluster?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    if (passed === 2) fs.rmSync(logDir, { recursive: true, force: true });
    else if (logDir) console.log(`# the roles' logs are kept in ${logDir}`);
  });

  it('keeps every acknowledged send, once, and resumes writes', async () => {
    const [authRole, gw1, gw2] = roles;
    const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${authRole!.port}`);
    gateways = [gw1!, gw2!].map((g) => serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${g.port}`));
    clients.push(auth, ...gateways);

    users = await Promise.all(
      Array.from({ length: 2 * CLIENTS }, async () => {
        const r = await auth.Register!({ username: uniqueName('failover'), password: 'correct horse battery' });
        assert.equal(r.result, 'success', JSON.stringify(r.error));
        return { id: r.success.user_id as string, token: r.success.access_token as string };
      }),
    );
    // Sessions and users reach the views before the load starts (the gateways check tokens against them).
    for (const g of gateways) {
      for (let i = 0; ; i++) {
        const r = await g.GetConversations!({}, bearer(users.at(-1)!.token));
        if (r.result === 'success') break;
        assert.ok(i < 100, `the views caught up with the registrations: ${JSON.stringify(r.error)}`);
        await sleep(100);
      }
    }

    // A recipient's live delivery stream on the second gateway, open through both kills.
    const watcher = users[0]!;
    const delivered: string[] = [];
    const raw = gateways[1]!.raw as unknown as Record<
      string,
      (req: unknown, md: grpc.Metadata) => grpc.ClientReadableStream<{ message_id: string }>
    >;
    const feed = raw['ReceiveMessages']!.call(gateways[1]!.raw, {}, bearer(watcher.token));
    feed.on('data', (m: { message_id: string }) => delivered.push(m.message_id));
    feed.on('error', () => undefined);

    const acked: Acked[] = [];
    const failures: string[] = [];
    let running = true;
    /** One client: sends at a steady rate through its gateway; a failed send is retried with the same client_message_id. */
    const client = async (k: number) => {
      const from = users[k]!;
      const peers = users.filter((u) => u !== from);
      const gateway = gateways[k % gateways.length]!;
      const started = Date.now();
      for (let i = 0; running; i++) {
        const due = started + (i * 1000) / RATE_PER_CLIENT;
        if (due > Date.now()) await sleep(due - Date.now());
        const to = peers[i % peers.length]!;
        const cid = `c${k}-${i}`;
        for (let tries = 1; ; tries++) {
          const r = await gateway.SendMessage!(
            {
              recipient_user_id: to.id,
              encrypted_content: Buffer.from(cid),
              message_type: 'TEXT',
              client_message_id: cid,
            },
            bearer(from.token),
          ).catch((err: Error) => ({ result: 'grpc', error: { code: err.message } }) as Record<string, any>);
          if (r.result === 'success') {
            acked.push({
              cid,
              from,
              to,
              messageId: r.success.message_id,
              seq: Number(r.success.consistency.seq),
              at: Date.now(),
              tries,
            });
            break;
          }
          if (r.error?.code !== 'SERVICE_UNAVAILABLE') failures.push(`${cid}: ${JSON.stringify(r.error)}`);
          if (tries >= 100) throw new Error(`${cid} never went through: ${JSON.stringify(r.error)}`);
          await sleep(200);
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
    const ackTimes = () => acked.map((a) => a.at);

    try {
      await sleep(3000);
      assert.ok(acked.length > 20, `the load runs (${acked.length} acknowledged)`);

      // 1. A node that does not lead the MESSAGES stream.
      const leader = await cluster.streamLeader(STREAMS.messages);
      assert.ok(leader, 'MESSAGES has a leader');
      const follower = cluster.nodes.find((n) => n.name !== leader)!.name;
      const followerKilled = Date.now();
      await cluster.kill(follower);
      await sleep(6000);
      const followerHole = longestHole(ackTimes(), followerKilled, Date.now());
      await cluster.restart(follower);
      await sleep(4000);

      // 2. The MESSAGES stream's leader: the hardest case.
      const leader2 = (await cluster.streamLeader(STREAMS.messages))!;
      const leaderKilled = Date.now();
      await cluster.kill(leader2);
      const resumeDeadline = Date.now() + 20_000;
      while (!acked.some((a) => a.at > leaderKilled + 200) && Date.now() < resumeDeadline) await sleep(100);
      await sleep(3000);
      const leaderHole = longestHole(ackTimes(), leaderKilled, Date.now());
      const newLeader = await cluster.streamLeader(STREAMS.messages);
      await cluster.restart(leader2);
      await sleep(3000);
      running = false;
      await load;

      const retried = acked.filter((a) => a.tries > 1).length;
      console.log(
        `# failover: ${acked.length} sends acknowledged (${retried} after a client retry); ` +
          `longest wait for an ack: ${followerHole} ms after killing follower ${follower}, ` +
          `${leaderHole} ms after killing MESSAGES leader ${leader2} (new leader ${newLeader}); target ${RESUME_TARGET_MS} ms`,
      );
      assert.deepEqual(failures, [], 'only SERVICE_UNAVAILABLE while a node is gone');
      assert.ok(
        followerHole < RESUME_TARGET_MS,
        `writes resumed ${followerHole} ms after a follower's kill (target < ${RESUME_TARGET_MS} ms)`,
      );
      assert.ok(
        leaderHole < ELECTION_BOUND_MS,
        `writes resumed ${leaderHole} ms after the leader's kill (bound ${ELECTION_BOUND_MS} ms: election timeout + a retry)`,
      );
      assert.notEqual(newLeader, leader2, 'another node leads MESSAGES');
    } finally {
      running = false;
      await load.catch(() => undefined);
    }

    // Every acknowledged send answered with one message id per client_message_id.
    const byCid = new Map<string, Acked>();
    for (const a of acked) {
      assert.ok(!byCid.has(a.cid), `${a.cid} acknowledged once`);
      byCid.set(a.cid, a);
    }

    // The stream: each acknowledged message committed exactly once.
    await cluster.waitFormed(30_000);
    const log = await EventLog.connect(cluster.url, eventRegistry, silentLogger, 'failover-check');
    const committed = new Map<string, number>();
    try {
      const last = await log.lastSeq(STREAMS.messages);
      const commits = commitSource(log, STREAMS.messages).follow(0);
      for await (const { seq, commit } of commits) {
        assert.ok(commit !== undefined, `the commit at ${seq} decodes`);
        for (const e of commit.events) {
          if (e.type === 'MessageSent') {
            const id = (e.data as { messageId: string }).messageId;
            committed.set(id, (committed.get(id) ?? 0) + 1);
          }
        }
        if (seq >= last) break;
      }
      await commits.close();
    } finally {
      await log.close();
    }
    for (const a of acked) assert.equal(committed.get(a.messageId), 1, `${a.cid} (${a.messageId}) committed once`);
    assert.ok(
      [...committed.values()].every((n) => n === 1),
      'no message committed twice',
    );

    // The views: every acknowledged send in its conversation's timeline, once.
    const maxSeq = Math.max(...acked.map((a) => a.seq));
    const pairs = new Map<string, { from: User; to: User; expected: Set<string> }>();
    for (const a of acked) {
      const key = [a.from.id, a.to.id].sort().join('|');
      const pair = pairs.get(key) ?? { from: a.from, to: a.to, expected: new Set<string>() };
      pair.expected.add(a.messageId);
      pairs.set(key, pair);
    }
    for (const { from, to, expected } of pairs.values()) {
      const seen: string[] = [];
      let cursor = '';
      let minSeq = String(maxSeq);
      for (let page = 0; page < 100; page++) {
        const r = await gateways[page % 2]!.GetMessages!(
          { conversation_user_id: to.id, limit: 100, cursor, min_seq: minSeq },
          bearer(from.token),
        );
        assert.equal(r.result, 'success', JSON.stringify(r.error));
        if (r.success.stale) {
          await sleep(200);
          continue;
        }
        seen.push(...r.success.messages.map((m: { message_id: string }) => m.message_id));
        cursor = r.success.next_cursor;
        minSeq = '0';
        if (!cursor) break;
      }
      assert.equal(new Set(seen).size, seen.length, `no message twice between ${from.id} and ${to.id}`);
      const missing = [...expected].filter((id) => !seen.includes(id));
      assert.deepEqual(missing, [], `every acknowledged send between ${from.id} and ${to.id} is in the timeline`);
    }

    // The live stream kept delivering across both kills: every acknowledged message to the watcher, once.
    const toWatcher = acked.filter((a) => a.to === watcher).map((a) => a.messageId);
    assert.ok(toWatcher.length > 10, `the watcher was sent to (${toWatcher.length})`);
    const feedDeadline = Date.now() + 20_000;
    while (!toWatcher.every((id) => delivered.includes(id)) && Date.now() < feedDeadline) await sleep(200);
    feed.cancel();
    assert.deepEqual(
      toWatcher.filter((id) => !delivered.includes(id)),
      [],
      'every message to the watcher was delivered on its open stream',
    );
    assert.equal(new Set(delivered).size, delivered.length, 'nothing delivered twice');
    passed += 1;
  });

  it('answers SERVICE_UNAVAILABLE without a quorum, and a retry with the same client_message_id gives one message', async () => {
    const [from, to] = [users[1]!, users[2]!];
    const send = (gateway: ServiceClient) =>
      gateway.SendMessage!(
        {
          recipient_user_id: to.id,
          encrypted_content: Buffer.from('q'),
          message_type: 'TEXT',
          client_message_id: 'no-quorum-1',
        },
        bearer(from.token),
      );
    const survivor = (await cluster.streamLeader(STREAMS.messages))!;
    const others = cluster.nodes.filter((n) => n.name !== survivor).map((n) => n.name);
    await Promise.all(others.map((n) => cluster.kill(n)));
    try {
      const t0 = Date.now();
      const r = await send(gateways[0]!);
      const took = Date.now() - t0;
      assert.equal(r.result, 'error', `no quorum, yet: ${JSON.stringify(r.success)}`);
      assert.equal(r.error.code, 'SERVICE_UNAVAILABLE');
      assert.ok(took < 12_000, `answered in ${took} ms, not left hanging`);
    } finally {
      for (const n of others) await cluster.restart(n);
    }
    // The client retries through the other gateway until the stream has its quorum again.
    let r: Record<string, any> = {};
    const retried = Date.now();
    for (let tries = 1; Date.now() - retried < 60_000; tries++) {
      r = await send(gateways[1]!);
      if (r.result === 'success') {
        console.log(
          `# no quorum: the client's retry went through after ${tries} tries, ${Date.now() - retried} ms after the nodes' restart`,
        );
        break;
      }
      assert.equal(r.error.code, 'SERVICE_UNAVAILABLE');
      await sleep(500);
    }
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    // The views catch up (the projection worker's consumers recover with the quorum), then hold the message once.
    let page: Record<string, any> = {};
    const waited = Date.now();
    for (let i = 0; i < 30; i++) {
      page = await gateways[0]!.GetMessages!(
        { conversation_user_id: to.id, limit: 100, min_seq: r.success.consistency.seq },
        bearer(from.token),
      );
      assert.equal(page.result, 'success', JSON.stringify(page.error));
      if (!page.success.stale) break;
    }
    console.log(`# no quorum: the views had the retried message ${Date.now() - waited} ms after it was acknowledged`);
    assert.equal(page.success.stale, false, 'the views caught up after the quorum came back');
    // Pull consumers re-pull within ~5 s of losing their request to a dead leader (streams/pull.ts); with the
    // client library's 30 s default this took about 30 s.
    assert.ok(Date.now() - waited < 12_000, `the views caught up ${Date.now() - waited} ms after the ack (bound 12 s)`);
    const copies = page.success.messages.filter(
      (m: { message_id: string; client_message_id: string }) =>
        m.message_id === r.success.message_id || m.client_message_id === 'no-quorum-1',
    );
    assert.equal(copies.length, 1, 'one message for the client_message_id, though the first send may have landed late');
    passed += 1;
  });
});
