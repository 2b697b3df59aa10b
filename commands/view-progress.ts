/**
 * How far a view has applied its stream, as the use cases that decide on facts
 * read from a view see it: they wait (bounded) until the view has applied the
 * aggregate's last commit. The projection runtime's progress implements it;
 * bin/ passes it in.
 */
export interface ViewProgress {
  /** Resolves true once the view has applied `seq`, false if `timeoutMs` passes first. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean>;
}
