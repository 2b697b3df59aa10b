/**
 * A stored commit body of the binary envelope (streams/envelope.ts) read on its
 * bytes, for replay's through path (audit/jsonl-through.ts): no JSON.parse, no
 * objects built for the commit or its events.
 *
 * The body's JSON must be exactly as `encodeBody` writes it (its keys in its
 * order, JSON.stringify's form: no white space, no escapes, ASCII only,
 * integers only), and each event's data is checked on the bytes against its
 * type's current codec, compiled once into a byte checker: what the codec's
 * type guard would say of the parsed data, for codecs whose guard tells that
 * the data decodes to itself unchanged (EventRegistry.guardedCodec). A byte
 * field is a reference `{"$b":i}` to an attachment. Anything else (another
 * key order, an extra key, a key twice, a codec the checker does not know,
 * sealed data) returns undefined and the caller takes the path that parses
 * the body, which gives the same answer more slowly.
 */
import * as t from 'io-ts';
import { Base64Bytes } from '../streams/events/codecs.ts';
import type { EventRegistry } from '../streams/events/registry.ts';

/** The bytes of JSON's syntax that the byte readers look for (also audit/jsonl-through.ts). */
export const Q = 0x22;
export const BACKSLASH = 0x5c;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const COLON = 0x3a;
export const COMMA = 0x2c;
export const MINUS = 0x2d;
export const ZERO = 0x30;
export const NINE = 0x39;
export const DOLLAR = 0x24;
export const LOWER_B = 0x62;

/** Printable ASCII without `"` and `\`: JSON.stringify writes such a string as it is, in quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** The value of the last integer `number` read. */
let lastNumber = 0;

export function matches(buf: Buffer, at: number, what: Buffer): boolean {
  for (let i = 0; i < what.length; i++) if (buf[at + i] !== what[i]) return false;
  return true;
}

/** A string of printable ASCII without escapes (and not `"$b"`): the index after it, or -1. */
export function string(b: Buffer, p: number, end: number): number {
  if (b[p] !== Q) return -1;
  if (b[p + 1] === DOLLAR && b[p + 2] === LOWER_B && b[p + 3] === Q) return -1;
  for (let i = p + 1; i < end; i++) {
    const c = b[i]!;
    if (c === Q) return i + 1;
    if (c === BACKSLASH || c >= 0x80 || c < 0x20) return -1;
  }
  return -1;
}

/**
 * An integer of at most 15 digits as JSON.stringify writes it (no leading zero, no -0, no
 * fraction or exponent): the index after it (its value in `lastNumber`), or -1.
 */
export function number(b: Buffer, p: number, end: number): number {
  let i = p;
  if (b[i] === MINUS) i++;
  const first = i;
  let n = 0;
  while (i < end && b[i]! >= ZERO && b[i]! <= NINE) n = n * 10 + (b[i++]! - ZERO);
  const digits = i - first;
  if (digits === 0 || digits > 15 || (b[first] === ZERO && (digits > 1 || first > p))) return -1;
  const c = b[i];
  if (c === 0x2e || c === 0x65 || c === 0x45) return -1;
  lastNumber = first > p ? -n : n;
  return i;
}

export function literal(b: Buffer, p: number, word: string): number {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return -1;
  return p + word.length;
}

const boolean = (b: Buffer, p: number): number => (b[p] === 0x74 ? literal(b, p, 'true') : literal(b, p, 'false'));
const nullValue = (b: Buffer, p: number): number => literal(b, p, 'null');

/** A byte field's reference `{"$b":<index>}`: the index after it, or -1; (start, end, index) pushed to `refs`. */
function reference(b: Buffer, p: number, end: number, refs: number[]): number {
  if (
    b[p] !== LBRACE ||
    b[p + 1] !== Q ||
    b[p + 2] !== DOLLAR ||
    b[p + 3] !== LOWER_B ||
    b[p + 4] !== Q ||
    b[p + 5] !== COLON
  )
    return -1;
  let i = p + 6;
  let n = 0;
  while (i < end && b[i]! >= ZERO && b[i]! <= NINE && i - (p + 6) < 9) n = n * 10 + (b[i++]! - ZERO);
  const digits = i - (p + 6);
  if (digits === 0 || (digits > 1 && b[p + 6] === ZERO) || b[i] !== RBRACE) return -1;
  refs.push(p, i + 1, n);
  return i + 1;
}

/** One value of a codec on the bytes from `p`: the index after it, or -1 when its type guard would refuse it (or it is not in the form). */
type Check = (b: Buffer, p: number, end: number, refs: number[]) => number;

interface Compiled {
  readonly check: Check;
  /** Holds no byte field (so a union may try it and leave nothing behind). */
  readonly exact: boolean;
}

/** A string or an integer checked by refinements (innermost first), on its value. */
function refined(codec: t.Mixed): Check | undefined {
  const predicates: ((v: unknown) => boolean)[] = [];
  let base = codec;
  while (base instanceof t.RefinementType) {
    predicates.unshift(base.predicate as (v: unknown) => boolean);
    base = base.type as t.Mixed;
  }
  const all = (v: unknown) => {
    for (const p of predicates) if (!p(v)) return false;
    return true;
  };
  if (base instanceof t.StringType)
    return (b, p, end) => {
      const q = string(b, p, end);
      return q >= 0 && all(b.toString('latin1', p + 1, q - 1)) ? q : -1;
    };
  if (base instanceof t.NumberType)
    return (b, p, end) => {
      const q = number(b, p, end);
      return q >= 0 && all(lastNumber) ? q : -1;
    };
  return undefined;
}

function object(props: Record<string, t.Mixed>): Compiled | undefined {
  const keys = Object.keys(props);
  // A value of exactly {iv, ct} strings is sealed data: shown otherwise, so not written through.
  if (keys.includes('iv') && keys.includes('ct')) return undefined;
  if (!keys.every((k) => PLAIN.test(k) && k !== '$b')) return undefined;
  const parts = keys.map((k) => compile(props[k]!));
  if (parts.some((c) => c === undefined)) return undefined;
  const checks = parts.map((c) => c!.check);
  const keyBytes = keys.map((k) => Buffer.from(`"${k}":`, 'latin1'));
  const index = new Map(keys.map((k, i) => [k, i]));
  const n = keys.length;
  // Which keys this value had: seen[k] === round.
  const seen = new Float64Array(n);
  let round = 0;
  const check: Check = (b, p, end, refs) => {
    if (b[p] !== LBRACE) return -1;
    let i = p + 1;
    if (b[i] === RBRACE) return n === 0 ? i + 1 : -1;
    const r = ++round;
    let count = 0;
    let next = 0;
    for (;;) {
      let k: number;
      if (next < n && matches(b, i, keyBytes[next]!)) {
        k = next;
        i += keyBytes[k]!.length;
      } else {
        const q = string(b, i, end);
        if (q < 0 || b[q] !== COLON) return -1;
        k = index.get(b.toString('latin1', i + 1, q - 1)) ?? -1;
        if (k < 0) return -1; // a key the codec does not name
        i = q + 1;
      }
      if (seen[k] === r) return -1; // a key twice
      seen[k] = r;
      count++;
      next = k + 1;
      i = checks[k]!(b, i, end, refs);
      if (i < 0 || i >= end) return -1;
      if (b[i] === COMMA) i++;
      else if (b[i] === RBRACE) return count === n ? i + 1 : -1;
      else return -1;
    }
  };
  return { check, exact: parts.every((c) => c!.exact) };
}

function array(item: Compiled): Compiled {
  const check: Check = (b, p, end, refs) => {
    if (b[p] !== LBRACKET) return -1;
    let i = p + 1;
    if (b[i] === RBRACKET) return i + 1;
    for (;;) {
      i = item.check(b, i, end, refs);
      if (i < 0 || i >= end) return -1;
      if (b[i] === COMMA) i++;
      else if (b[i] === RBRACKET) return i + 1;
      else return -1;
    }
  };
  return { check, exact: item.exact };
}

/** The byte checker of a codec, or undefined for a codec it does not know. */
function compile(codec: t.Mixed): Compiled | undefined {
  if (codec === (Base64Bytes as t.Mixed)) return { check: reference, exact: false };
  if (codec instanceof t.StringType) return { check: string, exact: true };
  if (codec instanceof t.NumberType) return { check: number, exact: true };
  if (codec instanceof t.BooleanType) return { check: boolean, exact: true };
  if (codec instanceof t.NullType) return { check: nullValue, exact: true };
  if (codec instanceof t.LiteralType) {
    const value = codec.value as unknown;
    const text = JSON.stringify(value);
    const known =
      typeof value === 'boolean' ||
      (typeof value === 'string' && PLAIN.test(value) && value !== '$b') ||
      (typeof value === 'number' && Number.isSafeInteger(value));
    if (!known) return undefined;
    const scalar = typeof value === 'string' ? string : typeof value === 'number' ? number : boolean;
    return {
      check: (b, p, end) => {
        const q = scalar(b, p, end);
        return q >= 0 && q - p === text.length && b.toString('latin1', p, q) === text ? q : -1;
      },
      exact: true,
    };
  }
  if (codec instanceof t.KeyofType) {
    const keys = codec.keys as Record<string, unknown>;
    return {
      check: (b, p, end) => {
        const q = string(b, p, end);
        return q >= 0 && Object.hasOwn(keys, b.toString('latin1', p + 1, q - 1)) ? q : -1;
      },
      exact: true,
    };
  }
  if (codec instanceof t.RefinementType) {
    const check = refined(codec);
    return check === undefined ? undefined : { check, exact: true };
  }
  if (codec instanceof t.InterfaceType) return object(codec.props as Record<string, t.Mixed>);
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) {
    const item = compile(codec.type as t.Mixed);
    return item === undefined ? undefined : array(item);
  }
  if (codec instanceof t.ReadonlyType) return compile(codec.type as t.Mixed);
  if (codec instanceof t.UnionType) {
    const members = (codec.types as t.Mixed[]).map(compile);
    if (members.some((m) => m === undefined || !m.exact)) return undefined;
    const checks = members.map((m) => m!.check);
    return {
      check: (b, p, end, refs) => {
        for (const c of checks) {
          const q = c(b, p, end, refs);
          if (q >= 0) return q;
        }
        return -1;
      },
      exact: true,
    };
  }
  return undefined;
}

const compiled = new WeakMap<EventRegistry, Map<string, Check | null>>();

/** The byte checker of a type's current data, or undefined (not registered, or not a codec the checker knows). */
function checkerOf(registry: EventRegistry, type: string): Check | undefined {
  let byType = compiled.get(registry);
  if (byType === undefined) {
    byType = new Map();
    compiled.set(registry, byType);
  }
  let c = byType.get(type);
  if (c === undefined) {
    const codec = registry.guardedCodec(type);
    c = codec === undefined ? null : (compile(codec)?.check ?? null);
    byType.set(type, c);
  }
  return c ?? undefined;
}

/** A commit body read by `scanCommitBody`: its fields and where each event's pieces are in the bytes. */
export interface ScannedCommit {
  readonly commandId: string;
  readonly command: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: { readonly userId: string; readonly deviceId: string } | null;
  readonly types: string[];
  readonly versions: number[];
  /** Per event: where its data starts and ends, and its references' range in `refs` (by threes). */
  readonly spans: number[];
  /** Per reference: start, end and attachment index. */
  readonly refs: number[];
  /** The attachments' lengths, one after the other from the end of the JSON. */
  readonly att: number[];
}

const HEAD = Buffer.from('{"v":2,"commandId":', 'latin1');
/** Keys of the body's JSON that replay's lines write as they are too (audit/jsonl-through.ts). */
export const COMMAND = Buffer.from(',"command":', 'latin1');
export const CORRELATION = Buffer.from(',"correlationId":', 'latin1');
export const CAUSATION = Buffer.from(',"causationId":', 'latin1');
export const ACTOR = Buffer.from(',"actor":', 'latin1');
const USER = Buffer.from('{"userId":', 'latin1');
const DEVICE = Buffer.from(',"deviceId":', 'latin1');
const AT = Buffer.from(',"at":', 'latin1');
const EVENTS = Buffer.from(',"events":[', 'latin1');
const EVENT = Buffer.from('{"type":', 'latin1');
const V = Buffer.from(',"v":', 'latin1');
export const DATA = Buffer.from(',"data":', 'latin1');
const ATT = Buffer.from('],"att":[', 'latin1');

/** A plain string at `p` followed by `after`: the index after its closing quote (before `after`), or -1. */
function field(b: Buffer, p: number, end: number, after: Buffer): number {
  const q = string(b, p, end);
  return q < 0 || !matches(b, q, after) ? -1 : q;
}

/**
 * A commit read by `scanCommitBody`: its strings are where the body has them (`fields`: start and
 * end of commandId, command, correlationId and causationId with their quotes; then the actor's
 * userId and deviceId without quotes, or -1 -1 for no actor; `typeAt`: each event type's, with its
 * quotes), and sliced from the bytes only when asked for.
 */
export class ScannedBody implements ScannedCommit {
  constructor(
    readonly body: Buffer,
    readonly fields: readonly number[],
    readonly typeAt: readonly number[],
    readonly types: string[],
    readonly versions: number[],
    readonly spans: number[],
    readonly refs: number[],
    readonly att: number[],
  ) {}

  private quoted(i: number): string {
    return this.body.toString('latin1', this.fields[i]! + 1, this.fields[i + 1]! - 1);
  }

  get commandId(): string {
    return this.quoted(0);
  }

  get command(): string {
    return this.quoted(2);
  }

  get correlationId(): string {
    return this.quoted(4);
  }

  get causationId(): string {
    return this.quoted(6);
  }

  get actor(): { userId: string; deviceId: string } | null {
    const f = this.fields;
    if (f[8]! < 0) return null;
    return {
      userId: this.body.toString('latin1', f[8]!, f[9]!),
      deviceId: this.body.toString('latin1', f[10]!, f[11]!),
    };
  }
}

/**
 * Reads a binary-envelope body whose JSON ends at `jsonEnd` (the attachments after it), in the
 * form encodeBody writes, every event at its current version and its data what its codec's type
 * guard accepts (so decoding gives it back unchanged), nothing sealed; undefined otherwise.
 */
export function scanCommitBody(b: Buffer, jsonEnd: number, registry: EventRegistry): ScannedBody | undefined {
  if (!matches(b, 5, HEAD)) return undefined;
  const f0 = 5 + HEAD.length;
  const f1 = field(b, f0, jsonEnd, COMMAND);
  if (f1 < 0) return undefined;
  const f2 = f1 + COMMAND.length;
  const f3 = field(b, f2, jsonEnd, CORRELATION);
  if (f3 < 0) return undefined;
  const f4 = f3 + CORRELATION.length;
  const f5 = field(b, f4, jsonEnd, CAUSATION);
  if (f5 < 0) return undefined;
  const f6 = f5 + CAUSATION.length;
  const f7 = field(b, f6, jsonEnd, ACTOR);
  if (f7 < 0) return undefined;
  let p = f7 + ACTOR.length;
  let u0 = -1;
  let u1 = -1;
  let d0 = -1;
  let d1 = -1;
  if (matches(b, p, USER)) {
    const userEnd = field(b, p + USER.length, jsonEnd, DEVICE);
    if (userEnd < 0) return undefined;
    u0 = p + USER.length + 1;
    u1 = userEnd - 1;
    const deviceAt = userEnd + DEVICE.length;
    const q = string(b, deviceAt, jsonEnd);
    if (q < 0 || b[q] !== RBRACE) return undefined;
    d0 = deviceAt + 1;
    d1 = q - 1;
    p = q + 1;
  } else {
    p = nullValue(b, p);
    if (p < 0) return undefined;
  }
  if (!matches(b, p, AT)) return undefined;
  p = number(b, p + AT.length, jsonEnd);
  if (p < 0 || !matches(b, p, EVENTS)) return undefined;
  p += EVENTS.length;
  const types: string[] = [];
  const typeAt: number[] = [];
  const versions: number[] = [];
  const spans: number[] = [];
  const refs: number[] = [];
  for (;;) {
    if (!matches(b, p, EVENT)) return undefined;
    const typeStart = p + EVENT.length;
    const typeEnd = string(b, typeStart, jsonEnd);
    if (typeEnd < 0 || !matches(b, typeEnd, V)) return undefined;
    const type = b.toString('latin1', typeStart + 1, typeEnd - 1);
    p = number(b, typeEnd + V.length, jsonEnd);
    if (p < 0 || !matches(b, p, DATA)) return undefined;
    const v = lastNumber;
    if (registry.versionOf(type) !== v) return undefined;
    const check = checkerOf(registry, type);
    if (check === undefined) return undefined;
    const start = p + DATA.length;
    const refsBefore = refs.length;
    p = check(b, start, jsonEnd, refs);
    if (p < 0 || b[p] !== RBRACE) return undefined;
    types.push(type);
    typeAt.push(typeStart, typeEnd);
    versions.push(v);
    spans.push(start, p, refsBefore, refs.length);
    p++;
    if (b[p] === COMMA) p++;
    else break;
  }
  if (!matches(b, p, ATT)) return undefined;
  p += ATT.length;
  const att: number[] = [];
  let total = 0;
  if (b[p] === RBRACKET) p++;
  else
    for (;;) {
      p = number(b, p, jsonEnd);
      if (p < 0 || lastNumber < 0) return undefined;
      att.push(lastNumber);
      total += lastNumber;
      if (b[p] === COMMA) p++;
      else if (b[p] === RBRACKET) {
        p++;
        break;
      } else return undefined;
    }
  if (b[p] !== RBRACE || p + 1 !== jsonEnd || jsonEnd + total !== b.length) return undefined;
  for (let r = 2; r < refs.length; r += 3) if (refs[r]! >= att.length) return undefined;
  return new ScannedBody(
    b,
    [f0, f1, f2, f3, f4, f5, f6, f7, u0, u1, d0, d1],
    typeAt,
    types,
    versions,
    spans,
    refs,
    att,
  );
}
