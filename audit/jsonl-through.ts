/**
 * The JSON Lines of one stored commit written straight from its stored bytes,
 * without building records or serialising the events' data again.
 *
 * A commit of the binary envelope (streams/envelope.ts) holds its events'
 * data as canonical JSON (written by JSON.stringify) with byte fields as
 * `{"$b":i}` references. When every event is already at its current version,
 * decodes (io-ts, as always) to its stored data unchanged, and holds no sealed
 * personal data, the record's `data` is that stored JSON with each reference
 * replaced by the attachment in base64: exactly what `JSON.stringify(render(…))`
 * of the general path gives (audit/records.ts). The span is checked to be in
 * the form JSON.stringify writes (no white space, no escapes, ASCII only,
 * integers only, no duplicate keys, `$b` only in references); anything else
 * (the first envelope version, an upcast, sealed data, a malformed commit)
 * returns undefined and the caller takes the general path, which writes the same
 * bytes more slowly (audit/replay-golden.test.ts holds the two to one output).
 *
 * A body in encodeBody's own layout is read on its bytes (audit/body-scan.ts:
 * no JSON.parse, no decoding, each event's data checked against its codec on
 * the bytes); any other body is parsed and checked as above.
 */
import { parseCommitBody, readEnvelope } from '../streams/envelope.ts';
import type { EventRegistry } from '../streams/events/registry.ts';
import { isSealed, jsonLineStart, lastLineStartAscii, lineParts } from './records.ts';
import {
  ACTOR,
  BACKSLASH,
  CAUSATION,
  COLON,
  COMMA,
  COMMAND,
  CORRELATION,
  DATA,
  DOLLAR,
  LBRACE,
  LBRACKET,
  literal,
  LOWER_B,
  matches,
  MINUS,
  NINE,
  number,
  Q,
  RBRACE,
  RBRACKET,
  scanCommitBody,
  string,
  ZERO,
  type ScannedBody,
  type ScannedCommit,
} from './body-scan.ts';
import type { LineSink } from './output.ts';

const BINARY_BODY = 0x02;

const EVENTS_KEY = Buffer.from('"events":[', 'latin1');
const EVENT_OPEN = Buffer.from('{"type":', 'latin1');
const V_KEY = Buffer.from(',"v":', 'latin1');
const DATA_KEY = Buffer.from(',"data":', 'latin1');

/** What a scan of event data found: keys outside references, and each reference as (start, end, attachment). */
interface Scan {
  keys: number;
  readonly refs: number[];
}

/**
 * Writes the commit's lines and returns how many events they hold and a promise
 * when the output must drain; or undefined, having written nothing.
 * `where` is the record's position (stream, seq, subject and time).
 */
export function writeJsonLinesThrough(
  data: Uint8Array,
  where: { stream: string; seq: number; subject: string; time: string },
  registry: EventRegistry,
  writer: LineSink,
): { events: number; wait: Promise<void> | undefined } | undefined {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < 5 || buf[0] !== BINARY_BODY) return undefined;
  const jsonEnd = 5 + buf.readUInt32BE(1);
  if (jsonEnd > buf.length) return undefined;
  // On the bytes when the body is in encodeBody's own form; else by parsing it.
  const scanned = scanCommitBody(buf, jsonEnd, registry);
  if (scanned !== undefined) {
    writer.writeBytes(lines, 0, writeLinesOnBytes(buf, jsonEnd, scanned, where));
    return { events: scanned.types.length, wait: writer.waiting() };
  }
  const c = parseAndScan(data, buf, jsonEnd, registry);
  if (c === undefined) return undefined;
  let offset = jsonEnd;
  const offsets: number[] = [];
  for (const n of c.att) {
    offsets.push(offset);
    offset += n;
  }
  const parts = lineParts(where, c);
  const { spans, refs } = c;
  for (let i = 0; i < c.types.length; i++) {
    const start = jsonLineStart(parts, registry, i, c.types[i]!, c.versions[i]!);
    if (lastLineStartAscii()) writer.writeAscii(start);
    else writer.write(start);
    let from = spans[4 * i]!;
    const to = spans[4 * i + 1]!;
    for (let r = spans[4 * i + 2]!; r < spans[4 * i + 3]!; r += 3) {
      writer.writeBytes(buf, from, refs[r]!);
      const a = refs[r + 2]!;
      writer.writeAscii(`"${buf.toString('base64', offsets[a]!, offsets[a]! + c.att[a]!)}"`);
      from = refs[r + 1]!;
    }
    writer.writeBytes(buf, from, to);
    writer.writeAscii('}\n');
  }
  const wait = writer.waiting();
  return { events: c.types.length, wait };
}

/** The lines of a commit read on its bytes are put together here, then written with one copy. */
let lines = Buffer.allocUnsafe(1 << 16);

const STREAM_KEY = Buffer.from('{"stream":', 'latin1');
const SEQ_KEY = Buffer.from(',"seq":', 'latin1');
const SUBJECT_KEY = Buffer.from(',"subject":', 'latin1');
const TIME_KEY = Buffer.from(',"time":', 'latin1');
const INDEX_KEY = Buffer.from(',"index":', 'latin1');
const TYPE_KEY = Buffer.from(',"type":', 'latin1');
const VERSION_KEY = Buffer.from(',"version":', 'latin1');
const STORED_KEY = Buffer.from(',"storedVersion":', 'latin1');
const COMMAND_ID_KEY = Buffer.from(',"commandId":', 'latin1');
const NULL = Buffer.from('null', 'latin1');
const LINE_END = Buffer.from('}\n', 'latin1');

/** Copies `src[from, to)` to `lines` at `at` (short spans by hand: cheaper than a native call); the index after it. */
function put(src: Buffer, from: number, to: number, at: number): number {
  if (to - from > 48) return at + src.copy(lines, at, from, to);
  for (let i = from; i < to; i++) lines[at++] = src[i]!;
  return at;
}

const putAll = (src: Buffer, at: number): number => put(src, 0, src.length, at);

/** A non-negative integer's digits (JSON.stringify's form); the index after them. */
function putInt(n: number, at: number): number {
  if (n >= 0 && n < 10) {
    lines[at] = 0x30 + n;
    return at + 1;
  }
  return at + lines.write(String(n), at, 'latin1');
}

/** A string as JSON.stringify writes it; the index after it. Printable ASCII (the usual case) is copied by hand. */
function putString(v: string, at: number): number {
  const n = v.length;
  lines[at] = Q;
  for (let i = 0; i < n; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === Q || c === BACKSLASH) return at + lines.write(JSON.stringify(v), at, 'utf8');
    lines[at + 1 + i] = c;
  }
  lines[at + 1 + n] = Q;
  return at + n + 2;
}

/**
 * The JSON lines of a commit read on its bytes, into `lines` (its length returned): the same bytes
 * as `lineParts` and `jsonLineStart` (audit/records.ts) with the data after them, without building
 * their strings. The commit's strings are copied as the body has them, quotes included: `string`
 * (audit/body-scan.ts) let through only printable ASCII without escapes, which JSON.stringify
 * writes as it is.
 */
function writeLinesOnBytes(
  b: Buffer,
  jsonEnd: number,
  c: ScannedBody,
  where: { stream: string; seq: number; subject: string; time: string },
): number {
  const { fields, spans, refs, att, typeAt, versions } = c;
  // The most the lines can take: keys and numbers, the quoted strings (6 bytes a unit at most), the
  // spans of the JSON (each line's are apart), and the attachments in base64.
  const fixed = 400 + 6 * (where.stream.length + where.subject.length + where.time.length) + jsonEnd;
  let room = 0;
  for (let i = 0; i < versions.length; i++) {
    room += fixed;
    for (let r = spans[4 * i + 2]!; r < spans[4 * i + 3]!; r += 3) room += 2 + Math.ceil(att[refs[r + 2]!]! / 3) * 4;
  }
  if (lines.length < room) lines = Buffer.allocUnsafe(Math.max(room, lines.length * 2));
  const offsets: number[] = [];
  let offset = jsonEnd;
  for (const n of att) {
    offsets.push(offset);
    offset += n;
  }
  let at = 0;
  for (let i = 0; i < versions.length; i++) {
    at = putAll(STREAM_KEY, at);
    at = putString(where.stream, at);
    at = putAll(SEQ_KEY, at);
    at = putInt(where.seq, at);
    at = putAll(SUBJECT_KEY, at);
    at = putString(where.subject, at);
    at = putAll(TIME_KEY, at);
    at = putString(where.time, at);
    at = putAll(INDEX_KEY, at);
    at = putInt(i, at);
    at = putAll(TYPE_KEY, at);
    at = put(b, typeAt[2 * i]!, typeAt[2 * i + 1]!, at);
    at = putAll(VERSION_KEY, at);
    at = putInt(versions[i]!, at);
    at = putAll(STORED_KEY, at);
    at = putInt(versions[i]!, at);
    at = putAll(COMMAND, at);
    at = put(b, fields[2]!, fields[3]!, at);
    at = putAll(COMMAND_ID_KEY, at);
    at = put(b, fields[0]!, fields[1]!, at);
    at = putAll(ACTOR, at);
    if (fields[8]! < 0) at = putAll(NULL, at);
    else {
      lines[at++] = Q;
      at = put(b, fields[8]!, fields[9]!, at);
      lines[at++] = 0x2f; // '/'
      at = put(b, fields[10]!, fields[11]!, at);
      lines[at++] = Q;
    }
    at = putAll(CORRELATION, at);
    at = put(b, fields[4]!, fields[5]!, at);
    at = putAll(CAUSATION, at);
    at = put(b, fields[6]!, fields[7]!, at);
    at = putAll(DATA, at);
    let from = spans[4 * i]!;
    for (let r = spans[4 * i + 2]!; r < spans[4 * i + 3]!; r += 3) {
      at = put(b, from, refs[r]!, at);
      const a = refs[r + 2]!;
      lines[at++] = Q;
      at += lines.write(b.toString('base64', offsets[a]!, offsets[a]! + att[a]!), at, 'latin1');
      lines[at++] = Q;
      from = refs[r + 1]!;
    }
    at = put(b, from, spans[4 * i + 1]!, at);
    at = putAll(LINE_END, at);
  }
  return at;
}

/**
 * The same reading by parsing the body (for a body whose JSON is not laid out as encodeBody
 * writes it): every event current, decoding to its stored data unchanged, nothing sealed, and
 * its data's span in JSON.stringify's form with the same keys as parsed.
 */
function parseAndScan(
  data: Uint8Array,
  buf: Buffer,
  jsonEnd: number,
  registry: EventRegistry,
): ScannedCommit | undefined {
  let json: unknown;
  try {
    json = parseCommitBody(data);
  } catch {
    return undefined;
  }
  const envelope = readEnvelope(json);
  if (typeof envelope === 'string') return undefined;
  const events = envelope.events;
  if (events.length === 0) return undefined;
  // Every event current, decoding to its stored data unchanged, nothing sealed; count the parsed keys.
  const parsed = { keys: 0, bytes: 0 };
  for (const stored of events)
    if (!registry.decodesUnchanged(stored) || !countPlain(stored.data, parsed)) return undefined;
  // The attachments' lengths, from the table parseCommitBody has checked.
  const att = (json as { att?: unknown }).att as number[];
  // The events array in the stored JSON: each event exactly {"type":…,"v":…,"data":…}.
  let p = buf.indexOf(EVENTS_KEY, 5);
  if (p < 0 || p >= jsonEnd) return undefined;
  p += EVENTS_KEY.length;
  const spans: number[] = [];
  const scan: Scan = { keys: 0, refs: [] };
  for (let i = 0; i < events.length; i++) {
    if (i > 0) {
      if (buf[p] !== COMMA) return undefined;
      p++;
    }
    if (!matches(buf, p, EVENT_OPEN)) return undefined;
    p = string(buf, p + EVENT_OPEN.length, jsonEnd);
    if (p < 0 || !matches(buf, p, V_KEY)) return undefined;
    p = number(buf, p + V_KEY.length, jsonEnd);
    if (p < 0 || !matches(buf, p, DATA_KEY)) return undefined;
    const start = p + DATA_KEY.length;
    const refsBefore = scan.refs.length;
    p = value(buf, start, jsonEnd, scan);
    if (p < 0 || buf[p] !== RBRACE) return undefined;
    spans.push(start, p, refsBefore, scan.refs.length);
    p++;
  }
  if (buf[p] !== RBRACKET) return undefined;
  if (scan.keys !== parsed.keys || scan.refs.length / 3 !== parsed.bytes) return undefined;
  for (let r = 2; r < scan.refs.length; r += 3) if (scan.refs[r]! >= att.length) return undefined;
  return {
    ...envelope,
    types: events.map((e) => e.type),
    versions: events.map((e) => e.v),
    spans,
    refs: scan.refs,
    att,
  };
}

/** Counts the keys of the plain objects and the byte fields; false when a sealed value is met (it needs the general path). */
function countPlain(v: unknown, count: { keys: number; bytes: number }): boolean {
  if (v === null || typeof v !== 'object') return true;
  if (v instanceof Uint8Array) {
    count.bytes++;
    return true;
  }
  if (Array.isArray(v)) {
    for (const x of v) if (!countPlain(x, count)) return false;
    return true;
  }
  const record = v as Record<string, unknown>;
  if (isSealed(record)) return false;
  for (const k in record) {
    count.keys++;
    if (!countPlain(record[k], count)) return false;
  }
  return true;
}

/** One JSON value from `p`; the index after it, or -1 when it is not in JSON.stringify's own form. */
function value(b: Buffer, p: number, end: number, s: Scan): number {
  if (p >= end) return -1;
  const c = b[p]!;
  if (c === Q) return string(b, p, end);
  if (c === LBRACE) return object(b, p, end, s);
  if (c === LBRACKET) return array(b, p, end, s);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return number(b, p, end);
  if (c === 0x74) return literal(b, p, 'true');
  if (c === 0x66) return literal(b, p, 'false');
  if (c === 0x6e) return literal(b, p, 'null');
  return -1;
}

function object(b: Buffer, p: number, end: number, s: Scan): number {
  // A byte field's reference: {"$b":<index>}
  if (b[p + 1] === Q && b[p + 2] === DOLLAR && b[p + 3] === LOWER_B && b[p + 4] === Q && b[p + 5] === COLON) {
    let i = p + 6;
    let n = 0;
    while (i < end && b[i]! >= ZERO && b[i]! <= NINE && i - (p + 6) < 9) n = n * 10 + (b[i++]! - ZERO);
    const digits = i - (p + 6);
    if (digits === 0 || (digits > 1 && b[p + 6] === ZERO) || b[i] !== RBRACE) return -1;
    s.refs.push(p, i + 1, n);
    return i + 1;
  }
  let i = p + 1;
  if (b[i] === RBRACE) return i + 1;
  for (;;) {
    i = string(b, i, end);
    if (i < 0 || b[i] !== COLON) return -1;
    s.keys++;
    i = value(b, i + 1, end, s);
    if (i < 0 || i >= end) return -1;
    if (b[i] === COMMA) i++;
    else if (b[i] === RBRACE) return i + 1;
    else return -1;
  }
}

function array(b: Buffer, p: number, end: number, s: Scan): number {
  let i = p + 1;
  if (b[i] === RBRACKET) return i + 1;
  for (;;) {
    i = value(b, i, end, s);
    if (i < 0 || i >= end) return -1;
    if (b[i] === COMMA) i++;
    else if (b[i] === RBRACKET) return i + 1;
    else return -1;
  }
}
