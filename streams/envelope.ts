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
import { encodingRawBytes } from './events/codecs.ts';

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
  v: t.union([t.literal(1), t.literal(2)]),
  commandId: t.string,
  command: t.string,
  correlationId: t.string,
  causationId: t.string,
  actor: t.union([t.type({ userId: t.string, deviceId: t.string }), t.null]),
  at: t.number,
  events: t.array(t.type({ type: t.string, v: t.number, data: t.unknown })),
});

/**
 * The commit body: a version byte, the length of a JSON header, the JSON (the
 * commit with its events), then every byte field of the events raw, in order.
 * In the JSON a byte field is `{"$b": i}`, the i-th attachment; `att` lists
 * the attachments' lengths. Ciphertext thus travels and is stored as is,
 * without base64.
 *
 *   [0x02][u32 big-endian JSON length][JSON][attachment 0][attachment 1]...
 *
 * A body that starts with `{` is the first version: all JSON, bytes as base64.
 */
const BINARY_BODY = 0x02;

function extractBytes(value: unknown, attachments: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) return { $b: attachments.push(value) - 1 };
  if (Array.isArray(value)) return value.map((v) => extractBytes(v, attachments));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = extractBytes(v, attachments);
    return out;
  }
  return value;
}

function injectBytes(value: unknown, attachments: readonly Uint8Array[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = injectBytes(value[i], attachments);
    return value;
  }
  const record = value as Record<string, unknown>;
  const ref = record['$b'];
  if (typeof ref === 'number') {
    const bytes = attachments[ref];
    if (bytes === undefined) throw new Error(`attachment ${ref} is missing`);
    return bytes;
  }
  for (const k in record) {
    const v = record[k];
    if (v !== null && typeof v === 'object') record[k] = injectBytes(v, attachments);
  }
  return value;
}

export function encodeBody(commit: Commit, registry: EventRegistry): Uint8Array {
  if (commit.events.length === 0) throw new Error('a commit holds at least one event');
  const stored: StoredEvent[] = encodingRawBytes(() => commit.events.map((e) => registry.encode(e)));
  const attachments: Uint8Array[] = [];
  const events = stored.map((e) => ({ type: e.type, v: e.v, data: extractBytes(e.data, attachments) }));
  const json = Buffer.from(JSON.stringify({
    v: 2,
    commandId: commit.commandId,
    command: commit.command,
    correlationId: commit.correlationId,
    causationId: commit.causationId,
    actor: commit.actor,
    at: commit.at,
    events,
    att: attachments.map((a) => a.length),
  }));
  let size = 5 + json.length;
  for (const a of attachments) size += a.length;
  const body = Buffer.allocUnsafe(size);
  body[0] = BINARY_BODY;
  body.writeUInt32BE(json.length, 1);
  json.copy(body, 5);
  let offset = 5 + json.length;
  for (const a of attachments) {
    body.set(a, offset);
    offset += a.length;
  }
  return body;
}

/** The body's JSON, with byte fields back in place (as views of `data`, not copies). */
function parseBody(data: Uint8Array): unknown {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf[0] !== BINARY_BODY) return JSON.parse(buf.toString('utf8'));
  if (buf.length < 5) throw new Error('truncated');
  const jsonLength = buf.readUInt32BE(1);
  if (5 + jsonLength > buf.length) throw new Error('truncated');
  const json = JSON.parse(buf.toString('utf8', 5, 5 + jsonLength)) as { att?: unknown };
  const lengths = json.att;
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new Error('no attachment table');
  const attachments: Uint8Array[] = [];
  let offset = 5 + jsonLength;
  for (const n of lengths as number[]) {
    if (offset + n > buf.length) throw new Error('truncated attachment');
    attachments.push(buf.subarray(offset, offset + n));
    offset += n;
  }
  if (offset !== buf.length) throw new Error('trailing bytes');
  if (lengths.length > 0) {
    const events = (json as { events?: unknown }).events;
    if (Array.isArray(events)) for (const e of events) injectBytes(e, attachments);
  }
  return json;
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

/** The body's JSON with byte fields in place, for audits that read a commit event by event; throws on a broken body. */
export const parseCommitBody = parseBody;

/** Decodes a stored message into a commit, upcasting every event to its current version. */
export function decodeCommit(
  raw: { subject: string; seq: number; data: Uint8Array; header: (name: string) => string },
  stream: string,
  registry: EventRegistry,
): StoredCommit {
  let json: unknown;
  try {
    json = parseBody(raw.data);
  } catch (err) {
    throw new CommitDecodeError(`commit ${stream}#${raw.seq} is not a commit body (${(err as Error).message})`, raw.subject, raw.seq);
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
