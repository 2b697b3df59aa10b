/**
 * coturn as a unit of `guardyn up` (bin/supervisor.ts): started before the serving processes
 * when `turnserver` is installed (GUARDYN_TURN__ENABLED=auto, the default), always (on: a missing
 * turnserver stops the start) or never (off). Its TURN REST secret is the one the call service
 * signs credentials with (runtime/turn-secret.ts: configured, or generated into the data directory).
 * A coturn that dies is started again like the other units. Its log lines go to the debug level
 * (it writes one for every allocation); its last lines come with a failed start.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type GuardynConfig } from '../runtime/config.ts';
import { loadTurnSecret } from '../runtime/turn-secret.ts';
import { findTurnserver, startCoturn, TURN_INSTALL_HINT } from '../ops/turn/coturn.ts';
import type { Unit } from './unit.ts';

export function coturnRunDir(dataDir: string): string {
  return path.join(dataDir, 'run', 'coturn');
}

export function coturnUnit(config: GuardynConfig, bin: string, logger: Logger): Unit {
  const turn = config.turn;
  const log = logger.child({ unit: 'coturn' });
  return {
    name: 'coturn',
    async start(spawned, signal) {
      const server = await startCoturn({
        turn,
        secret: loadTurnSecret(config.calls.turn.secret, config.dataDir),
        runDir: coturnRunDir(config.dataDir),
        bin,
        signal,
        onLine: (line) => log.debug({ coturn: line }, 'coturn'),
      });
      spawned(server.pid);
      log.info(
        {
          listen: `${turn.listenIp}:${turn.port}`,
          tls: turn.tls === undefined ? 'off' : `${turn.listenIp}:${turn.tlsPort}`,
          relayPorts: `${turn.relayPorts.min}-${turn.relayPorts.max}`,
          externalIp: turn.externalIp,
          allowLoopbackPeers: turn.allowLoopbackPeers,
        },
        'TURN server (coturn) listening',
      );
      return { pid: server.pid, exited: server.exited, stop: () => server.stop() };
    },
  };
}

/** The coturn unit for this configuration, or undefined (with a warning when auto found no turnserver). */
export function turnUnitOf(
  config: GuardynConfig,
  logger: Logger,
  find: (bin: string | undefined) => string | undefined = findTurnserver,
): Unit | undefined {
  if (config.turn.mode === 'off') return undefined;
  const bin = find(config.turn.bin);
  if (bin === undefined) {
    if (config.turn.mode === 'on' || config.turn.bin !== undefined) {
      throw new ConfigError(
        `GUARDYN_TURN__${config.turn.bin === undefined ? 'ENABLED=1 but no turnserver was found' : `BIN=${JSON.stringify(config.turn.bin)} does not exist`}: ${TURN_INSTALL_HINT}, or set GUARDYN_TURN__ENABLED=0`,
      );
    }
    logger.warn(
      `no turnserver found: calls get no TURN relay from this server (devices behind NAT may not connect); ${TURN_INSTALL_HINT}`,
    );
    return undefined;
  }
  return coturnUnit(config, bin, logger);
}
