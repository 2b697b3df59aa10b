/**
 * Whether the process serves: `starting` until every role it runs has started
 * (bin/app.ts calls serve() last), `serving` then, `stopping` from the first
 * step of the shutdown. Health answers follow it: grpc.health.v1 says
 * NOT_SERVING and `GET /health` answers 503 `starting` until every role serves,
 * so an orchestrator sends no traffic to a half-started process.
 */
export type ReadinessState = 'starting' | 'serving' | 'stopping';

export class Readiness {
  private current: ReadinessState = 'starting';
  private readonly listeners = new Set<(state: ReadinessState) => void>();

  get state(): ReadinessState {
    return this.current;
  }

  get serving(): boolean {
    return this.current === 'serving';
  }

  /** Every role serves (once; not after stop()). */
  serve(): void {
    if (this.current === 'starting') this.set('serving');
  }

  /** The shutdown began. */
  stop(): void {
    if (this.current !== 'stopping') this.set('stopping');
  }

  /** Calls `listener` on every change; returns what stops it. */
  onChange(listener: (state: ReadinessState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(state: ReadinessState): void {
    this.current = state;
    for (const listener of [...this.listeners]) listener(state);
  }
}
