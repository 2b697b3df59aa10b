/** A bounded least-recently-used map of loaded aggregates (state, last sequence, last hash). */
export interface Loaded<State> {
  readonly state: State;
  readonly seq: number;
  readonly hash: string;
  /** Commits folded in since the last snapshot was taken (or since the start); see ./snapshots.ts. */
  readonly sinceSnapshot?: number;
  /**
   * Where the next commit goes when that is not after `seq`/`hash`: an aggregate whose history
   * is on a former subject (HandleRequest.formerSubject) and whose subject has no commit yet.
   * `seq` and `hash` are then the former subject's last commit; this is the subject's (0, genesis).
   */
  readonly appendAt?: { readonly seq: number; readonly hash: string };
}

export class AggregateCache {
  private readonly map = new Map<string, Loaded<unknown>>();
  constructor(private readonly capacity = 20_000) {}

  get<State>(subject: string): Loaded<State> | undefined {
    const v = this.map.get(subject);
    if (v) {
      this.map.delete(subject);
      this.map.set(subject, v);
    }
    return v as Loaded<State> | undefined;
  }

  set<State>(subject: string, loaded: Loaded<State>): void {
    this.map.delete(subject);
    this.map.set(subject, loaded);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  delete(subject: string): void {
    this.map.delete(subject);
  }
}
