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
 *
 * Every command answers `--help` / `-h` with its options and an example (bin/cli-help.ts), before
 * any configuration is read; the commands' own modules are loaded only once they are needed.
 */
import { loadConfig, ConfigError } from '../runtime/config.ts';
import { createLogger } from '../runtime/logger.ts';
import { LOG_FORMATS } from '../runtime/config-log.ts';
import { NatsServerNotFound } from '../ops/nats/local-server.ts';
import { AuditArgumentError } from '../audit/window.ts';
import { LogUnavailable } from '../streams/errors.ts';
import { installProcessGuards } from '../runtime/process-guards.ts';
import {
  COMMANDS,
  commandHelp,
  overallHelp,
  ROLE_NAMES,
  REBUILD_TARGETS,
  takeLogFormat,
  wantsHelp,
  type RoleName,
} from './cli-help.ts';

/** The command being run, so that an argument error can point at its --help. */
let current: string | undefined;

function fail(message: string, code = 2): never {
  process.stderr.write(`guardyn: ${message}\n`);
  process.exit(code);
}

/** A mistake in the arguments: said, with where the command's options are; exit 2. */
function usageError(message: string): never {
  fail(
    `${message}\n(${current === undefined ? 'guardyn --help shows the commands' : `guardyn ${current} --help shows the options`})`,
    2,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, ...given] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(overallHelp());
    if (!command) process.exit(2);
    return;
  }
  if (COMMANDS[command] === undefined)
    usageError(`unknown command ${JSON.stringify(command)}; the commands: ${Object.keys(COMMANDS).join(', ')}`);
  current = command;
  if (wantsHelp(given)) {
    process.stdout.write(commandHelp(command));
    return;
  }
  let rest = given;
  if (command === 'up' || command === 'serve' || command === 'rebuild') {
    const taken = takeLogFormat(given);
    if (taken.format !== undefined) {
      if (!(LOG_FORMATS as readonly string[]).includes(taken.format))
        usageError(`--log-format=${taken.format} must be one of ${LOG_FORMATS.join(', ')}`);
      process.env['GUARDYN_LOG_FORMAT'] = taken.format; // the children of `up` inherit it
    }
    rest = taken.rest;
  }
  if (command === 'bench') return bench(rest);
  // Arguments first: a mistake in them is named before the configuration is read.
  const roles = command === 'serve' ? parseRoles(rest) : [];
  const rebuild = command === 'rebuild' ? parseRebuild(rest) : undefined;
  if (command === 'up' && rest.length > 0) usageError(`up: unknown option ${rest[0]}`);

  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'guardyn', config.logFormat);
  switch (command) {
    case 'up': {
      // The supervisor: nats-server and the serving process(es) as children, restarted when they die.
      const { Supervisor, upUnits } = await import('./supervisor.ts');
      installProcessGuards(logger);
      const supervisor = new Supervisor(upUnits(config, logger), logger);
      onShutdown(logger, () => supervisor.stop());
      await supervisor.start();
      return;
    }
    case 'serve': {
      const { startGuardyn } = await import('./app.ts');
      installProcessGuards(logger);
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
      const { rebuildVerified, rebuildViews, VIEW_NAMES } = await import('./rebuild.ts');
      const { which, verify, switchOver } = rebuild!;
      if (verify) {
        process.exitCode = await rebuildVerified(config, logger, which as (typeof VIEW_NAMES)[number], switchOver);
        return;
      }
      await rebuildViews(config, logger, which === 'all' ? [...VIEW_NAMES] : [which as (typeof VIEW_NAMES)[number]]);
      return;
    }
    case 'replay': {
      const { runReplay } = await import('./audit.ts');
      process.exitCode = await runReplay(config, logger, rest);
      return;
    }
    case 'audit': {
      const { runAudit } = await import('./audit.ts');
      process.exitCode = await runAudit(config, logger, rest);
      return;
    }
  }
}

async function bench(rest: string[]): Promise<void> {
  const [name = 'send', ...options] = rest;
  if (name.startsWith('-')) usageError(`bench: the benchmark's name comes first, before ${name}`);
  const { parseBenchArgs } = await import('../bench/run.ts');
  try {
    parseBenchArgs(options);
  } catch (err) {
    usageError(`bench: ${(err as Error).message}`);
  }
  const { runBench } = await import('../bench/index.ts');
  const [{ startGuardyn }, { UP_GROUPS, servePidFile }, { byReader }] = await Promise.all([
    import('./app.ts'),
    import('./supervisor.ts'),
    import('./projection-workers.ts'),
  ]);
  try {
    // Only bin/ wires: the benchmarks that run Guardyn in process get the wiring from here.
    await runBench(name, options, { startGuardyn, upGroups: UP_GROUPS, servePidFile, byReader });
  } catch (err) {
    if (err instanceof RangeError && err.message.startsWith('unknown benchmark')) usageError(`bench: ${err.message}`);
    throw err;
  }
}

/** `auth`, `auth,messaging`, or `all`: the roles of one serving process. */
function parseRoles(rest: readonly string[]): RoleName[] {
  const [arg] = rest;
  if (rest.length > 1) usageError(`serve: unknown option ${rest[1]} (serve takes its roles only)`);
  if (arg === 'all') return [...ROLE_NAMES];
  const names = (arg ?? '').split(',').map((r) => r.trim());
  const unknown = names.find((r) => !(ROLE_NAMES as readonly string[]).includes(r));
  if (arg === undefined || unknown !== undefined)
    usageError(
      `serve needs a role (${ROLE_NAMES.join(', ')}), several comma-separated, or all${arg === undefined ? '' : `; not ${JSON.stringify(unknown)}`}`,
    );
  return [...new Set(names)] as RoleName[];
}

function parseRebuild(rest: readonly string[]): { which: string; verify: boolean; switchOver: boolean } {
  const [which, ...flags] = rest;
  if (!which || !(REBUILD_TARGETS as readonly string[]).includes(which))
    usageError(`rebuild needs a view: ${REBUILD_TARGETS.join(', ')}`);
  const unknown = flags.filter((f) => f !== '--verify' && f !== '--switch');
  if (unknown.length > 0) usageError(`rebuild: unknown option ${unknown[0]} (options: --verify, --switch)`);
  const verify = flags.includes('--verify');
  const switchOver = flags.includes('--switch');
  if (switchOver && !verify)
    usageError('rebuild: --switch goes with --verify (a plain rebuild replaces the view in place)');
  if (verify && which === 'all') usageError('rebuild --verify takes one view');
  return { which, verify, switchOver };
}

/** SIGINT or SIGTERM: `stop`, then exit 0 (1 when stopping failed). Later signals are ignored. */
function onShutdown(logger: ReturnType<typeof createLogger>, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof AuditArgumentError) usageError(err.message);
  if (err instanceof LogUnavailable) fail(err.message, 1);
  if (err instanceof ConfigError || err instanceof NatsServerNotFound) fail(err.message, 1);
  process.stderr.write(`guardyn: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
