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
  startNatsServer,
  type LocalNatsServer,
} from './local-server.ts';
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
