/**
 * Stream replicas: `auto` gives 3 on a 3-node JetStream cluster and 1 on a
 * single server (both real nats-servers started here), explicit numbers win,
 * and a bad GUARDYN_MESSAGING__STREAM_REPLICAS stops the start naming it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { withNatsServer, type TestNatsServer } from '../test/support/nats.ts';
import { findNatsServer } from '../ops/nats/local-server.ts';
import { silentLogger } from '../runtime/logger.ts';
import { ConfigError, loadConfig } from '../runtime/config.ts';
import { EventLog } from './log.ts';
import { eventRegistry } from './events/index.ts';
import { streamSpecs } from './specs.ts';
import { STREAMS } from './subjects.ts';
import { clusterSize, streamReplicas } from './replicas.ts';

describe('the replica setting', () => {
  it('auto: 3 on a cluster of 3 or more servers, else 1; a number wins', () => {
    assert.equal(streamReplicas('auto', undefined), 1);
    assert.equal(streamReplicas('auto', { connect_urls: ['a:4222', 'b:4222', 'c:4222'] }), 1, 'no cluster name: not clustered');
    assert.equal(streamReplicas('auto', { cluster: 'g', connect_urls: ['a:4222', 'b:4222'] }), 1);
    assert.equal(streamReplicas('auto', { cluster: 'g', connect_urls: ['a:4222', 'b:4222', 'c:4222'] }), 3);
    assert.equal(streamReplicas('auto', { cluster: 'g', connect_urls: ['a', 'b', 'c', 'd', 'e'] }), 3);
    assert.equal(clusterSize({ cluster: 'g', connect_urls: ['a', 'a', 'b'] }), 2, 'a URL counts once');
    assert.equal(streamReplicas(5, undefined), 5);
  });

  it('GUARDYN_MESSAGING__STREAM_REPLICAS: auto by default, 1-5, anything else refused by name', () => {
    assert.equal(loadConfig({}).messaging.streamReplicas, 'auto');
    assert.equal(loadConfig({ GUARDYN_MESSAGING__STREAM_REPLICAS: 'AUTO' }).messaging.streamReplicas, 'auto');
    assert.equal(loadConfig({ GUARDYN_MESSAGING__STREAM_REPLICAS: '3' }).messaging.streamReplicas, 3);
    for (const bad of ['0', '6', 'three', '-1', '2.5']) {
      assert.throws(() => loadConfig({ GUARDYN_MESSAGING__STREAM_REPLICAS: bad }), (err: Error) => err instanceof ConfigError && err.message.includes('GUARDYN_MESSAGING__STREAM_REPLICAS'), bad);
    }
  });
});

describe('on a single server', () => {
  let nats: TestNatsServer;
  before(async () => { nats = await withNatsServer(); });
  after(async () => { await nats?.stop(); });

  it('auto creates the streams with one replica', async () => {
    const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    try {
      const replicas = streamReplicas('auto', log.nc.info);
      assert.equal(replicas, 1);
      await log.ensureStreams(streamSpecs(replicas));
      const info = await log.jsm.streams.info(STREAMS.messages);
      assert.equal(info.config.num_replicas, 1);
    } finally {
      await log.close();
    }
  });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Three nats-servers clustered on loopback, each with its own store; stopped by pid. */
async function startCluster(): Promise<{ urls: string[]; stop(): Promise<void> }> {
  const binary = findNatsServer();
  assert.ok(binary, 'a nats-server binary');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-cluster-'));
  const ports = await Promise.all([0, 1, 2].map(async () => ({ client: await freePort(), cluster: await freePort() })));
  const children: ChildProcess[] = [];
  for (const [i, p] of ports.entries()) {
    const conf = path.join(dir, `n${i}.conf`);
    fs.writeFileSync(conf, [
      `server_name: n${i}`, 'listen: 127.0.0.1:' + p.client,
      `jetstream { store_dir: "${path.join(dir, `store${i}`)}" }`,
      `cluster { name: guardyn, listen: 127.0.0.1:${p.cluster}, routes: [${ports.map((q) => `nats://127.0.0.1:${q.cluster}`).join(', ')}] }`,
    ].join('\n'));
    children.push(spawn(binary, ['-c', conf], { stdio: 'ignore' }));
  }
  const stop = async () => {
    await Promise.all(children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.pid === undefined) return resolve();
      c.once('exit', () => resolve());
      process.kill(c.pid, 'SIGTERM');
    })));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { urls: ports.map((p) => `nats://127.0.0.1:${p.client}`), stop };
}

describe('on a 3-node JetStream cluster', () => {
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  before(async () => { cluster = await startCluster(); });
  after(async () => { await cluster?.stop(); });

  it('auto creates the streams with three replicas, placed on all three servers', async () => {
    const url = cluster!.urls[0]!;
    // Wait until the cluster has formed (routes up, JetStream meta leader elected), as a pod's readiness would.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const nc = await connect({ servers: url, reconnect: false, timeout: 1000 });
        try {
          const size = new Set(nc.info?.connect_urls ?? []).size;
          await (await jetstreamManager(nc, { timeout: 1000 })).getAccountInfo();
          if (size >= 3) break;
        } finally {
          await nc.close();
        }
      } catch { /* not yet */ }
      assert.ok(Date.now() < deadline, 'the cluster formed within 30 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    const log = await EventLog.connect(url, eventRegistry, silentLogger);
    try {
      const replicas = streamReplicas('auto', log.nc.info);
      assert.equal(replicas, 3);
      await log.ensureStreams(streamSpecs(replicas));
      for (const name of [STREAMS.accounts, STREAMS.messages, STREAMS.media]) {
        const info = await log.jsm.streams.info(name);
        assert.equal(info.config.num_replicas, 3, name);
        assert.equal(1 + (info.cluster?.replicas?.length ?? 0), 3, `${name} is placed on three servers`);
      }
    } finally {
      await log.close();
    }
  });
});
