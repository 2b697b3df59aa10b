/**
 * A task run every interval in the background (the audit checkpoints and statistics, the sweep
 * of overdue calls): one run at a time (a tick due while the previous run is still going is
 * skipped, and `tick()` then waits for the running one), a run that throws is logged and the
 * next tick runs as usual, and `stop()` ends the schedule and waits for the running tick, so
 * nothing of the task is left running once it resolves. The timer does not keep the process alive.
 */
import type { Logger } from 'pino';

export interface PeriodicTaskOptions {
  /** The task's name in the log line of a failed run. */
  readonly name: string;
  /** Time between the starts of two runs, ms (a positive integer). */
  readonly intervalMs: number;
  readonly logger: Logger;
}

export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void> | void,
    private readonly options: PeriodicTaskOptions,
  ) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs <= 0)
      throw new RangeError(
        `periodic task ${options.name}: intervalMs must be a positive integer, got ${options.intervalMs}`,
      );
  }

  /** Starts the schedule: the first run one interval from now. Starting twice changes nothing. */
  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now, or waits for the run in progress; resolves (never rejects) when it is over. After stop(), does nothing. */
  tick(): Promise<void> {
    if (this.stopped) return this.running ?? Promise.resolve();
    this.running ??= (async () => {
      try {
        await this.run();
      } catch (err) {
        this.options.logger.warn(
          { task: this.options.name, err: (err as Error).message },
          `${this.options.name} failed`,
        );
      }
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Ends the schedule and waits for the run in progress, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
