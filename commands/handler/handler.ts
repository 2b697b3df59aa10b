/**
 * The command handler: load the aggregate, decide, append, and on a lost race
 * reload and decide again, a bounded number of times. Commands on one subject
 * are serialised within the process, so conflicts only come from other
 * processes. The reply carries the consistency token (stream, seq).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { EventLog } from '../../streams/log.ts';
import type { CommitMeta, StoredCommit } from '../../streams/envelope.ts';
import type { DomainEvent } from '../../streams/events/registry.ts';
import { ConcurrencyExhausted, WrongExpectedSequence } from '../../streams/errors.ts';
import { GENESIS } from '../../streams/hash-chain.ts';
import { commandConflicts, commandLatency } from '../../runtime/metrics.ts';
import { AggregateCache, type Loaded } from './aggregate-cache.ts';
import { fold, type Decider, type DomainError } from './decider.ts';
import { KeyedQueue } from './keyed-queue.ts';
import type { SnapshotStore } from './snapshots.ts';

export interface CommandResult<Event extends DomainEvent> {
  readonly stream: string;
  readonly subject: string;
  /** Sequence of the commit (or of the aggregate's last commit when nothing was emitted). */
  readonly seq: number;
  readonly events: readonly Event[];
  /** The command id had been committed before: these are the original events. */
  readonly duplicate: boolean;
}

export interface HandleRequest<Command, Event extends DomainEvent, State> {
  readonly stream: string;
  readonly subject: string;
  readonly decider: Decider<Command, Event, State>;
  readonly command: Command;
  readonly meta: Omit<CommitMeta, 'at'> & { readonly at?: number };
  /**
   * The subject this aggregate was kept on before it moved to `subject` (a 1:1 conversation
   * whose id changed, docs/adr/0070-the-1-1-conversation-id-is-the-apps-uuidv5.md). While `subject` has no commit, the state is the former
   * subject's (resumed from its last commit, or folded); new commits always go to `subject`.
   */
  readonly formerSubject?: string | undefined;
}

export interface CommandHandlerOptions {
  readonly maxAttempts?: number;
  readonly cacheSize?: number;
  /** Where snapshots of long aggregates are kept (deciders with a `snapshot` codec); none: always replay. */
  readonly snapshots?: SnapshotStore;
  /** A snapshot is taken once this many commits were folded in since the last one (500). */
  readonly snapshotEvery?: number;
}

type Loadable<Event extends DomainEvent, State> = Pick<
  Decider<unknown, Event, State>,
  'initialState' | 'evolve' | 'fromLastCommit' | 'snapshot'
>;

export class CommandHandler {
  private readonly queue = new KeyedQueue();
  private readonly cache: AggregateCache;
  private readonly maxAttempts: number;
  private readonly snapshots: SnapshotStore | undefined;
  private readonly snapshotEvery: number;

  constructor(
    private readonly log: EventLog,
    options: CommandHandlerOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.cache = new AggregateCache(options.cacheSize);
    this.snapshots = options.snapshots;
    this.snapshotEvery = options.snapshotEvery ?? 500;
  }

  handle<Command, Event extends DomainEvent, State>(
    req: HandleRequest<Command, Event, State>,
  ): Promise<Either<DomainError, CommandResult<Event>>> {
    return this.queue.run(req.subject, () => this.attempt(req));
  }

  /** The aggregate as of now (served from the cache, caught up from the stream); `formerSubject` as in HandleRequest. */
  load<Event extends DomainEvent, State>(
    stream: string,
    subject: string,
    decider: Loadable<Event, State>,
    formerSubject?: string,
  ): Promise<Loaded<State>> {
    return this.queue.run(subject, () =>
      this.catchUp(stream, subject, decider, this.cached<State>(subject, formerSubject), formerSubject),
    );
  }

  /** The cached aggregate, unless it is empty and a former subject may hold its history. */
  private cached<State>(subject: string, formerSubject: string | undefined): Loaded<State> | undefined {
    const loaded = this.cache.get<State>(subject);
    return loaded !== undefined && loaded.seq === 0 && formerSubject !== undefined ? undefined : loaded;
  }

  private async attempt<Command, Event extends DomainEvent, State>(
    req: HandleRequest<Command, Event, State>,
  ): Promise<Either<DomainError, CommandResult<Event>>> {
    const started = performance.now();
    let loaded =
      this.cached<State>(req.subject, req.formerSubject) ??
      (await this.catchUp(req.stream, req.subject, req.decider, undefined, req.formerSubject));
    for (let attempt = 1; ; attempt++) {
      const decision = req.decider.decide(req.command, loaded.state);
      if (isLeft(decision)) {
        observeLatency(req.meta.command, 'rejected', started);
        return decision;
      }
      const events = decision.right;
      if (events.length === 0) {
        observeLatency(req.meta.command, 'unchanged', started);
        return right({ stream: req.stream, subject: req.subject, seq: loaded.seq, events, duplicate: false });
      }
      const at = req.meta.at ?? Date.now();
      try {
        const outcome = await this.log.append({
          stream: req.stream,
          subject: req.subject,
          commit: {
            commandId: req.meta.commandId,
            command: req.meta.command,
            correlationId: req.meta.correlationId,
            causationId: req.meta.causationId,
            actor: req.meta.actor,
            at,
            events,
          },
          expectedSeq: loaded.appendAt?.seq ?? loaded.seq,
          prev: loaded.appendAt?.hash ?? loaded.hash,
        });
        if (outcome.kind === 'duplicate') {
          this.cache.delete(req.subject);
          const original = await this.log.get(req.stream, outcome.seq);
          observeLatency(req.meta.command, 'duplicate', started);
          return right({
            stream: req.stream,
            subject: req.subject,
            seq: outcome.seq,
            events: (original?.events ?? events) as readonly Event[],
            duplicate: true,
          });
        }
        const next = {
          state: fold(req.decider, loaded.state, events),
          seq: outcome.seq,
          hash: outcome.hash,
          sinceSnapshot: (loaded.sinceSnapshot ?? 0) + 1,
        };
        this.cache.set(req.subject, await this.maybeSnapshot(req.subject, req.decider, next));
        observeLatency(req.meta.command, 'committed', started);
        return right({ stream: req.stream, subject: req.subject, seq: outcome.seq, events, duplicate: false });
      } catch (err) {
        if (!(err instanceof WrongExpectedSequence)) {
          this.cache.delete(req.subject);
          observeLatency(req.meta.command, 'failed', started);
          throw err;
        }
        commandConflicts.inc({ command: req.meta.command });
        if (attempt >= this.maxAttempts) {
          this.cache.delete(req.subject);
          observeLatency(req.meta.command, 'exhausted', started);
          throw new ConcurrencyExhausted(req.subject, attempt);
        }
        await sleep(Math.random() * 2 * attempt);
        loaded = await this.catchUp(req.stream, req.subject, req.decider, loaded);
      }
    }
  }

  private async catchUp<Event extends DomainEvent, State>(
    stream: string,
    subject: string,
    decider: Loadable<Event, State>,
    from: Loaded<State> | undefined,
    formerSubject?: string,
  ): Promise<Loaded<State>> {
    let loaded: Loaded<State> = from ?? { state: decider.initialState, seq: 0, hash: GENESIS };
    if (!from) {
      const former = formerSubject !== undefined && formerSubject !== subject ? formerSubject : undefined;
      // Both last commits are asked for at once (one round trip and one socket write for the pair); the
      // former subject's is read only when the subject has none, and its failure matters only then.
      const formerLast = former === undefined ? undefined : this.log.last(stream, former);
      formerLast?.catch(() => undefined);
      const last = await this.log.last(stream, subject);
      if (!last) {
        if (former !== undefined && formerLast !== undefined)
          loaded = await this.fromFormer(stream, former, decider, await formerLast);
        this.cache.set(subject, loaded);
        return loaded;
      }
      const resumed = decider.fromLastCommit?.(last.events as readonly Event[]);
      if (resumed !== undefined) {
        loaded = { state: resumed, seq: last.seq, hash: last.hash };
        this.cache.set(subject, loaded);
        return loaded;
      }
      loaded = (await this.fromSnapshot(stream, subject, decider, last)) ?? loaded;
    }
    let folded = loaded.sinceSnapshot ?? 0;
    for await (const commit of this.log.readSubject(stream, subject, loaded.seq + 1)) {
      loaded = {
        state: fold(decider, loaded.state, commit.events as readonly Event[]),
        seq: commit.seq,
        hash: commit.hash,
        sinceSnapshot: ++folded,
      };
    }
    loaded = await this.maybeSnapshot(subject, decider, loaded);
    this.cache.set(subject, loaded);
    return loaded;
  }

  /**
   * The state kept on a former subject (none: the initial state), to be continued on a subject
   * that has no commit yet: the next commit goes there with expected sequence 0 and a new chain.
   * `last` is the former subject's last commit, read beside the subject's.
   */
  private async fromFormer<Event extends DomainEvent, State>(
    stream: string,
    formerSubject: string,
    decider: Loadable<Event, State>,
    last: StoredCommit | undefined,
  ): Promise<Loaded<State>> {
    const fresh = { seq: 0, hash: GENESIS };
    if (!last) return { state: decider.initialState, ...fresh };
    const resumed = decider.fromLastCommit?.(last.events as readonly Event[]);
    if (resumed !== undefined) return { state: resumed, seq: last.seq, hash: last.hash, appendAt: fresh };
    let state = decider.initialState;
    let seq = 0;
    let hash = GENESIS;
    for await (const commit of this.log.readSubject(stream, formerSubject, 1)) {
      state = fold(decider, state, commit.events as readonly Event[]);
      seq = commit.seq;
      hash = commit.hash;
    }
    return seq === 0 ? { state, ...fresh } : { state, seq, hash, appendAt: fresh };
  }

  /** The state of the subject's snapshot, when it has one this decider can read, taken at a commit still on the subject. */
  private async fromSnapshot<Event extends DomainEvent, State>(
    stream: string,
    subject: string,
    decider: Loadable<Event, State>,
    last: { readonly seq: number; readonly hash: string },
  ): Promise<Loaded<State> | undefined> {
    if (this.snapshots === undefined || decider.snapshot === undefined) return undefined;
    const snap = await this.snapshots.get(subject).catch(() => undefined);
    if (snap === undefined || snap.version !== decider.snapshot.version || snap.seq > last.seq) return undefined;
    const at = snap.seq === last.seq ? { subject, hash: last.hash } : await this.log.get(stream, snap.seq);
    if (at === undefined || at.subject !== subject || at.hash !== snap.hash) return undefined;
    const state = decider.snapshot.decode(snap.state);
    return state === undefined ? undefined : { state, seq: snap.seq, hash: snap.hash, sinceSnapshot: 0 };
  }

  /** Takes a snapshot when enough commits were folded in since the last; a failure to write it only costs a later replay. */
  private async maybeSnapshot<Event extends DomainEvent, State>(
    subject: string,
    decider: Loadable<Event, State>,
    loaded: Loaded<State>,
  ): Promise<Loaded<State>> {
    if (
      this.snapshots === undefined ||
      decider.snapshot === undefined ||
      (loaded.sinceSnapshot ?? 0) < this.snapshotEvery
    )
      return loaded;
    try {
      await this.snapshots.put(subject, {
        seq: loaded.seq,
        hash: loaded.hash,
        version: decider.snapshot.version,
        state: decider.snapshot.encode(loaded.state),
      });
      return { ...loaded, sinceSnapshot: 0 };
    } catch {
      return loaded;
    }
  }
}

/** A command's latency by outcome (a function, not a closure per command: this runs on every command). */
function observeLatency(command: string, outcome: string, startedMs: number): void {
  commandLatency.observe({ command, outcome }, (performance.now() - startedMs) / 1000);
}

/** Convenience for use cases: a Left of a domain error. */
export const reject = <A>(e: DomainError): Either<DomainError, A> => left(e);
