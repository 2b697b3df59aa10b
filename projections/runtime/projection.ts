/**
 * What a projection is: a name, the stream it follows, the store it writes
 * (its target), and a pure-ish `project` that turns one commit into view
 * changes collected in a transaction. The runtime does the rest.
 */
import type { StoredCommit } from '../../streams/envelope.ts';

/** A commit that could not be applied: recorded with its error, then skipped. */
export interface ParkedCommit {
  readonly seq: number;
  readonly subject: string;
  readonly error: string;
}

/** A write refused because a newer owner (a higher lease epoch) holds the checkpoint. */
export class FencedError extends Error {
  override readonly name = 'FencedError';
  constructor(
    readonly checkpoint: string,
    readonly epoch: number,
  ) {
    super(`checkpoint ${checkpoint} is owned by a newer epoch than ${epoch}: this worker lost its lease`);
  }
}

/** One view's part of a joint commit: its transaction, checkpoint and parked records. */
export interface JointPart<Tx> {
  readonly name: string;
  readonly tx: Tx;
  readonly seq: number;
  readonly parked: readonly ParkedCommit[];
  /** The part's own target, when another target writes it: its after-commit hook runs too (default: the writer's). */
  readonly target?: ProjectionTarget<Tx>;
}

export interface ProjectionTarget<Tx> {
  /**
   * The store the target writes (a key-value or timeline store). The projection workers give
   * the views of one stream one reader per store (bin/projection-workers.ts), so that a slow
   * store never holds back the views of a fast one. Absent: the target is a store of its own.
   */
  readonly store?: object;
  /** The last stream sequence applied (0 when none). */
  checkpoint(name: string): Promise<number>;
  begin(): Tx;
  /**
   * Writes the transaction's changes, the parked records and checkpoint = seq in one atomic step.
   * With `fence` (a lease epoch, see claim), the step happens only while `fence` is still the
   * checkpoint's owner epoch; otherwise nothing is written and it throws FencedError.
   */
  commit(name: string, tx: Tx, seq: number, parked: readonly ParkedCommit[], fence?: number): Promise<void>;
  /**
   * Takes the checkpoint for the owner epoch `epoch` (partitioned projections,
   * projections/runtime/partitions.ts): raises the stored owner epoch to `epoch` and reads the
   * checkpoint, in one atomic step, so that no commit fenced with an older epoch can land
   * afterwards. Throws FencedError when a newer epoch already holds it. Absent: the store
   * cannot fence, and the projection runs single-owner only.
   */
  claim?(name: string, epoch: number): Promise<number>;
  /**
   * Targets with the same `jointKey` (the store they write) can write the changes of several
   * views in one store transaction: `commitJoint` does, as `commit` would for each part, all or
   * nothing. With `fence`, every part's checkpoint must still be owned by `fence`.
   */
  readonly jointKey?: unknown;
  commitJoint?(parts: readonly JointPart<Tx>[], fence?: number): Promise<void>;
  /**
   * Runs after a part's changes are stored, by whichever target wrote them (its own `commit` or
   * another's `commitJoint`): a hint to listeners, such as the inbox's wake-ups. Must not throw.
   */
  afterCommit?(tx: Tx, seq: number): void;
  /** Deletes the view's data, parked records and checkpoint (before a rebuild). */
  reset(name: string): Promise<void>;
  /** Parked commits of the projection, oldest first. */
  parked(name: string): Promise<ParkedCommit[]>;
}

export interface Projection<Tx> {
  readonly name: string;
  readonly stream: string;
  /** Subjects to follow (one filter, so it works on every server version). */
  readonly filterSubject: string;
  readonly target: ProjectionTarget<Tx>;
  /**
   * Whether the commit on `subject` is this projection's (a partition of a view,
   * projections/runtime/partitions.ts). Absent: every commit of the filter. A commit it does
   * not own is not projected, but the checkpoint still moves past it. `decode` gives the
   * commit (decoded once) for the rare subjects whose owner the subject alone cannot tell.
   */
  owns?(subject: string, decode: () => StoredCommit | ParkedCommit): boolean;
  /** Adds the view changes of one commit to `tx`; throws on a commit it cannot apply. */
  project(commit: StoredCommit, tx: Tx): Promise<void> | void;
}
