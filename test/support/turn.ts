// Integration-test helper: a private coturn (turnserver) on loopback on a free port, with TURN
// REST credentials and `allow-loopback-peers` (both browsers of a test are on 127.0.0.1; never a
// production setting). Call it in `before`, and `stop()` in `after`.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readTurn, turnUris } from '../../runtime/config-turn.ts';
import { freePort } from '../../runtime/free-port.ts';
import { turnCredentials, type TurnCredentials } from '../../gateways/calls/turn.ts';
import { findTurnserver, startCoturn, TURN_INSTALL_HINT } from '../../ops/turn/coturn.ts';

/** The turnserver a test can start, or undefined (then the test skips with TURN_SKIP_REASON). */
export const TURNSERVER = findTurnserver(
  process.env['GUARDYN_TURN__BIN'] === '' ? undefined : process.env['GUARDYN_TURN__BIN'],
);
export const TURN_SKIP_REASON = `no turnserver found (${TURN_INSTALL_HINT}): the call relay test is skipped`;

export interface TestTurn {
  readonly port: number;
  readonly secret: string;
  /** turn:127.0.0.1:<port>?transport=udp and tcp. */
  readonly uris: readonly string[];
  /** The environment that points a Guardyn at this coturn (its secret and URIs). */
  readonly env: Record<string, string>;
  credential(userId: string, ttlSeconds?: number): TurnCredentials;
  /** What coturn wrote so far (for failures). */
  output(): string;
  stop(): Promise<void>;
}

export async function startTestTurn(): Promise<TestTurn> {
  if (TURNSERVER === undefined) throw new Error(TURN_SKIP_REASON);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-turn-'));
  const secret = randomBytes(24).toString('base64url');
  // A window of relay ports of its own, so that tests running at once rarely share one.
  const min = 49152 + Math.floor(Math.random() * 15_000);
  const port = await freePort();
  const env = {
    GUARDYN_TURN__PORT: String(port),
    GUARDYN_TURN__TLS_PORT: String(port === 65535 ? port - 1 : port + 1),
    GUARDYN_TURN__MIN_PORT: String(min),
    GUARDYN_TURN__MAX_PORT: String(min + 300),
    GUARDYN_TURN__LISTEN_IP: '127.0.0.1',
    GUARDYN_TURN__ALLOW_LOOPBACK_PEERS: '1',
  };
  const turn = readTurn(env);
  const server = await startCoturn({ turn, secret, runDir, bin: TURNSERVER });
  return {
    port,
    secret,
    uris: turnUris(turn),
    env: { ...env, GUARDYN_CALLS__TURN_SECRET: secret, GUARDYN_CALLS__TURN_URIS: turnUris(turn).join(',') },
    credential: (userId, ttlSeconds = 600) => turnCredentials(secret, userId, ttlSeconds, turnUris(turn), Date.now()),
    output: () => server.output(),
    async stop() {
      await server.stop();
      fs.rmSync(runDir, { recursive: true, force: true });
    },
  };
}
