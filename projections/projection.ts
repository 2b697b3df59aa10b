/**
 * What a projection is: a name, the stream it follows, the store it writes
 * (its target), and a pure-ish `project` that turns one commit into view
 * changes collected in a transaction. The runtime does the rest.
 */
import type { StoredCommit } from '../streams/envelope.ts';

/** A commit that could not be applied: recorded with its error, then skipped. */
export interface ParkedCommit {
  readonly seq: number;
  readonly subject: string;
  readonly error: string;
}

export interface ProjectionTarget<Tx> {
  /** The last stream sequence applied (0 when none). */
  checkpoint(name: string): Promise<number>;
  begin(): Tx;
  /** Writes the transaction's changes, the parked records and checkpoint = seq in one atomic step. */
  commit(name: string, tx: Tx, seq: number, parked: readonly ParkedCommit[]): Promise<void>;
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
  /** Adds the view changes of one commit to `tx`; throws on a commit it cannot apply. */
  project(commit: StoredCommit, tx: Tx): Promise<void> | void;
}

/** How far a view has come, for read-your-writes waits. */
export interface ProjectionProgress {
  /** Resolves true once the view has applied `seq`, false if `timeoutMs` passes first. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean>;
  applied(): Promise<number>;
}
