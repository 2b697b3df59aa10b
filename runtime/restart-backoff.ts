/**
 * When to restart a process that died (bin/supervisor.ts): at once the first time,
 * then twice as long after each death in a row, capped; a process that ran healthy
 * for `stableAfterMs` before it died starts the sequence again. A crash loop thus
 * costs little CPU, and a rare crash is restarted within `firstDelayMs`.
 */
export interface RestartPolicy {
  /** Wait before the first restart of a sequence (ms). */
  readonly firstDelayMs: number;
  /** Each further death in a row multiplies the wait by this. */
  readonly factor: number;
  /** The longest wait (ms). */
  readonly maxDelayMs: number;
  /** A process that was ready this long before it died counts as healthy: its next wait is firstDelayMs again (ms). */
  readonly stableAfterMs: number;
}

/** 0.1 s, 0.2 s, 0.4 s, ... 30 s at most; reset after a minute of health (Kubernetes: 10 s to 5 min, reset after 10 min). */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  firstDelayMs: 100,
  factor: 2,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

export class RestartBackoff {
  private deathsInARow = 0;

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {
    const { firstDelayMs, factor, maxDelayMs, stableAfterMs } = policy;
    if (!(firstDelayMs >= 0 && factor >= 1 && maxDelayMs >= firstDelayMs && stableAfterMs >= 0)) {
      throw new RangeError(`invalid restart policy ${JSON.stringify(policy)}`);
    }
  }

  /** Deaths since the last healthy run (or the start). */
  get failures(): number {
    return this.deathsInARow;
  }

  /**
   * The wait before restarting a process that died after `healthyMs` of being ready
   * (0 when it never became ready), and counts that death.
   */
  next(healthyMs: number): number {
    if (healthyMs >= this.policy.stableAfterMs) this.deathsInARow = 0;
    const delay = Math.min(this.policy.maxDelayMs, this.policy.firstDelayMs * this.policy.factor ** this.deathsInARow);
    this.deathsInARow += 1;
    return delay;
  }
}
