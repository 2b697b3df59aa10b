/**
 * `guardyn audit as-of <aggregate> <time>`: the state of a conversation, group
 * or account as it was at a moment, folded from its subject's commits with the
 * aggregate's own decider (`evolve` in commands/). A commit belongs to the past
 * when its time (the `at` the command was decided at, inside the hashed body)
 * is at or before the moment. Sealed personal data shows as `[sealed]`, or
 * `[redacted]` once the user's data key was destroyed.
 */
import type { DomainEvent, EventRegistry } from '../streams/events/registry.ts';
import { decodeCommit } from '../streams/envelope.ts';
import { STREAMS, subjects, SubjectTokenError } from '../streams/subjects.ts';
import { conversationDecider } from '../commands/conversation/decider.ts';
import { groupDecider } from '../commands/group/decider.ts';
import { accountDecider } from '../commands/account/decider.ts';
import { fold } from '../commands/handler/decider.ts';
import { REDACTED } from '../stores/data-keys.ts';
import { readWindow, type RangeReader } from './read.ts';
import { SEALED, type Malformed } from './records.ts';
import { AuditArgumentError } from './window.ts';

export const AGGREGATES = ['conversation', 'group', 'account'] as const;
export type AggregateKind = (typeof AGGREGATES)[number];

interface AnyDecider {
  readonly initialState: unknown;
  evolve(state: unknown, event: DomainEvent): unknown;
}

const DECIDERS: Record<AggregateKind, { stream: string; subject: (id: string) => string; decider: AnyDecider }> = {
  conversation: {
    stream: STREAMS.messages,
    subject: subjects.conversation,
    decider: conversationDecider as unknown as AnyDecider,
  },
  group: { stream: STREAMS.messages, subject: subjects.group, decider: groupDecider as unknown as AnyDecider },
  account: { stream: STREAMS.accounts, subject: subjects.user, decider: accountDecider as unknown as AnyDecider },
};

export interface AggregateRef {
  readonly kind: AggregateKind;
  readonly id: string;
}

/** `conversation:<id>`, `group:<id>` or `account:<userId>`. */
export function parseAggregate(raw: string | undefined): AggregateRef {
  const m = /^([a-z]+):(.+)$/.exec(raw ?? '');
  if (!m || !(AGGREGATES as readonly string[]).includes(m[1]!)) {
    throw new AuditArgumentError(
      `aggregate ${JSON.stringify(raw ?? '')} must be one of ${AGGREGATES.map((a) => `${a}:<id>`).join(', ')}`,
    );
  }
  const ref = { kind: m[1] as AggregateKind, id: m[2]! };
  try {
    DECIDERS[ref.kind].subject(ref.id);
  } catch (err) {
    if (err instanceof SubjectTokenError) throw new AuditArgumentError(`aggregate ${raw}: ${err.message}`);
    throw err;
  }
  return ref;
}

export interface AsOfResult {
  readonly aggregate: string;
  readonly stream: string;
  readonly subject: string;
  readonly asOf: string;
  /** Commits folded (those at or before the moment). */
  readonly commits: number;
  readonly lastSeq: number | null;
  readonly lastAt: string | null;
  readonly exists: boolean;
  readonly state: unknown;
  readonly malformed: readonly Malformed[];
}

/** Maps, sets and sealed values in a form JSON shows (sets sorted, so the output is stable). */
export function plain(
  value: unknown,
  sealed: (owner: string | undefined) => string,
  owner: string | undefined,
): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v, sealed, owner)]));
  if (value instanceof Set) return [...value].map((v) => plain(v, sealed, owner)).sort();
  if (Array.isArray(value)) return value.map((v) => plain(v, sealed, owner));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 2 && typeof record['iv'] === 'string' && typeof record['ct'] === 'string') return sealed(owner);
  return Object.fromEntries(keys.map((k) => [k, plain(record[k], sealed, owner)]));
}

export async function stateAsOf(
  reader: RangeReader,
  registry: EventRegistry,
  ref: AggregateRef,
  atMs: number,
  keyExists: (userId: string) => Promise<boolean> = async () => true,
): Promise<AsOfResult> {
  const { stream, subject: subjectOf, decider } = DECIDERS[ref.kind];
  const subject = subjectOf(ref.id);
  let state = decider.initialState;
  let commits = 0;
  let lastSeq: number | null = null;
  let lastAt: number | null = null;
  const malformed: Malformed[] = [];
  await readWindow(reader, { stream, subject }, (m) => {
    let commit;
    try {
      commit = decodeCommit({ subject: m.subject, seq: m.seq, data: m.data, header: () => '' }, stream, registry);
    } catch (err) {
      malformed.push({ stream, seq: m.seq, subject: m.subject, error: (err as Error).message });
      return;
    }
    if (commit.at > atMs) return false;
    state = fold(decider, state, commit.events);
    commits++;
    lastSeq = m.seq;
    lastAt = commit.at;
  });
  const owner = ref.kind === 'account' ? ref.id : undefined;
  const keyGone = owner !== undefined && commits > 0 && !(await keyExists(owner));
  return {
    aggregate: `${ref.kind}:${ref.id}`,
    stream,
    subject,
    asOf: new Date(atMs).toISOString(),
    commits,
    lastSeq,
    lastAt: lastAt === null ? null : new Date(lastAt).toISOString(),
    exists: commits > 0,
    state: plain(state, () => (keyGone ? REDACTED : SEALED), owner),
    malformed,
  };
}
