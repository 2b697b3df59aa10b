/**
 * A whole Guardyn (auth, messaging, projections) in the test process, on
 * ephemeral ports, against a test nats-server, with a temporary data dir.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../runtime/config.ts';
import { silentLogger, type Logger } from '../../runtime/logger.ts';
import { after, before } from 'node:test';
import { startGuardyn, type Role, type RunningGuardyn } from '../../bin/app.ts';
import { withNatsServer, type TestNatsServer } from './nats.ts';
import { serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';
import type { PresenceFeed } from '../../gateways/presence-feed.ts';
import { startTikvMock, type MockTikv } from '../../stores/kv/tikv/mock-server.ts';

export interface TestGuardyn extends RunningGuardyn {
  readonly dataDir: string;
  readonly env: Record<string, string>;
  readonly auth: ServiceClient;
  readonly messaging: ServiceClient;
  /** The presence service (a client to port 1, failing, when the presence role does not run). */
  readonly presence: ServiceClient;
}

/** Cheap password hashing for tests (production uses 19 MiB, 2 passes). */
export const TEST_ENV = {
  GUARDYN_AUTH__ARGON2_MEMORY_KIB: '1024',
  GUARDYN_AUTH__ARGON2_PASSES: '1',
  GUARDYN_AUTH__ARGON2_ALLOW_WEAK: '1',
  // Every test client calls from 127.0.0.1: per-address limits high enough for a test file (test/e2e/auth-directory.test.ts checks the defaults).
  GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS: '100000',
  GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS: '100000',
  GUARDYN_LIMITS__SEARCHES_PER_ADDRESS: '100000',
  GUARDYN_AUTH__PORT: '0',
  GUARDYN_MESSAGING__PORT: '0',
  GUARDYN_MEDIA__PORT: '0',
  GUARDYN_MEDIA__HTTP_PORT: '0',
  GUARDYN_PRESENCE__PORT: '0',
  GUARDYN_MESSAGING__WEBSOCKET_PORT: '0',
  GUARDYN_NOTIFICATIONS__PORT: '0',
  GUARDYN_CALLS__GRPC_PORT: '0',
  GUARDYN_CALLS__WEBSOCKET_PORT: '0',
  // Many test Guardyns run at once: no metrics endpoint unless a test asks for one (port 0).
  GUARDYN_METRICS__PORT: 'off',
  // No coturn from `guardyn up` (it would take :3478 once per test); call tests start their own (test/support/turn.ts).
  GUARDYN_TURN__ENABLED: '0',
  GUARDYN_HOST: '127.0.0.1',
  GUARDYN_LOG_LEVEL: 'silent',
  // Tests read their own writes with min_seq while two suites share two cores: give the views the
  // longest wait the configuration allows, so a busy machine cannot turn a check into a stale read.
  GUARDYN_QUERY__MIN_SEQ_WAIT_MS: '5000',
};

/**
 * Production stores for the end-to-end suites (what `npm run test:production` sets): with
 * GUARDYN_DATABASE__SCYLLADB_NODES, GUARDYN_DATABASE__TIKV_PD_ENDPOINTS or
 * GUARDYN_MEDIA__S3_ENDPOINT in the test process's environment, each test Guardyn keeps its
 * timeline in a keyspace of its own, its key-value views under a key prefix of its own and its
 * media in a bucket of its own, all named after its data directory (so a Guardyn restarted on
 * the same directory, or a test reading its views, finds them again).
 */
export function productionStoresEnv(dataDir: string): Record<string, string> {
  const tag = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24);
  const passed = (prefix: string) =>
    Object.fromEntries(
      Object.entries(process.env).filter(([k, v]) => k.startsWith(prefix) && v !== undefined && v !== ''),
    ) as Record<string, string>;
  const set = (name: string) => (process.env[name] ?? '') !== '';
  return {
    ...(set('GUARDYN_DATABASE__SCYLLADB_NODES')
      ? { ...passed('GUARDYN_DATABASE__SCYLLADB_'), GUARDYN_DATABASE__SCYLLADB_KEYSPACE: `e2e_${tag}` }
      : {}),
    ...(set('GUARDYN_DATABASE__TIKV_PD_ENDPOINTS')
      ? { ...passed('GUARDYN_DATABASE__TIKV_'), GUARDYN_DATABASE__TIKV_KEY_PREFIX: `e2e/${tag}/` }
      : {}),
    ...(set('GUARDYN_MEDIA__S3_ENDPOINT')
      ? { ...passed('GUARDYN_MEDIA__S3_'), GUARDYN_MEDIA__S3_BUCKET: `e2e-${tag}` }
      : {}),
  };
}

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-data-'));
}

/**
 * GUARDYN_TEST_TIKV=1: every test Guardyn keeps its key-value views in TiKV (the stand-in of
 * ops/tikv, one per data directory, so a restarted Guardyn finds its views again).
 */
const tikvByDataDir = new Map<string, Promise<MockTikv>>();
async function tikvEnv(dataDir: string): Promise<Record<string, string>> {
  if (process.env.GUARDYN_TEST_TIKV !== '1' || (process.env['GUARDYN_DATABASE__TIKV_PD_ENDPOINTS'] ?? '') !== '')
    return {};
  let mock = tikvByDataDir.get(dataDir);
  if (mock === undefined) {
    mock = startTikvMock();
    tikvByDataDir.set(dataDir, mock);
  }
  return { GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: (await mock).pd };
}

/**
 * The store selection of a test Guardyn on `dataDir`: its data directory and, in a production
 * run, its own keyspace, key prefix and bucket (test/support/stores.ts opens the same stores).
 */
export async function storesEnv(dataDir: string): Promise<Record<string, string>> {
  return { ...(await tikvEnv(dataDir)), ...productionStoresEnv(dataDir), GUARDYN_DATA_DIR: dataDir };
}

export async function startTestGuardyn(
  natsUrl: string,
  options: {
    roles?: Role[];
    dataDir?: string;
    env?: Record<string, string>;
    presence?: PresenceFeed;
    logger?: Logger;
  } = {},
): Promise<TestGuardyn> {
  const dataDir = options.dataDir ?? tempDataDir();
  const env = { ...TEST_ENV, ...(await storesEnv(dataDir)), GUARDYN_MESSAGING__NATS_URL: natsUrl, ...options.env };
  const app = await startGuardyn(
    loadConfig(env),
    options.logger ?? silentLogger,
    options.roles ?? ['auth', 'messaging', 'projections'],
    { startLocalNats: false, presence: options.presence },
  );
  const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${app.ports.auth ?? 1}`);
  const messaging = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${app.ports.messaging ?? 1}`);
  const presence = serviceClient('guardyn.presence.PresenceService', `127.0.0.1:${app.ports.presence ?? 1}`);
  return {
    ...app,
    dataDir,
    env,
    auth,
    messaging,
    presence,
    async stop() {
      auth.close();
      messaging.close();
      presence.close();
      await app.stop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * For a describe block: a private nats-server and a whole Guardyn started before
 * its tests and stopped after them; `receive` hands both over when started.
 */
export function useGuardyn(receive: (started: { nats: TestNatsServer; g: TestGuardyn }) => void): void {
  let nats: TestNatsServer | undefined;
  let g: TestGuardyn | undefined;
  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url);
    receive({ nats, g });
  });
  after(async () => {
    await g?.stop();
    await nats?.stop();
  });
}

let counter = 0;
/** A fresh username per call, unique within the test run. */
export function uniqueName(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}
