import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  NATS_SERVER_BIN_ENV,
  NatsServerNotFound,
  findNatsServer,
  localServerConfig,
  natsServerVersion,
  startNatsServer,
  supportsSyncInterval,
  type LocalNatsServer,
} from './local-server.ts';
import type { SyncInterval } from '../../runtime/config-nats.ts';
import { freePort } from '../../runtime/free-port.ts';
import { withNatsServer, type TestNatsServer } from '../../test/support/nats.ts';

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

/** Adds a stream, publishes to it and reads the message back by sequence. */
async function roundTrip(url: string, stream: string, payload: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${stream.toLowerCase()}.>`] });
    const ack = await jetstream(nc).publish(`${stream.toLowerCase()}.a`, payload);
    assert.equal(ack.stream, stream);
    assert.equal(ack.seq, 1);
    const stored = await jsm.streams.getMessage(stream, { seq: ack.seq });
    assert.ok(stored, 'stored message is readable');
    assert.equal(stored.subject, `${stream.toLowerCase()}.a`);
    assert.equal(stored.string(), payload);
    // The other server's stream must not be visible here: each has its own store.
    const names: string[] = [];
    for await (const name of jsm.streams.names()) names.push(name);
    assert.deepEqual(names, [stream]);
  } finally {
    await nc.close();
  }
}

describe('local nats-server', () => {
  let a: TestNatsServer;
  let b: TestNatsServer;

  before(async () => {
    [a, b] = await Promise.all([withNatsServer(), withNatsServer()]);
  });

  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  test('two servers run at once on distinct ports and stores', async () => {
    assert.notEqual(a.port, b.port);
    assert.notEqual(a.storeDir, b.storeDir);
    assert.equal(a.url, `nats://127.0.0.1:${a.port}`);
    assert.match(a.version, /^\d+\.\d+\.\d+/);
    assert.equal(a.version, b.version);
    await Promise.all([roundTrip(a.url, 'ALPHA', 'hello a'), roundTrip(b.url, 'BETA', 'hello b')]);
  });

  test('after stop the port refuses connections and the store dir is gone', async () => {
    const s = await withNatsServer();
    assert.equal(await refusesConnections(s.port), false);
    await s.stop();
    await s.stop(); // idempotent
    assert.equal(await refusesConnections(s.port), true);
    assert.equal(fs.existsSync(s.storeDir), false);
  });

  test('a stream survives a restart on the same store dir; logFile receives the log', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-nats-test-'));
    const logFile = path.join(dir, 'nats.log');
    let server: LocalNatsServer | undefined;
    try {
      server = await startNatsServer({ storeDir: path.join(dir, 'store'), logFile });
      assert.ok(server.pid > 0);
      await roundTrip(server.url, 'KEEP', 'kept');
      await server.stop();
      assert.match(fs.readFileSync(logFile, 'utf8'), /Server is ready/);

      server = await startNatsServer({ storeDir: path.join(dir, 'store') });
      const nc = await connect({ servers: server.url });
      try {
        const jsm = await jetstreamManager(nc);
        const stored = await jsm.streams.getMessage('KEEP', { seq: 1 });
        assert.equal(stored?.string(), 'kept');
      } finally {
        await nc.close();
      }
    } finally {
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a missing binary gives NatsServerNotFound with the install hint', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-nats-test-'));
    try {
      const missing = path.join(dir, 'no-such-nats-server');
      await assert.rejects(startNatsServer({ storeDir: dir, binary: missing }), (err: unknown) => {
        assert.ok(err instanceof NatsServerNotFound);
        assert.equal(err.code, 'NATS_SERVER_NOT_FOUND');
        assert.ok(err.message.includes(missing), err.message);
        assert.ok(err.message.includes('bash ops/install-nats-server.sh'), err.message);
        assert.ok(err.message.includes('apt-get install nats-server'), err.message);
        assert.ok(err.message.includes('GUARDYN_MESSAGING__NATS_URL'), err.message);
        return true;
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${NATS_SERVER_BIN_ENV}, when set, is the only candidate`, async () => {
    const saved = process.env[NATS_SERVER_BIN_ENV];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-nats-test-'));
    try {
      const real = findNatsServer();
      assert.ok(real, 'a nats-server is installed for these tests');

      process.env[NATS_SERVER_BIN_ENV] = path.join(dir, 'nope');
      assert.equal(findNatsServer(), undefined);
      await assert.rejects(startNatsServer({ storeDir: dir }), (err: unknown) => {
        assert.ok(err instanceof NatsServerNotFound);
        assert.ok(err.message.includes(`${NATS_SERVER_BIN_ENV}=${path.join(dir, 'nope')}`), err.message);
        return true;
      });

      process.env[NATS_SERVER_BIN_ENV] = real;
      assert.equal(findNatsServer(), real);
    } finally {
      if (saved === undefined) delete process.env[NATS_SERVER_BIN_ENV];
      else process.env[NATS_SERVER_BIN_ENV] = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('local nats-server: disk sync policy (sync_interval)', () => {
  test('the generated configuration carries the policy asked for, quoted as a duration when it is one', () => {
    const always = localServerConfig({ storeDir: '/d', syncInterval: 'always', serverKnowsSync: true });
    assert.match(always, /^jetstream \{$/m);
    assert.match(always, /^ {2}store_dir: "\/d"$/m);
    assert.match(always, /^ {2}sync_interval: always$/m);
    assert.match(
      localServerConfig({ storeDir: '/d', syncInterval: { ms: 120_000, text: '2m' }, serverKnowsSync: true }),
      /^ {2}sync_interval: "2m"$/m,
    );
    // None asked (test servers), or a server before 2.10 that would refuse the option: none written.
    assert.doesNotMatch(localServerConfig({ storeDir: '/d', serverKnowsSync: true }), /sync_interval/);
    assert.doesNotMatch(
      localServerConfig({ storeDir: '/d', syncInterval: 'always', serverKnowsSync: false }),
      /sync_interval/,
    );
    assert.equal(supportsSyncInterval([2, 9, 10]), false);
    assert.equal(supportsSyncInterval([2, 10, 0]), true);
    assert.equal(supportsSyncInterval([2, 14, 9]), true);
  });

  /** Starts `binary` with the policy and reads what the running server says about its store. */
  async function runWith(
    binary: string,
    syncInterval: SyncInterval,
  ): Promise<{
    server: string;
    sync: string;
    varz: { sync_always?: boolean; sync_interval?: number } | undefined;
    log: string;
  }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-nats-test-'));
    const logFile = path.join(dir, 'nats.log');
    const monitorPort = await freePort();
    const server = await startNatsServer({
      storeDir: path.join(dir, 'store'),
      binary,
      syncInterval,
      monitorPort,
      logFile,
    });
    try {
      await roundTrip(server.url, 'SYNCED', 'on disk');
      const varz = (await (await fetch(`http://127.0.0.1:${monitorPort}/varz`)).json()) as {
        jetstream?: { config?: { sync_always?: boolean; sync_interval?: number } };
      };
      return {
        server: server.version,
        sync: server.sync,
        varz: varz.jetstream?.config,
        log: fs.readFileSync(logFile, 'utf8'),
      };
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const current = findNatsServer();
  test('the server runs with sync always (2.10 and later)', {
    skip: current === undefined || !supportsSyncInterval(natsServerVersion(current)),
  }, async () => {
    const r = await runWith(current!, 'always');
    assert.equal(r.sync, 'always');
    assert.equal(r.varz?.sync_always, true, JSON.stringify(r.varz));
    assert.doesNotMatch(r.log, /sync_interval/, 'the server took the option without a complaint');
    const bounded = await runWith(current!, { ms: 30_000, text: '30s' });
    assert.equal(bounded.sync, '30s');
    assert.equal(bounded.varz?.sync_always ?? false, false);
    assert.equal(bounded.varz?.sync_interval, 30_000_000_000, 'nanoseconds');
  });

  const debian = '/usr/sbin/nats-server';
  test('a 2.9 server (no such option) starts without it and says so', {
    skip: !fs.existsSync(debian) || supportsSyncInterval(natsServerVersion(debian)),
  }, async () => {
    const r = await runWith(debian, 'always');
    assert.equal(r.sync, 'server default');
    assert.match(r.server, /^2\.9\./);
  });
});
