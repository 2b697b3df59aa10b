/**
 * Kill the projection worker in the middle of a batch and restart it: the
 * views equal a rebuild from the stream.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, storesEnv, tempDataDir, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearer } from '../../gateways/grpc/client.ts';
import { copyDataKeys, dumpViews } from '../support/views.ts';
import { VIEW_NAMES } from '../../projections/index.ts';

const GUARDYN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'guardyn.js');

function serveProjections(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [GUARDYN, 'serve', 'projections'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

async function checkpoints(
  natsUrl: string,
  stream = 'MESSAGES',
): Promise<{ last: number; acked: Record<string, number> }> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const last = (await jsm.streams.info(stream)).state.last_seq;
    const acked: Record<string, number> = {};
    // The views of a stream share one reader per store (views_<stream>, or views_<stream>_kv beside
    // view_timeline when the timeline has a store of its own); a view read alone has view_<name>.
    const consumers = new Set<string>();
    for await (const c of jsm.consumers.list(stream))
      if (c.name.startsWith('view_') || c.name.startsWith('views_')) consumers.add(c.name);
    for (const name of consumers) {
      // A restarting worker may be replacing its consumer right now: count that as nothing acknowledged.
      acked[name] = await jsm.consumers.info(stream, name).then(
        (i) => i.ack_floor.stream_seq,
        () => 0,
      );
    }
    return { last, acked };
  } finally {
    await nc.close();
  }
}

describe('projection worker crash', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  const children: ChildProcess[] = [];

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { roles: ['auth', 'messaging'] });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await g?.stop();
    await nats?.stop();
  });

  it('resumes after SIGKILL mid-batch and ends equal to a rebuild', async () => {
    const users = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const r = await g.auth.Register!({ username: uniqueName(), password: 'correct horse battery' });
        return { id: r.success.user_id as string, token: r.success.access_token as string };
      }),
    );
    const sendAll = async (n: number, tag: string) => {
      for (let i = 0; i < n; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(20, n - i) }, (_, j) => {
            const k = i + j;
            const from = users[k % 4]!;
            const to = users[(k + 1 + (k % 3)) % 4]!;
            return g.messaging.SendMessage!(
              {
                recipient_user_id: to.id,
                encrypted_content: Buffer.from(`${tag}-${k}`),
                client_message_id: `${tag}-${k}`,
              },
              bearer(from.token),
            );
          }),
        );
        for (const r of batch) assert.equal(r.result, 'success', JSON.stringify(r.error));
      }
    };
    await sendAll(300, 'before');

    // First worker: dies by SIGKILL inside a batch, after projecting its 150th commit into an unwritten transaction.
    const crashing = serveProjections({ ...g.env, GUARDYN_TEST_CRASH: 'timeline:150' });
    children.push(crashing);
    const crash = await exited(crashing);
    assert.equal(crash.signal, 'SIGKILL', 'the worker was killed mid-batch');
    const midway = await checkpoints(nats.url);
    const behind = Math.min(midway.last, ...Object.values(midway.acked));
    assert.ok(
      behind < midway.last,
      `crashed before finishing (acked ${JSON.stringify(midway.acked)} of ${midway.last})`,
    );

    await sendAll(100, 'after');

    // Second worker: resumes from its checkpoints and catches up.
    const resumed = serveProjections(g.env);
    children.push(resumed);
    const deadline = Date.now() + 60_000;
    for (;;) {
      // The views of the accounts stream too (users, sessions, keys, push tokens): all are compared below.
      const [now, accounts] = [await checkpoints(nats.url), await checkpoints(nats.url, 'ACCOUNTS')];
      const level = (c: { last: number; acked: Record<string, number> }) =>
        Object.keys(c.acked).length > 0 && Object.values(c.acked).every((s) => s === c.last);
      if (level(now) && level(accounts)) break;
      assert.ok(Date.now() < deadline, `views did not catch up: ${JSON.stringify({ now, accounts })}`);
      await sleep(100);
    }
    resumed.kill('SIGTERM');
    await exited(resumed);

    // A rebuild from the stream into a fresh data dir must equal the live views.
    const rebuiltDir = tempDataDir();
    try {
      // The data keys are not derived from the log: a rebuild into a new store carries them over first.
      assert.equal(await copyDataKeys(g.dataDir, rebuiltDir), 4);
      const rebuild = spawnSync(process.execPath, [GUARDYN, 'rebuild', 'all'], {
        env: { ...process.env, ...g.env, ...(await storesEnv(rebuiltDir)) },
        encoding: 'utf8',
      });
      assert.equal(rebuild.status, 0, rebuild.stderr);
      const nc = await connect({ servers: nats.url });
      const jsm = await jetstreamManager(nc);
      const subjects =
        (await jsm.streams.info('MESSAGES', { subjects_filter: 'messages.conv.*' })).state.subjects ?? {};
      await nc.close();
      const partitions = Object.keys(subjects).map((s) => s.slice('messages.conv.'.length));
      assert.ok(partitions.length >= 3);
      const live = await dumpViews(g.dataDir, partitions);
      const rebuilt = await dumpViews(rebuiltDir, partitions);
      assert.equal(live.timeline.length, 400);
      assert.deepEqual(live.timeline, rebuilt.timeline);
      assert.ok(live.kv.length > 100);
      assert.deepEqual(live.kv, rebuilt.kv);
      assert.ok(
        ['users', 'sessions', 'conversations', 'timeline', 'keys'].every((v) =>
          (VIEW_NAMES as readonly string[]).includes(v),
        ),
        'rebuild all covered every view',
      );
    } finally {
      fs.rmSync(rebuiltDir, { recursive: true, force: true });
    }
  });
});
