/**
 * The decider: a pure aggregate. `decide` turns a command and the current state
 * into events or a domain error; `evolve` folds one event into the state.
 * Nothing here does I/O.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import type { DomainEvent } from '../../streams/events/registry.ts';

export type DomainErrorCode = 'INVALID_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHORIZED';

/** A business rule said no. The gateway maps `code` to the contract's error code. */
export interface DomainError {
  readonly code: DomainErrorCode;
  readonly message: string;
  /** The request field at fault, where one is. */
  readonly field?: string;
}

export const domainError = (code: DomainErrorCode, message: string, field?: string): DomainError =>
  field === undefined ? { code, message } : { code, message, field };

export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: State;
  decide(command: Command, state: State): Either<DomainError, readonly Event[]>;
  evolve(state: State, event: Event): State;
  /**
   * Optional: the state rebuilt from the subject's last commit alone, for
   * aggregates whose decisions need no older history. Saves replaying a long
   * subject when a process first touches it.
   */
  fromLastCommit?(events: readonly Event[]): State | undefined;
  /**
   * Optional: how the state is kept in a snapshot (./snapshots.ts), so
   * a process that first touches a long subject replays only what came after
   * the snapshot. `decode` answers undefined for a snapshot it cannot read.
   */
  readonly snapshot?: SnapshotCodec<State>;
}

export interface SnapshotCodec<State> {
  /** Bump when the state's shape changes: older snapshots are then ignored. */
  readonly version: number;
  encode(state: State): unknown;
  decode(json: unknown): State | undefined;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve'>,
  state: State,
  events: readonly Event[],
): State {
  let s = state;
  for (const e of events) s = decider.evolve(s, e);
  return s;
}
