/**
 * Partitioned projections under fire: a gateway, two projection worker
 * processes sharing four partitions of the conversation-keyed views by lease,
 * and a steady SendMessage load over many conversations. One worker at a time
 * is killed with SIGKILL 20 times at random moments and started again. After
 * the load, once the views have caught up, they equal a rebuild from the
 * stream into a fresh data dir, and every acknowledged send is in the timeline
 * exactly once. It runs on the embedded stores (`npm test`) and on the production stores
 * (`npm run test:production`: key-value views in the TiKV stand-in, the timeline in Cassandra),
 * where a stale owner is kept out by versioned writes instead of an atomic fence (docs/adr/0220)
 * and a TiKV batch commits by one compare-and-swap of its redo record (docs/adr/0340).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, storesEnv, tempDataDir, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { copyDataKeys, dumpViews } from '../support/views.ts';
import { allProjections, type ViewName } from '../../projections/index.ts';
import { viewCheckpoint } from '../../projections/runtime/partitions.ts';
import { openTestStores } from '../support/stores.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { silentLogger } from '../../runtime/logger.ts';

const GUARDYN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'guardyn.js');
const PARTITIONS = 4;
const KILLS = 20;
const USERS = 10;
/**
 * On the production stores (test:production) a worker takes seconds more to start (it connects
 * to Cassandra and TiKV): the kills get a longer window and wait longer for a worker to be up.
 */
const PRODUCTION = ['GUARDYN_DATABASE__SCYLLADB_NODES', 'GUARDYN_DATABASE__TIKV_PD_ENDPOINTS'].some(
  (name) => (process.env[name] ?? '') !== '',
);
/** Between two sends of one sender: fewer commits on the production stores, whose fenced writes are slow. */
const SEND_PAUSE_MS = PRODUCTION ? 150 : 40;
/** The 20 kills fall in this window (stretched when restarts are slow, up to KILL_STRETCH_MS). */
const KILL_WINDOW_MS = PRODUCTION ? 90_000 : 45_000;
const KILL_STRETCH_MS = PRODUCTION ? 200_000 : 120_000;
/**
 * How long a kill waits for a worker to be up when both are starting (a busy machine starts one in
 * 10-30 s; on the production stores under load 20-30, connecting to Cassandra and TiKV, longer).
 */
const UP_WAIT_MS = PRODUCTION ? 45_000 : 20_000;
/** Owner records of the leases (fence\0<name>): who may write, not what a view holds; a rebuild has none. */
const FENCE_PREFIX = Buffer.from('fence\u0000').toString('hex');

interface Worker {
  readonly id: string;
  child: ChildProcess;
  /** Lines "lease taken" seen from this worker id, over all its incarnations. */
  taken: number;
  /** Of those, units taken over from the other worker (dead, or giving back beyond its share). */
  fromOther: number;
  started: Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** GUARDYN_TEST_DEBUG=1: the test's steps and the workers' logs on stderr. */
const DEBUG = process.env['GUARDYN_TEST_DEBUG'] === '1';
const t0 = Date.now();
const trace = (...what: unknown[]) => {
  if (DEBUG)
    process.stderr.write(`[partitions +${((Date.now() - t0) / 1000).toFixed(1)}s] ${what.map(String).join(' ')}\n`);
};

describe('partitioned projections: two workers, one killed 20 times', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  const workers: Worker[] = [];
  const partitionsEnv = { GUARDYN_PROJECTIONS__PARTITIONS: String(PARTITIONS) };

  function spawnWorker(w: { id: string; taken: number; fromOther: number }): {
    child: ChildProcess;
    started: Promise<void>;
  } {
    const child = spawn(process.execPath, [GUARDYN, 'serve', 'projections'], {
      env: {
        ...process.env,
        ...g.env,
        ...partitionsEnv,
        GUARDYN_PROJECTIONS__WORKER_ID: w.id,
        GUARDYN_PROJECTIONS__LEASE_MS: '1500',
        GUARDYN_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let markStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (DEBUG && !line.includes('"level":20')) process.stderr.write(`[${w.id}] ${line.slice(0, 300)}\n`);
        if (line.includes('"msg":"lease taken"')) {
          w.taken++;
          // Applying a unit already: up (a worker's first round takes its whole share, which on the
          // production stores of a busy machine takes tens of seconds before "started").
          markStarted();
          if (/"from":"w\d"/.test(line) && !line.includes(`"from":"${w.id}"`)) w.fromOther++;
        }
        if (line.includes('"msg":"projection worker started"')) markStarted();
      }
    });
    if (DEBUG) child.stderr!.on('data', (c: Buffer) => process.stderr.write(`[${w.id} stderr] ${c.toString()}`));
    else child.stderr!.resume();
    child.once('exit', () => markStarted());
    return { child, started };
  }

  /** After the kills: a worker that exits on its own is started again. */
  let supervising = false;
  let crashes = 0;
  before(async () => {
    nats = await withNatsServer();
    // The gateway reads the views' progress from the stores: it must know the partitions too.
    g = await startTestGuardyn(nats.url, { roles: ['auth', 'messaging'], env: partitionsEnv });
  });
  after(async () => {
    supervising = false;
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => exited(w.child)));
    await g?.stop();
    await nats?.stop();
  });

  // 80-120 s on two busy cores (4-6 min on the production stores under a load of 20+, up to 12 at
  // 30+): the kills take 45-90 s (worker restarts take seconds), the rest catch-up and rebuild.
  it('ends with views equal to a rebuild and every acknowledged send applied once', {
    timeout: PRODUCTION ? 900_000 : 360_000,
  }, async () => {
    const users = await Promise.all(
      Array.from({ length: USERS }, async () => {
        const r = await g.auth.Register!({ username: uniqueName('part'), password: 'correct horse battery' });
        return { id: r.success.user_id as string, token: r.success.access_token as string };
      }),
    );
    // Every pair of users: 45 conversations spread over the partitions.
    const pairs: [number, number][] = [];
    for (let a = 0; a < USERS; a++) for (let b = a + 1; b < USERS; b++) pairs.push([a, b]);

    for (const id of ['w1', 'w2']) {
      const w = { id, taken: 0, fromOther: 0 } as Worker;
      const { child, started } = spawnWorker(w);
      Object.assign(w, { child, started });
      workers.push(w);
    }
    await Promise.all(workers.map((w) => w.started));
    trace('workers up');

    // Steady load: a few senders in a loop, each send acknowledged before the next.
    let sent = 0;
    let failed = 0;
    let loading = true;
    const sender = async (k: number) => {
      let i = k;
      while (loading) {
        const [a, b] = pairs[i % pairs.length]!;
        const [from, to] = i % 2 === 0 ? [users[a]!, users[b]!] : [users[b]!, users[a]!];
        const r = await g.messaging.SendMessage!(
          { recipient_user_id: to.id, encrypted_content: Buffer.from(`m-${k}-${i}`), client_message_id: `m-${k}-${i}` },
          bearer(from.token),
        );
        if (r.result === 'success') sent++;
        else failed++;
        i += 7;
        await sleep(SEND_PAUSE_MS);
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, (_, k) => sender(k)));

    // 20 kills at random moments of a fixed window (so the run time stays bounded on a busy machine):
    // the victim is a worker that is up when there is one (the other may still be starting), else
    // a starting one. A worker is restarted as soon as it has died.
    const up = new Set<Worker>(workers);
    const watch = (w: Worker) => {
      void w.started.then(() => {
        if (w.child.exitCode === null && w.child.signalCode === null) up.add(w);
      });
    };
    const moments = Array.from({ length: KILLS }, () => Math.random() * KILL_WINDOW_MS).sort((a, b) => a - b);
    const killsFrom = Date.now();
    let killedUp = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(Math.max(300, killsFrom + moments[kill]! - Date.now()));
      // Both starting: give one of them time to come up (while the kills are within their stretch).
      if (up.size === 0 && Date.now() - killsFrom < KILL_STRETCH_MS)
        await Promise.race([...workers.map((w) => w.started), sleep(UP_WAIT_MS)]);
      const candidates = up.size > 0 ? [...up] : workers;
      const w = candidates[Math.floor(Math.random() * candidates.length)]!;
      const running = up.delete(w);
      if (running) killedUp++;
      trace('kill', kill + 1, w.id, running ? 'running' : 'starting', 'sent so far', sent);
      w.child.kill('SIGKILL');
      await exited(w.child);
      const { child, started } = spawnWorker(w);
      w.child = child;
      w.started = started;
      watch(w);
    }
    trace('kills of running workers', killedUp);
    assert.ok(killedUp >= KILLS / 4, `kills hit running workers (${killedUp} of ${KILLS})`);
    // From here a worker that exits on its own is started again, as a supervisor would (under a load of
    // 30 a worker can end on a timeout of the NATS server; the views must still catch up and be exact).
    const supervise = (w: Worker) => {
      void exited(w.child).then(() => {
        if (!supervising) return;
        crashes++;
        trace('worker exited on its own, started again', w.id);
        const { child, started } = spawnWorker(w);
        w.child = child;
        w.started = started;
        supervise(w);
      });
    };
    supervising = true;
    for (const w of workers) supervise(w);
    await sleep(1000);
    loading = false;
    await load;
    trace('load stopped', sent);
    assert.equal(failed, 0, 'the gateway acknowledged every send');
    assert.ok(sent > 100, `a real load ran (${sent} sends)`);

    // Catch-up: every view (every partition) reaches its stream's last sequence.
    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    const stores = await openTestStores(g.dataDir);
    try {
      const projections = allProjections(stores, log);
      // A view partition taken over at 0 catches up the whole stream through TiKV's per-key swaps
      // (the stand-in serves them one after another: minutes under a load of 30).
      const deadline = Date.now() + (PRODUCTION ? 420_000 : 60_000);
      for (;;) {
        const behind: string[] = [];
        for (const [name, p] of Object.entries(projections) as [ViewName, (typeof projections)[ViewName]][]) {
          const [applied, last] = [await viewCheckpoint(p, PARTITIONS), await log.lastSeq(p.stream)];
          if (applied < last) behind.push(`${name} ${applied}/${last}`);
        }
        if (behind.length === 0) break;
        trace('behind', behind.join(', '));
        assert.ok(Date.now() < deadline, `views did not catch up: ${behind.join(', ')}`);
        await sleep(200);
      }
    } finally {
      await stores.close();
      await log.close();
    }
    supervising = false;
    for (const w of workers) {
      w.child.kill('SIGTERM');
      await exited(w.child);
    }
    trace('caught up; workers stopped; workers that had exited on their own', crashes);
    assert.ok(
      workers.every((w) => w.taken > 0),
      `both workers held leases: ${workers.map((w) => `${w.id} ${w.taken}`).join(', ')}`,
    );
    assert.ok(workers.reduce((n, w) => n + w.taken, 0) >= KILLS, 'leases moved with the kills');
    assert.ok(workers.reduce((n, w) => n + w.fromOther, 0) > 0, 'a worker took units over from the other one');
    trace('leases taken', workers.map((w) => `${w.id} ${w.taken} (${w.fromOther} from the other)`).join(', '));

    // A rebuild from the stream into a fresh data dir (same partitions) equals the live views.
    const rebuiltDir = tempDataDir();
    try {
      await copyDataKeys(g.dataDir, rebuiltDir);
      const rebuild = spawnSync(process.execPath, [GUARDYN, 'rebuild', 'all'], {
        env: { ...process.env, ...g.env, ...partitionsEnv, ...(await storesEnv(rebuiltDir)) },
        encoding: 'utf8',
      });
      assert.equal(rebuild.status, 0, rebuild.stderr);
      trace('rebuilt');
      const conversations = [...new Set(pairs.map(([a, b]) => [users[a]!.id, users[b]!.id].sort().join(':')))];
      assert.equal(conversations.length, 45);
      const partitions = await conversationIds(nats.url);
      assert.equal(partitions.length, 45);
      const live = await dumpViews(g.dataDir, partitions);
      const rebuilt = await dumpViews(rebuiltDir, partitions);
      assert.equal(live.timeline.length, sent, 'every acknowledged send is in the timeline, once');
      assert.deepEqual(live.timeline, rebuilt.timeline);
      const liveKv = live.kv.filter((row) => !row.startsWith(FENCE_PREFIX));
      assert.ok(live.kv.length - liveKv.length >= PARTITIONS, "the live store holds the owners' fences");
      assert.ok(liveKv.length > 1000);
      assert.deepEqual(liveKv, rebuilt.kv);
      trace('compared', liveKv.length, 'rows');
    } finally {
      fs.rmSync(rebuiltDir, { recursive: true, force: true });
    }
  });
});

async function conversationIds(natsUrl: string): Promise<string[]> {
  const log = await EventLog.connect(natsUrl, eventRegistry, silentLogger);
  try {
    const info = await log.jsm.streams.info('MESSAGES', { subjects_filter: 'messages.conv.*' });
    return Object.keys(info.state.subjects ?? {}).map((s) => s.slice('messages.conv.'.length));
  } finally {
    await log.close();
  }
}
