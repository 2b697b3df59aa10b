/**
 * The last line of defence of a Guardyn process, behind the per-request and
 * per-connection catches of the gateways (gRPC handlers, WebSocket connections,
 * HTTP requests):
 *
 * - An uncaught exception was thrown synchronously through code that was half-way
 *   through changing something: the state of the process is unknown. It is logged
 *   (fatal, with an incident id) and the process exits with code 70 (EX_SOFTWARE);
 *   `guardyn up` starts the serving process again (bin/supervisor.ts), as Kubernetes
 *   restarts a pod. Commits are in JetStream and the views resume at their checkpoints,
 *   so a restart loses nothing that was acknowledged.
 * - An unhandled promise rejection is a missed `catch` on work that has already ended:
 *   it is logged (error, with an incident id) and counted
 *   (guardyn_process_faults_total{kind="unhandled_rejection"}), and the process keeps
 *   serving its other clients. Node's default (exit) would end every connection for
 *   one request's fault.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { metricsRegistry } from './metrics.ts';

/** The exit code after an uncaught exception (sysexits EX_SOFTWARE). */
export const EXIT_UNCAUGHT_EXCEPTION = 70;

export const processFaults = new Counter({
  name: 'guardyn_process_faults_total',
  help: 'Faults that reached the process level: uncaught exceptions (the process then exits) and unhandled rejections',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

/** What may be logged of a thrown value: an Error as such; of anything else only its kind (it could hold request data). */
export function loggableFault(value: unknown): { err: Error } | { thrown: string } {
  if (value instanceof Error) return { err: value };
  if (value === null) return { thrown: 'null' };
  return {
    thrown:
      typeof value === 'object' ? `object ${(value as object).constructor?.name ?? 'without prototype'}` : typeof value,
  };
}

export interface ProcessGuardOptions {
  /** How the process ends after an uncaught exception; default process.exit. */
  readonly exit?: (code: number) => void;
}

/** Installs the policy above on `process`; returns a function that removes it again. */
export function installProcessGuards(logger: Logger, options: ProcessGuardOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const onException = (err: unknown, origin: string) => {
    const incident = randomUUID();
    processFaults.inc({ kind: 'uncaught_exception' });
    try {
      logger.fatal(
        { ...loggableFault(err), origin, incident },
        'uncaught exception: the process exits and is started again by its supervisor',
      );
    } finally {
      exit(EXIT_UNCAUGHT_EXCEPTION);
    }
  };
  const onRejection = (reason: unknown) => {
    const incident = randomUUID();
    processFaults.inc({ kind: 'unhandled_rejection' });
    logger.error(
      { ...loggableFault(reason), incident },
      'unhandled promise rejection (a missed catch): logged, the process keeps serving',
    );
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
