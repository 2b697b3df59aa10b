/**
 * Runs tasks one at a time per key, in arrival order; different keys run in
 * parallel. Commands on one aggregate go through it so a process never races
 * itself on expected sequences.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key);
    // Nothing queued on the key (the common case): the task starts at once, not a turn later.
    let result: Promise<T>;
    if (prev !== undefined) result = prev.then(task, task);
    else {
      try {
        result = task();
      } catch (err) {
        result = Promise.reject(err);
      }
    }
    // The key is forgotten when its last task ends (one promise per task). The callbacks are
    // written inline: a named closure made per task is also given its name at run time (tsx
    // keeps function names), which cost more than the rest of this function.
    const tail: Promise<void> = result.then(
      () => this.forget(key, tail),
      () => this.forget(key, tail),
    );
    this.tails.set(key, tail);
    return result;
  }

  private forget(key: string, tail: Promise<void>): void {
    if (this.tails.get(key) === tail) this.tails.delete(key);
  }

  get size(): number {
    return this.tails.size;
  }
}
