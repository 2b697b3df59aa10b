/**
 * A rate limit for log lines that clients can cause at will (an undecodable
 * stream frame, a cancelled call, a body cut short): at most `perInterval`
 * lines per key in each interval; the lines beyond are counted, and one
 * summary line ("suppressed K similar") follows when the interval ends. So a
 * client sending a thousand bad frames writes a handful of lines, and the log
 * still says it happened and how often.
 *
 * Keys name a kind of event (never client input), so the number of keys is
 * small; beyond `maxKeys` the rest share one key.
 */
import type { Logger } from 'pino';

export type LimitedLevel = 'warn' | 'info' | 'debug';

export interface LogRateLimitOptions {
  /** Lines per key per interval (0: only the summary lines). */
  readonly perInterval: number;
  readonly intervalMs: number;
  /** Keys tracked at once (default 1000). */
  readonly maxKeys?: number;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
  /** Where and how the summary is written: the last suppressed line's logger, level and message. */
  logger: Logger;
  level: LimitedLevel;
  msg: string;
  timer: NodeJS.Timeout | undefined;
}

const OVERFLOW_KEY = '(other)';

export class LogRateLimiter {
  private readonly windows = new Map<string, Window>();
  private options: Required<LogRateLimitOptions>;

  constructor(options: LogRateLimitOptions) {
    this.options = { maxKeys: 1000, ...options };
  }

  /** New limits (configuration at start); the windows running now keep counting. */
  configure(options: Partial<LogRateLimitOptions>): void {
    this.options = { ...this.options, ...options };
  }

  /** Writes the line unless its key has used up this interval; returns whether it was written. */
  log(logger: Logger, level: LimitedLevel, key: string, fields: Record<string, unknown>, msg: string): boolean {
    const now = Date.now();
    const k = this.windows.has(key) || this.windows.size < this.options.maxKeys ? key : OVERFLOW_KEY;
    let w = this.windows.get(k);
    if (w !== undefined && now - w.start >= this.options.intervalMs) {
      this.flush(k, w);
      w = undefined;
    }
    if (w === undefined) {
      w = { start: now, written: 0, suppressed: 0, logger, level, msg, timer: undefined };
      this.windows.set(k, w);
    }
    if (w.written < this.options.perInterval) {
      w.written++;
      logger[level]({ ...fields, logKey: k }, msg);
      return true;
    }
    w.suppressed++;
    w.logger = logger;
    w.level = level;
    w.msg = msg;
    if (w.timer === undefined) {
      const window = w;
      window.timer = setTimeout(
        () => {
          if (this.windows.get(k) === window) this.flush(k, window);
        },
        Math.max(0, window.start + this.options.intervalMs - now),
      );
      window.timer.unref();
    }
    return false;
  }

  /** Writes the pending summary lines now (at shutdown). */
  flushAll(): void {
    for (const [k, w] of [...this.windows]) this.flush(k, w);
  }

  private flush(key: string, w: Window): void {
    clearTimeout(w.timer);
    this.windows.delete(key);
    if (w.suppressed > 0) {
      w.logger[w.level](
        { logKey: key, suppressed: w.suppressed, intervalMs: this.options.intervalMs },
        `suppressed ${w.suppressed} similar: ${w.msg}`,
      );
    }
  }
}
