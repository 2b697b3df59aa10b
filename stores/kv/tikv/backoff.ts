import { setTimeout as sleep } from 'node:timers/promises';
/**
 * Bounded exponential back-off for the RawKV client: each kind of trouble has its
 * own base and cap (milliseconds), and one request has a total sleep budget; past
 * it the request fails with the last error.
 */
export interface BackoffKind {
  readonly name: string;
  readonly baseMs: number;
  readonly capMs: number;
  /** Equal jitter: half fixed, half random. Otherwise none. */
  readonly jitter: boolean;
}

export const BACKOFF = {
  regionMiss: { name: 'regionMiss', baseMs: 2, capMs: 500, jitter: false },
  staleCommand: { name: 'staleCommand', baseMs: 2, capMs: 1000, jitter: false },
  serverBusy: { name: 'serverBusy', baseMs: 50, capMs: 2000, jitter: true },
  rpc: { name: 'rpc', baseMs: 100, capMs: 2000, jitter: true },
  pd: { name: 'pd', baseMs: 100, capMs: 3000, jitter: true },
} as const satisfies Record<string, BackoffKind>;

export class BackoffExhausted extends Error {
  constructor(
    readonly kind: string,
    readonly sleptMs: number,
    readonly last: unknown,
  ) {
    super(
      `TiKV request gave up after ${sleptMs} ms of back-off (${kind}): ${last instanceof Error ? last.message : String(last)}`,
    );
    this.name = 'BackoffExhausted';
  }
}

export class Backoffer {
  private slept = 0;
  private readonly attempts = new Map<string, number>();

  constructor(private readonly budgetMs: number) {}

  get sleptMs(): number {
    return this.slept;
  }

  /** Sleeps for the next step of `kind` (at least `minMs`), or throws once the budget is spent. */
  async backoff(kind: BackoffKind, last: unknown, minMs = 0): Promise<void> {
    const n = this.attempts.get(kind.name) ?? 0;
    this.attempts.set(kind.name, n + 1);
    const step = Math.min(kind.capMs, kind.baseMs * 2 ** n);
    let ms = kind.jitter ? step / 2 + Math.random() * (step / 2) : step;
    ms = Math.max(ms, minMs);
    if (this.slept + ms > this.budgetMs) throw new BackoffExhausted(kind.name, this.slept, last);
    this.slept += ms;
    await sleep(ms);
  }
}
