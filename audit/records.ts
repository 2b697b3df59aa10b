/**
 * One stored commit → the replay records of its events, upcast to their
 * current version, with the commit's metadata. A commit or event that cannot be
 * decoded becomes a `Malformed` entry naming its position; it never throws.
 *
 * Personal data sealed with a user's data key (stores/data-keys.ts) is never
 * opened here: it shows as `[sealed]` while the key exists and `[redacted]`
 * once it was destroyed (crypto-shredding). Byte fields (ciphertext, keys) show
 * as base64.
 */
import type { RangeMessage } from '../streams/range-reader.ts';
import { parseCommitBody, readEnvelope, type CommitEnvelope } from '../streams/envelope.ts';
import type { EventRegistry } from '../streams/events/registry.ts';
import { REDACTED } from '../stores/data-keys.ts';

export const SEALED = '[sealed]';

export interface EventRecord {
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  /** JetStream's time of the commit, ISO 8601. */
  readonly time: string;
  /** The event's position in its commit (0-based). */
  readonly index: number;
  readonly type: string;
  /** The version the data is shown at (the current one). */
  readonly version: number;
  /** The version it was stored at (lower when upcast). */
  readonly storedVersion: number;
  readonly command: string;
  readonly commandId: string;
  /** `<userId>/<deviceId>`, or null for system commands. */
  readonly actor: string | null;
  readonly correlationId: string;
  readonly causationId: string;
  readonly data: unknown;
}

export interface Malformed {
  readonly stream: string;
  readonly seq: number;
  readonly subject: string;
  /** The event's index when one event of an otherwise readable commit failed. */
  readonly index?: number;
  readonly error: string;
}

/** Whether a user's data key still exists: undefined while not yet known. */
export type KeyStatus = (userId: string) => boolean | undefined;

export interface DecodedCommit {
  readonly records: EventRecord[];
  readonly malformed: Malformed[];
  /** Users whose key status was unknown: resolve them and decode again. */
  readonly unknownKeys: string[];
}

export const isSealed = (v: Record<string, unknown>): boolean => {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof v['iv'] === 'string' && typeof v['ct'] === 'string';
};

/** The user a sealed value of this commit belongs to: the account subject's user, else the event's userId. */
function ownerOf(subject: string, data: unknown): string | undefined {
  if (subject.startsWith('accounts.user.') || subject.startsWith('accounts.device.')) return subject.split('.')[2];
  const id = (data as { userId?: unknown } | null)?.userId;
  return typeof id === 'string' ? id : undefined;
}

function render(value: unknown, sealed: (v: Record<string, unknown>) => string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map((v) => render(v, sealed));
  const record = value as Record<string, unknown>;
  if (isSealed(record)) return sealed(record);
  const out: Record<string, unknown> = {};
  for (const k in record) out[k] = render(record[k], sealed);
  return out;
}

export function decodeRecords(
  m: Pick<RangeMessage, 'seq' | 'subject' | 'data' | 'timeMs'>,
  stream: string,
  registry: EventRegistry,
  keyStatus: KeyStatus,
): DecodedCommit {
  const { seq, subject } = m;
  const records: EventRecord[] = [];
  const malformed: Malformed[] = [];
  const unknownKeys: string[] = [];
  let json: unknown;
  try {
    json = parseCommitBody(m.data);
  } catch (err) {
    malformed.push({ stream, seq, subject, error: `not a commit body: ${(err as Error).message}` });
    return { records, malformed, unknownKeys };
  }
  // The envelope as the event log reads it (streams/envelope.ts): one definition of a commit body.
  const c = readEnvelope(json);
  if (typeof c === 'string') {
    malformed.push({ stream, seq, subject, error: 'no valid commit envelope' });
    return { records, malformed, unknownKeys };
  }
  const time = commitTime(m);
  c.events.forEach((stored, index) => {
    let event;
    try {
      event = registry.decode(stored);
    } catch (err) {
      malformed.push({ stream, seq, subject, index, error: (err as Error).message });
      return;
    }
    const owner = ownerOf(subject, event.data);
    const data = render(event.data, () => {
      if (owner === undefined) return SEALED;
      const exists = keyStatus(owner);
      if (exists === undefined) {
        unknownKeys.push(owner);
        return SEALED;
      }
      return exists ? SEALED : REDACTED;
    });
    records.push(
      eventRecord(
        { stream, seq, subject, time },
        c,
        index,
        event.type,
        registry.versionOf(event.type) ?? stored.v,
        stored.v,
        data,
      ),
    );
  });
  return { records, malformed, unknownKeys: [...new Set(unknownKeys)] };
}

export const CSV_COLUMNS = [
  'stream',
  'seq',
  'subject',
  'time',
  'index',
  'type',
  'version',
  'stored_version',
  'command',
  'command_id',
  'actor',
  'correlation_id',
  'causation_id',
  'data',
] as const;

const csvField = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toJsonLine(r: EventRecord): string {
  return `${JSON.stringify(r)}\n`;
}

/** The record's `time`: JetStream's time of the commit, ISO 8601. */
export const commitTime = (m: Pick<RangeMessage, 'timeMs'>): string => isoTime(m.timeMs);

/** The second of the last time formatted and its text up to the milliseconds (`…T01:02:03.`). */
let isoSecond = Number.NaN;
let isoPrefix = '';
/** The latest second toISOString writes as `YYYY-MM-DDTHH:MM:SS.sssZ` (four-digit years). */
const LAST_PLAIN_MS = 253_402_300_799_999;

/** `new Date(ms).toISOString()`, with the text of the second kept for the next commits of the same second. */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_PLAIN_MS) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20);
    isoSecond = second;
  }
  const milli = ms - second * 1000;
  return `${isoPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** What a commit's JSON lines show of it besides its events. */
type CommitMeta = Pick<CommitEnvelope, 'command' | 'commandId' | 'actor' | 'correlationId' | 'causationId'>;

const actorOf = (c: CommitMeta): string | null => (c.actor === null ? null : `${c.actor.userId}/${c.actor.deviceId}`);

/** One record: the only place its keys and their order (and so the JSON Lines' key order) are given. */
function eventRecord(
  where: { stream: string; seq: number; subject: string; time: string },
  c: CommitEnvelope,
  index: number,
  type: string,
  version: number,
  storedVersion: number,
  data: unknown,
): EventRecord {
  return {
    stream: where.stream,
    seq: where.seq,
    subject: where.subject,
    time: where.time,
    index,
    type,
    version,
    storedVersion,
    command: c.command,
    commandId: c.commandId,
    actor: actorOf(c),
    correlationId: c.correlationId,
    causationId: c.causationId,
    data,
  };
}

/** Printable ASCII without `"` and `\`: JSON.stringify only adds the quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** JSON.stringify of a string; `quotedAscii` is false after one that is not printable ASCII. */
let quotedAscii = true;
function quote(v: string): string {
  if (PLAIN.test(v)) return `"${v}"`;
  quotedAscii = false;
  return JSON.stringify(v);
}

/** The parts of a commit's JSON lines before and after the event's own keys (see `jsonLineStart`). */
export interface LineParts {
  readonly head: string;
  readonly meta: string;
  readonly ascii: boolean;
}

/**
 * What `toJsonLine` of a record writes before its data is the commit's `head`, the event's
 * index, type and versions, and the commit's `meta` (the keys of `eventRecord`, in its order).
 * Strings are quoted by hand where JSON.stringify would only add quotes: stringifying the whole
 * record cost twice as much.
 */
export function lineParts(
  where: { stream: string; seq: number; subject: string; time: string },
  c: CommitMeta,
): LineParts {
  quotedAscii = true;
  const actor = actorOf(c);
  const head = `{"stream":${quote(where.stream)},"seq":${where.seq},"subject":${quote(where.subject)},"time":${quote(where.time)},"index":`;
  const meta =
    `,"command":${quote(c.command)},"commandId":${quote(c.commandId)},"actor":${actor === null ? 'null' : quote(actor)},` +
    `"correlationId":${quote(c.correlationId)},"causationId":${quote(c.causationId)},"data":`;
  return { head, meta, ascii: quotedAscii };
}

/** A JSON line up to and including `"data":` for the event at `index`; `quotedAscii` tells whether it is ASCII only. */
export function jsonLineStart(
  parts: LineParts,
  registry: EventRegistry,
  index: number,
  type: string,
  storedVersion: number,
): string {
  quotedAscii = parts.ascii;
  const t = quote(type);
  return `${parts.head}${index},"type":${t},"version":${JSON.stringify(registry.versionOf(type) ?? storedVersion)},"storedVersion":${JSON.stringify(storedVersion)}${parts.meta}`;
}

/** Whether the last `jsonLineStart` is ASCII only. */
export const lastLineStartAscii = (): boolean => quotedAscii;

export function toCsvLine(r: EventRecord): string {
  return `${[
    r.stream,
    r.seq,
    r.subject,
    r.time,
    r.index,
    r.type,
    r.version,
    r.storedVersion,
    r.command,
    r.commandId,
    r.actor,
    r.correlationId,
    r.causationId,
    JSON.stringify(r.data),
  ]
    .map(csvField)
    .join(',')}\r\n`;
}

export const csvHeader = (): string => `${CSV_COLUMNS.join(',')}\r\n`;
