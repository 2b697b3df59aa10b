/**
 * The commit envelope: one JetStream message per command, holding 1..n events.
 * The body is the truth and is what the hash chain covers; the headers carry
 * what JetStream (dedup, optimistic concurrency), the hash chain and headers-only
 * audits need without decoding the body.
 *
 * Envelope versions (every one is still read; streams/envelope-versions.test.ts
 * reads a stored sample of each):
 *   1. the body all JSON, bytes as base64; ten headers (below, plus
 *      Guardyn-Command, Guardyn-Correlation-Id, Guardyn-Causation-Id and
 *      Nats-Expected-Stream);
 *   2. the binary body (below), the same ten headers;
 *   3. the same binary body (readers of version 2 read it unchanged); six
 *      headers: Nats-Msg-Id, Nats-Expected-Last-Subject-Sequence,
 *      Guardyn-Events, Guardyn-Actor (absent for system commands),
 *      Guardyn-Prev, Guardyn-Hash. The command's name, correlation and
 *      causation ids are in the body only.
 *
 * Encoding and decoding the envelope is hand-written (no io-ts on this path):
 * io-ts checks requests at the gateways and each event's data on decode
 * (streams/events/registry.ts, where old versions are upcast).
 */
import { CommitDecodeError } from './events/decode-error.ts';
import type { DomainEvent, EventRegistry, StoredEvent } from './events/registry.ts';

export const HEADER = {
  msgId: 'Nats-Msg-Id',
  expectedLastSubjectSeq: 'Nats-Expected-Last-Subject-Sequence',
  events: 'Guardyn-Events',
  actor: 'Guardyn-Actor',
  prev: 'Guardyn-Prev',
  hash: 'Guardyn-Hash',
  /** Written by envelope versions 1 and 2 only (the body has them). */
  command: 'Guardyn-Command',
  correlationId: 'Guardyn-Correlation-Id',
  causationId: 'Guardyn-Causation-Id',
} as const;

/** The envelope version this code writes (see above). */
export const ENVELOPE_VERSION = 3;

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

/** The body's commit, checked field by field (what io-ts' Body codec checked before). */
export interface CommitEnvelope extends CommitMeta {
  readonly v: number;
  readonly events: readonly StoredEvent[];
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

/** The envelope of a parsed body, or the name of the first field that is wrong. */
export function readEnvelope(json: unknown): CommitEnvelope | string {
  if (!isRecord(json)) return 'body';
  const { v, commandId, command, correlationId, causationId, actor, at, events } = json;
  if (v !== 1 && v !== 2) return 'v';
  if (typeof commandId !== 'string') return 'commandId';
  if (typeof command !== 'string') return 'command';
  if (typeof correlationId !== 'string') return 'correlationId';
  if (typeof causationId !== 'string') return 'causationId';
  if (
    actor !== null &&
    !(isRecord(actor) && typeof actor['userId'] === 'string' && typeof actor['deviceId'] === 'string')
  )
    return 'actor';
  if (typeof at !== 'number') return 'at';
  if (!Array.isArray(events)) return 'events';
  for (let i = 0; i < events.length; i++) {
    const e: unknown = events[i];
    if (!isRecord(e) || typeof e['type'] !== 'string' || typeof e['v'] !== 'number') return `events.${i}`;
  }
  return {
    v,
    commandId,
    command,
    correlationId,
    causationId,
    at,
    actor:
      actor === null
        ? null
        : { userId: (actor as { userId: string }).userId, deviceId: (actor as { deviceId: string }).deviceId },
    events: events as StoredEvent[],
  };
}

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

/** Whether a value holds a byte field anywhere. */
function hasBytes(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof Uint8Array) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (hasBytes(v)) return true;
    return false;
  }
  for (const k in value) if (hasBytes((value as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * The value with each byte field replaced by `{"$b": i}` and pushed to `attachments`. Only the
 * objects and arrays on the way to a byte field are copied; the rest is the value itself.
 */
function extractBytes(value: unknown, attachments: Uint8Array[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array) return { $b: attachments.push(value) - 1 };
  if (!hasBytes(value)) return value;
  if (Array.isArray(value)) return value.map((v) => extractBytes(v, attachments));
  const out: Record<string, unknown> = {};
  for (const k in value) out[k] = extractBytes((value as Record<string, unknown>)[k], attachments);
  return out;
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
  const attachments: Uint8Array[] = [];
  const events = new Array<StoredEvent>(commit.events.length);
  for (let i = 0; i < events.length; i++) {
    const e = registry.encodeRaw(commit.events[i]!);
    events[i] = { type: e.type, v: e.v, data: extractBytes(e.data, attachments) };
  }
  const lengths = new Array<number>(attachments.length);
  let size = 0;
  for (let i = 0; i < attachments.length; i++) size += lengths[i] = attachments[i]!.length;
  const json = JSON.stringify({
    v: 2,
    commandId: commit.commandId,
    command: commit.command,
    correlationId: commit.correlationId,
    causationId: commit.causationId,
    actor: commit.actor,
    at: commit.at,
    events,
    att: lengths,
  });
  const jsonLength = Buffer.byteLength(json, 'utf8');
  const body = Buffer.allocUnsafe(5 + jsonLength + size);
  body[0] = BINARY_BODY;
  body.writeUInt32BE(jsonLength, 1);
  body.write(json, 5, 'utf8');
  let offset = 5 + jsonLength;
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
  if (!Array.isArray(lengths) || !lengths.every((n) => Number.isSafeInteger(n) && n >= 0))
    throw new Error('no attachment table');
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

/** What the event log adds to a commit's headers for JetStream. */
export interface AppendHeaders {
  /** Nats-Msg-Id: the command's id, JetStream deduplicates on it. */
  readonly msgId: string;
  /** Nats-Expected-Last-Subject-Sequence. */
  readonly expectedSeq: number;
}

const CR_OR_LF = /[\r\n]/;

/** A header value as nats.js writes it: trimmed; a line break in it is refused (it would end the header). */
function headerValue(name: string, value: string): string {
  if (CR_OR_LF.test(value)) throw new Error(`header ${name} cannot hold a line break`);
  return value.trim();
}

/**
 * The headers of a commit (envelope version 3), put together as the bytes nats.js writes for the
 * same headers appended in the same order ("NATS/1.0", then "Name: value" per line, then an empty
 * line), without its header map: building that map was the largest allocation of a SendMessage.
 * streams/commit-headers.test.ts holds the two forms equal.
 */
export class CommitHeaders {
  private bytes: Uint8Array | undefined;

  constructor(
    private readonly text: string,
    private readonly names: readonly string[],
  ) {}

  encode(): Uint8Array {
    return (this.bytes ??= Buffer.from(this.text, 'utf8'));
  }

  has(name: string): boolean {
    return this.names.includes(name);
  }
}

const WITH_ACTOR = [HEADER.events, HEADER.actor, HEADER.prev, HEADER.hash] as const;
const WITHOUT_ACTOR = [HEADER.events, HEADER.prev, HEADER.hash] as const;
const WITH_ACTOR_APPENDED = [...WITH_ACTOR, HEADER.msgId, HEADER.expectedLastSubjectSeq] as const;
const WITHOUT_ACTOR_APPENDED = [...WITHOUT_ACTOR, HEADER.msgId, HEADER.expectedLastSubjectSeq] as const;

/**
 * The headers of a commit (envelope version 3); with `append`, followed by the Nats-Msg-Id and
 * Nats-Expected-Last-Subject-Sequence the event log adds.
 */
export function commitHeaders(commit: Commit, prev: string, hash: string, append?: AppendHeaders): CommitHeaders {
  let types = commit.events[0]?.type ?? '';
  for (let i = 1; i < commit.events.length; i++) types += `,${commit.events[i]!.type}`;
  let text = `NATS/1.0\r\n${HEADER.events}: ${headerValue(HEADER.events, types)}`;
  if (commit.actor)
    text += `\r\n${HEADER.actor}: ${headerValue(HEADER.actor, `${commit.actor.userId}/${commit.actor.deviceId}`)}`;
  text += `\r\n${HEADER.prev}: ${headerValue(HEADER.prev, prev)}\r\n${HEADER.hash}: ${headerValue(HEADER.hash, hash)}`;
  if (append !== undefined)
    text += `\r\n${HEADER.msgId}: ${headerValue(HEADER.msgId, append.msgId)}\r\n${HEADER.expectedLastSubjectSeq}: ${append.expectedSeq}`;
  text += '\r\n\r\n';
  const names =
    append === undefined
      ? commit.actor
        ? WITH_ACTOR
        : WITHOUT_ACTOR
      : commit.actor
        ? WITH_ACTOR_APPENDED
        : WITHOUT_ACTOR_APPENDED;
  return new CommitHeaders(text, names);
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
    throw new CommitDecodeError(
      `commit ${stream}#${raw.seq} is not a commit body (${(err as Error).message})`,
      raw.subject,
      raw.seq,
    );
  }
  const body = readEnvelope(json);
  if (typeof body === 'string')
    throw new CommitDecodeError(`commit ${stream}#${raw.seq} has no valid envelope (at ${body})`, raw.subject, raw.seq);
  const events = new Array<DomainEvent>(body.events.length);
  try {
    for (let i = 0; i < events.length; i++) events[i] = registry.decode(body.events[i]!);
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
    commandId: body.commandId,
    command: body.command,
    correlationId: body.correlationId,
    causationId: body.causationId,
    actor: body.actor,
    at: body.at,
    events,
  };
}
