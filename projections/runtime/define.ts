/**
 * Typed projection definitions: a projection names its stream, its store and a handler per
 * event type it applies; each handler receives its event with the data type of that event.
 * The helper does the rest that every projector used to write out: the stream's filter subject,
 * the loop over the commit's events, the dispatch on the event type, and the one place where a
 * stored commit's events are taken as the stream's event union.
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { Projection, ProjectionTarget } from './projection.ts';

export interface TypedEvent {
  readonly type: string;
  readonly data: unknown;
}

/** One handler per event type of the union `E`, each given that event's own type. */
export type EventHandlers<E extends TypedEvent, Tx> = {
  readonly [K in E['type']]?: (event: Extract<E, { type: K }>, commit: StoredCommit, tx: Tx) => Promise<void> | void;
};

/** The streams views follow, and the subjects of each (every subject of the stream). */
const FILTERS = {
  [STREAMS.accounts]: 'accounts.>',
  [STREAMS.messages]: 'messages.>',
  [STREAMS.presence]: 'presence.>',
  [STREAMS.media]: 'media.>',
  [STREAMS.calls]: 'calls.call.>',
} as const;

export type ViewStream = keyof typeof FILTERS;

export interface ProjectionDefinition<E extends TypedEvent, Tx> {
  readonly name: string;
  readonly stream: ViewStream;
  readonly target: ProjectionTarget<Tx>;
  /**
   * Only commits on subjects that start with this are applied (e.g. `accounts.device.`); the
   * view still follows the whole stream, so its checkpoint is a stream position (rebuilds and
   * min_seq waits end at the stream's last sequence).
   */
  readonly subjects?: string;
  /** The events the view applies; the commit's other events are skipped. */
  readonly on: EventHandlers<E, Tx>;
}

/** A projection with the event types it handles. */
export type TypedProjection<Tx> = Projection<Tx> & { readonly handles: readonly string[] };

export function defineProjection<E extends TypedEvent, Tx>(
  definition: ProjectionDefinition<E, Tx>,
): TypedProjection<Tx> {
  const handlers = definition.on as Readonly<
    Record<string, ((event: E, commit: StoredCommit, tx: Tx) => Promise<void> | void) | undefined>
  >;
  const handles = Object.keys(handlers)
    .filter((type) => handlers[type] !== undefined)
    .sort();
  if (handles.length === 0) throw new RangeError(`projection ${definition.name} handles no event type`);
  const filterSubject = FILTERS[definition.stream];
  if (filterSubject === undefined)
    throw new RangeError(`projection ${definition.name} follows ${String(definition.stream)}, which no view follows`);
  const only = definition.subjects;
  if (only !== undefined && !only.startsWith(filterSubject.slice(0, -1))) {
    throw new RangeError(
      `projection ${definition.name}: subjects ${only} are not on stream ${definition.stream} (${filterSubject})`,
    );
  }
  return {
    name: definition.name,
    stream: definition.stream,
    filterSubject,
    target: definition.target,
    handles,
    project(commit, tx) {
      if (only !== undefined && !commit.subject.startsWith(only)) return;
      // The registry decoded every event of the stream with its codec: the stream's union is what it holds.
      const events = commit.events as readonly E[];
      for (let i = 0; i < events.length; i++) {
        const handler = handlers[events[i]!.type];
        if (handler === undefined) continue;
        const done = handler(events[i]!, commit, tx);
        // A handler that finished at once costs no promise; the first one that did not is awaited, and the rest after it.
        if (done !== undefined) return rest(done, i + 1);
      }
      return undefined;

      async function rest(pending: Promise<void> | void, from: number): Promise<void> {
        await pending;
        for (let i = from; i < events.length; i++) {
          const handler = handlers[events[i]!.type];
          if (handler !== undefined) await handler(events[i]!, commit, tx);
        }
      }
    },
  };
}
