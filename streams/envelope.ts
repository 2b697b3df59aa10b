/**
 * The commit envelope: one JetStream message per command, holding 1..n events.
 * The body (JSON) is the truth and is what the hash chain covers; the headers
 * repeat what routing, dedup and audits need without decoding the body.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import { CommitDecodeError } from './errors.ts';
import type { DomainEvent, EventRegistry, StoredEvent } from './events/registry.ts';

export const HEADER = {
  msgId: 'Nats-Msg-Id',
  command: 'Guardyn-Command',
  events: 'Guardyn-Events',
  correlationId: 'Guardyn-Correlation-Id',
  causationId: 'Guardyn-Causation-Id',
  actor: 'Guardyn-Actor',
  prev: 'Guardyn-Prev',
  hash: 'Guardyn-Hash',
} as const;

export interface CommitMeta {
  /** The command's id: JetStream deduplicates retries on it (Nats-Msg-Id). */
  readonly commandId: string;
  /** The command's name, e.g. "SendMessage". */
  readonly command: string;
  readonly correlationId: string;
  readonly causationId: string;
  /** Who asked: null for system commands. */
  readonly actor: { readonly userId: string; readonly deviceId: string } | null;
  /** Server time of the commit, ms. */
  readonly at: number;
}

export interface Commit<E extends DomainEvent = DomainEvent> extends CommitMeta {
  readonly events: readonly E[];
}

/** A commit as read back from the stream. */
export interface StoredCommit<E extends DomainEvent = DomainEvent> extends Commit<E> {
  readonly stream: string;
  readonly subject: string;
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
  /** The body bytes exactly as stored (for audits). */
  readonly body: Uint8Array;
}

const Body = t.type({
  v: t.literal(1),
  commandId: t.string,
  command: t.string,
  correlationId: t.string,
  causationId: t.string,
  actor: t.union([t.type({ userId: t.string, deviceId: t.string }), t.null]),
  at: t.number,
  events: t.array(t.type({ type: t.string, v: t.number, data: t.unknown })),
});

export function encodeBody(commit: Commit, registry: EventRegistry): Uint8Array {
  if (commit.events.length === 0) throw new Error('a commit holds at least one event');
  const stored: StoredEvent[] = commit.events.map((e) => registry.encode(e));
  const body = {
    v: 1,
    commandId: commit.commandId,
    command: commit.command,
    correlationId: commit.correlationId,
    causationId: commit.causationId,
    actor: commit.actor,
    at: commit.at,
    events: stored,
  };
  return Buffer.from(JSON.stringify(body));
}

export function commitHeaders(commit: Commit, prev: string, hash: string): MsgHdrs {
  const h = natsHeaders();
  h.set(HEADER.command, commit.command);
  h.set(HEADER.events, commit.events.map((e) => e.type).join(','));
  h.set(HEADER.correlationId, commit.correlationId);
  h.set(HEADER.causationId, commit.causationId);
  if (commit.actor) h.set(HEADER.actor, `${commit.actor.userId}/${commit.actor.deviceId}`);
  h.set(HEADER.prev, prev);
  h.set(HEADER.hash, hash);
  return h;
}

/** Decodes a stored message into a commit, upcasting every event to its current version. */
export function decodeCommit(
  raw: { subject: string; seq: number; data: Uint8Array; header: (name: string) => string },
  stream: string,
  registry: EventRegistry,
): StoredCommit {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength).toString('utf8'));
  } catch {
    throw new CommitDecodeError(`commit ${stream}#${raw.seq} is not JSON`, raw.subject, raw.seq);
  }
  const body = Body.decode(json);
  if (isLeft(body)) throw new CommitDecodeError(`commit ${stream}#${raw.seq} has no valid envelope`, raw.subject, raw.seq);
  let events: DomainEvent[];
  try {
    events = body.right.events.map((e) => registry.decode(e));
  } catch (err) {
    throw new CommitDecodeError(`commit ${stream}#${raw.seq}: ${(err as Error).message}`, raw.subject, raw.seq);
  }
  return {
    stream,
    subject: raw.subject,
    seq: raw.seq,
    // Read on demand: parsing a message's headers is a large part of consuming it, and
    // projections never need the chain.
    get prev() {
      return raw.header(HEADER.prev);
    },
    get hash() {
      return raw.header(HEADER.hash);
    },
    body: raw.data,
    commandId: body.right.commandId,
    command: body.right.command,
    correlationId: body.right.correlationId,
    causationId: body.right.causationId,
    actor: body.right.actor,
    at: body.right.at,
    events,
  };
}
