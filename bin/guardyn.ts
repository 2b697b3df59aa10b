/**
 * guardyn up                 a supervisor (bin/supervisor.ts): starts a local nats-server unless
 *                            GUARDYN_MESSAGING__NATS_URL is set, runs the roles in two child processes
 *                            (views: projections,media; gateways: the rest) and starts what dies again
 * guardyn serve <roles>      one role: auth | messaging | presence | projections | media | notifications | calls,
 *                            several comma-separated, or all
 * guardyn rebuild <view>     rebuild a view from its stream: users | sessions | timeline | conversations | all
 *                            (--verify: beside the live one, compared; --switch: then switch over when caught up)
 * guardyn bench <name>       run a benchmark (send, baselines)
 * guardyn replay ...          decoded events of a window as JSON Lines or CSV, with a manifest
 * guardyn audit <verify|as-of|report> ...   hash chains and signed checkpoints, past state, HTML report
 */
import { loadConfig, ConfigError } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { NatsServerNotFound } from '../ops/nats/local-server.ts';
import { ROLES, startGuardyn, type Role } from './app.ts';
import { rebuildVerified, rebuildViews, VIEW_NAMES } from './rebuild.ts';
import { AUDIT_USAGE, REPLAY_USAGE, runAudit, runReplay } from './audit.ts';
import { AuditArgumentError } from '../audit/window.ts';
import { LogUnavailable } from '../streams/errors.ts';
import { installProcessGuards } from '../runtime/process-guards.ts';
import { Supervisor, upUnits } from './supervisor.ts';

const USAGE = `usage:
  guardyn up
  guardyn serve <${ROLES.join('|')}>[,<role>...] | all
  guardyn rebuild <${[...VIEW_NAMES, 'all'].join('|')}> [--verify [--switch]]
  guardyn bench <name> [--duration=10s ...]
  ${REPLAY_USAGE}
  ${AUDIT_USAGE}`;

function fail(message: string, code = 2): never {
  process.stderr.write(`guardyn: ${message}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    if (!command) process.exit(2);
    return;
  }
  if (command === 'bench') {
    const { runBench } = await import('../bench/index.ts');
    await runBench(rest[0] ?? 'send', rest.slice(1));
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  switch (command) {
    case 'up': {
      // The supervisor: nats-server and the serving process(es) as children, restarted when they die.
      installProcessGuards(logger);
      const supervisor = new Supervisor(upUnits(config, logger), logger);
      onShutdown(logger, () => supervisor.stop());
      await supervisor.start();
      return;
    }
    case 'serve': {
      installProcessGuards(logger);
      const roles = parseRoles(rest[0]);
      if (rest.length > 1) fail(`serve: unknown option ${rest[1]} (serve takes its roles only)`);
      const app = await startGuardyn(config, logger, roles, { startLocalNats: false });
      onShutdown(logger, () => app.stop());
      if (process.send !== undefined) {
        // Started by `guardyn up`: say so when ready, and stop when the supervisor is gone.
        const supervisorGone = () => process.kill(process.pid, 'SIGTERM');
        if (process.connected) {
          process.send({ type: 'guardyn-ready', pid: process.pid });
          process.once('disconnect', supervisorGone);
        } else supervisorGone();
      }
      return;
    }
    case 'rebuild': {
      const which = rest[0];
      if (!which || ![...VIEW_NAMES, 'all'].includes(which)) fail(`rebuild needs a view: ${[...VIEW_NAMES, 'all'].join(', ')}`);
      const flags = rest.slice(1);
      const unknown = flags.filter((f) => f !== '--verify' && f !== '--switch');
      if (unknown.length > 0) fail(`rebuild: unknown option ${unknown[0]} (options: --verify, --switch)`);
      if (flags.includes('--switch') && !flags.includes('--verify')) fail('rebuild: --switch goes with --verify (a plain rebuild replaces the view in place)');
      if (flags.includes('--verify')) {
        if (which === 'all') fail('rebuild --verify takes one view');
        process.exitCode = await rebuildVerified(config, logger, which as (typeof VIEW_NAMES)[number], flags.includes('--switch'));
        return;
      }
      await rebuildViews(config, logger, which === 'all' ? [...VIEW_NAMES] : [which as (typeof VIEW_NAMES)[number]]);
      return;
    }
    case 'replay':
      process.exitCode = await runReplay(config, logger, rest);
      return;
    case 'audit':
      process.exitCode = await runAudit(config, logger, rest);
      return;
    default:
      fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
}

/** `auth`, `auth,messaging`, or `all`: the roles of one serving process. */
function parseRoles(arg: string | undefined): Role[] {
  if (arg === 'all') return [...ROLES];
  const names = (arg ?? '').split(',').map((r) => r.trim());
  const unknown = names.find((r) => !(ROLES as readonly string[]).includes(r));
  if (arg === undefined || unknown !== undefined) fail(`serve needs a role (${ROLES.join(', ')}), several comma-separated, or all${arg === undefined ? '' : `; not ${JSON.stringify(unknown)}`}`);
  return [...new Set(names)] as Role[];
}

/** SIGINT or SIGTERM: `stop`, then exit 0 (1 when stopping failed). Later signals are ignored. */
function onShutdown(logger: ReturnType<typeof createLogger>, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(() => process.exit(0), (err: Error) => {
      logger.error({ err: err.message }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof AuditArgumentError) fail(err.message, 2);
  if (err instanceof LogUnavailable) fail(err.message, 1);
  if (err instanceof ConfigError || err instanceof NatsServerNotFound) fail(err.message, 1);
  process.stderr.write(`guardyn: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
