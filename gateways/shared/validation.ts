/**
 * Request validation at the gRPC boundary: io-ts codecs with human messages,
 * and `decodeRequest`, which turns the first failure into INVALID_REQUEST
 * naming the field by its path in the request (`key_bundle.identity_key`,
 * `message_ids[3]`):
 *
 *   invalid request: username must be 3-32 characters of letters, digits and '_'
 *   details: { field: 'username' }
 *
 * The codecs expect what @grpc/proto-loader produces with the options in
 * proto.ts: snake_case names, int64/uint64 as decimal strings, enums as names
 * (an undefined enum number arrives as a number), bytes as Buffer, proto3
 * defaults filled in ('' for an absent string, null for an absent message).
 * Character counts are Unicode code points, not UTF-16 units.
 */
import * as t from 'io-ts';
import { isRight, left, right, type Either } from 'fp-ts/lib/Either.js';
import { errorResponse, type ErrorResponseShape } from './errors.ts';

// ---------------------------------------------------------------------------
// Decoding a request
// ---------------------------------------------------------------------------

/** Decodes `raw` with `codec`; on failure, INVALID_REQUEST naming the first field at fault. */
export function decodeRequest<T>(codec: t.Decoder<unknown, T>, raw: unknown): Either<ErrorResponseShape, T> {
  const result = codec.decode(raw);
  if (isRight(result)) return right(result.right);
  const first = result.left[0];
  const field = first === undefined ? '' : fieldPath(first.context);
  const name = field === '' ? 'request' : field;
  const problem = first === undefined ? 'is not valid' : describeFirst(result.left);
  return left(errorResponse('INVALID_REQUEST', `invalid request: ${name} ${problem}`, { field: name }));
}

/** The request path of an io-ts context: `a.b`, with list indexes as `a[2]`; union/intersection members are skipped. */
export function fieldPath(context: t.Context): string {
  let path = '';
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1];
    const entry = context[i];
    if (parent === undefined || entry === undefined) continue;
    const tag = (parent.type as { readonly _tag?: string })._tag;
    if (tag === 'UnionType' || tag === 'IntersectionType') continue;
    if (Array.isArray(parent.actual)) path += `[${entry.key}]`;
    else path += path === '' ? entry.key : `.${entry.key}`;
  }
  return path;
}

const tagOf = (type: t.Decoder<unknown, unknown> | undefined) => (type as { readonly _tag?: string } | undefined)?._tag;

/**
 * The first failure's message. When the failing value is an alternative of a
 * union (`t.union([t.literal(''), EnumName(...)])`), the message speaks for
 * the whole union: every value and alternative it accepts.
 */
function describeFirst(errors: t.Errors, from = 0): string {
  const first = errors[0]!;
  const at = first.context.length - 2;
  const unionHolds = at >= from && tagOf(first.context[at]?.type) === 'UnionType';
  return unionHolds && first.value !== undefined ? describeUnion(errors, first.context, at) : describeFailure(first);
}

/** Codecs made by EnumName, with the names they accept. */
const enumValues = new WeakMap<object, readonly string[]>();

const ABSENT = Symbol('absent');

/** What an enum-like codec accepts (literals, keyof, EnumName; ABSENT for undefined/null), or undefined for any other codec. */
function acceptedValues(type: t.Decoder<unknown, unknown>): readonly unknown[] | undefined {
  const tag = tagOf(type);
  if (tag === 'LiteralType') return [(type as t.LiteralC<string | number | boolean>).value];
  if (tag === 'KeyofType') return Object.keys((type as t.KeyofC<Record<string, unknown>>).keys);
  if (tag === 'UndefinedType' || tag === 'NullType' || tag === 'VoidType') return [ABSENT];
  if (tag === 'UnionType') {
    const parts = (type as t.UnionType<t.Mixed[]>).types.map(acceptedValues);
    return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
  }
  return enumValues.get(type);
}

/** Accepted values as a phrase: `"jpeg", "png"`; the empty string and absence are named at the end. */
function listValues(values: readonly unknown[]): { list: string; count: number; empty: boolean } {
  const shown = [...new Set(values.filter((v) => v !== ABSENT && v !== ''))].map((v) => JSON.stringify(v));
  return { list: shown.join(', '), count: shown.length, empty: values.includes('') };
}

/** `must be one of "a", "b" (or empty)`, with the messages of the union's other alternatives after `or`. */
function describeUnion(errors: t.Errors, context: t.Context, at: number): string {
  const union = context[at]!.type as t.UnionType<t.Mixed[]>;
  const values: unknown[] = [];
  const others: string[] = [];
  union.types.forEach((member, i) => {
    const accepted = acceptedValues(member);
    if (accepted !== undefined) {
      values.push(...accepted);
      return;
    }
    const inMember = errors.filter(
      (e) =>
        e.context.length > at + 1 &&
        e.context[at + 1]?.key === String(i) &&
        context
          .slice(0, at + 1)
          .every((entry, j) => e.context[j]?.type === entry.type && e.context[j]?.key === entry.key),
    );
    if (inMember.length > 0) others.push(describeFirst(inMember, at + 2));
  });
  const { list, count, empty } = listValues(values);
  if (others.length > 0)
    return [count > 0 ? `must be ${count === 1 ? list : `one of ${list}`}` : '', ...others]
      .filter((s) => s !== '')
      .join('; or ');
  const phrase = count === 0 ? 'must be empty' : count === 1 ? `must be ${list}` : `must be one of ${list}`;
  return count > 0 && empty ? `${phrase} (or empty)` : phrase;
}

function describeFailure(error: t.ValidationError): string {
  if (error.message !== undefined) return error.message;
  if (error.value === undefined) return 'is required';
  const expected = error.context[error.context.length - 1]?.type;
  switch ((expected as { readonly _tag?: string } | undefined)?._tag) {
    case 'StringType':
      return 'must be a string';
    case 'NumberType':
      return 'must be a number';
    case 'BooleanType':
      return 'must be true or false';
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return 'must be a list';
    case 'InterfaceType':
    case 'PartialType':
    case 'ExactType':
    case 'StrictType':
      return 'must be a message';
    case 'LiteralType':
    case 'KeyofType':
    case 'UnionType': {
      const accepted = expected === undefined ? undefined : acceptedValues(expected);
      if (accepted === undefined) return `must be ${expected?.name ?? 'another value'}`;
      const { list, count } = listValues(accepted);
      return count === 1 ? `must be ${list}` : `must be one of ${list}`;
    }
    default:
      return `is not a valid ${expected?.name ?? 'value'}`;
  }
}

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/** Marks a parse failure with the reason shown to the client ("must be ..."). */
class Invalid {
  constructor(readonly reason: string) {}
}

/** A codec from a parse function; the output is also what it encodes to. */
function parsed<A>(
  name: string,
  is: (u: unknown) => u is A,
  parse: (u: unknown) => A | Invalid,
): t.Type<A, A, unknown> {
  return new t.Type<A, A, unknown>(
    name,
    is,
    (u, c) => {
      const r = parse(u);
      return r instanceof Invalid ? t.failure(u, c, r.reason) : t.success(r);
    },
    t.identity,
  );
}

/** A string codec accepting exactly the strings `accept` approves. */
function checkedString(name: string, mustBe: string, accept: (s: string) => boolean): t.Type<string, string, unknown> {
  const is = (u: unknown): u is string => typeof u === 'string' && accept(u);
  return parsed(name, is, (u) => (is(u) ? u : new Invalid(mustBe)));
}

/** Unicode code points in `s`, counting no further than `limit + 1`. */
function codePointsUpTo(s: string, limit: number): number {
  if (s.length <= limit) return [...s].length; // UTF-16 units bound code points from above
  let n = 0;
  for (const _ of s) if (++n > limit) break;
  return n;
}

const CONTROL_CHARACTER = /\p{Cc}/u;

// ---------------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------------

/** A new username: 3-32 of [A-Za-z0-9_] (unique case-insensitively; the claim decides). */
export const Username = checkedString('Username', "must be 3-32 characters of letters, digits and '_'", (s) =>
  /^[A-Za-z0-9_]{3,32}$/.test(s),
);

/** A new password: 12-128 characters (code points) of anything. */
export const Password = checkedString('Password', 'must be 12-128 characters', (s) => {
  const n = codePointsUpTo(s, 128);
  return n >= 12 && n <= 128;
});

/**
 * The username of a login: also the older rule's names (with '.' and '-'), so
 * accounts made before the rule tightened can still sign in.
 */
export const LoginUsername = checkedString(
  'LoginUsername',
  "must be 3-32 characters of letters, digits, '_', '.', '-'",
  (s) => /^[A-Za-z0-9_.-]{3,32}$/.test(s),
);

/**
 * The password of a login or a re-check: 1-128 characters. The length rule is
 * enforced where a password is set, not where it is checked, so a password
 * chosen under an older rule still works.
 */
export const LoginPassword = checkedString('LoginPassword', 'must be 1-128 characters', (s) => {
  const n = codePointsUpTo(s, 128);
  return n >= 1 && n <= 128;
});

/** A SearchUsers query: a case-insensitive username prefix, 1-32 of [A-Za-z0-9_]. */
export const SearchQuery = checkedString('SearchQuery', "must be 1-32 characters of letters, digits and '_'", (s) =>
  /^[A-Za-z0-9_]{1,32}$/.test(s),
);

export const Email = checkedString(
  'Email',
  'must be empty or an email address (name@example.org) of at most 254 characters',
  (s) => s === '' || (s.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(s) && !CONTROL_CHARACTER.test(s)),
);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_EXAMPLE = '123e4567-e89b-12d3-a456-426614174000';

/** A UUID in canonical lower-case form. */
export const Uuid = checkedString('Uuid', `must be a lower-case UUID like ${UUID_EXAMPLE}`, (s) => UUID.test(s));

/** '' (proto3's "not given") as undefined, else a lower-case UUID. */
export const OptionalUuid = parsed<string | undefined>(
  'OptionalUuid',
  (u): u is string | undefined => u === undefined || (typeof u === 'string' && UUID.test(u)),
  (u) =>
    u === '' || u === undefined
      ? undefined
      : typeof u === 'string' && UUID.test(u)
        ? u
        : new Invalid(`must be empty or a lower-case UUID like ${UUID_EXAMPLE}`),
);

export interface BoundedStringOptions {
  /** Fewest characters accepted (default 0). */
  readonly min?: number;
  /** Refuse control characters (newlines, tabs, NUL, ...). Default false. */
  readonly rejectControl?: boolean;
}

/** A string of `min`-`max` characters (code points); `name` names the codec in diagnostics. */
export function BoundedString(
  name: string,
  max: number,
  options: BoundedStringOptions = {},
): t.Type<string, string, unknown> {
  const min = options.min ?? 0;
  const length =
    min === 0 ? `at most ${max} characters` : min === max ? `exactly ${max} characters` : `${min}-${max} characters`;
  const mustBe = `must be ${length}${options.rejectControl === true ? ', without control characters' : ''}`;
  return checkedString(name, mustBe, (s) => {
    const n = codePointsUpTo(s, max);
    return n >= min && n <= max && !(options.rejectControl === true && CONTROL_CHARACTER.test(s));
  });
}

export const DeviceName = BoundedString('DeviceName', 64, { rejectControl: true });

// ---------------------------------------------------------------------------
// Bytes
// ---------------------------------------------------------------------------

export interface BoundedBytesOptions {
  /** Fewest bytes accepted (default 0; 1 means "must not be empty"). */
  readonly min?: number;
}

/** Bytes (Buffer or Uint8Array) of `min`-`max` length, as a Buffer (no copy). Take `max` from config. */
export function BoundedBytes(max: number, options: BoundedBytesOptions = {}): t.Type<Buffer, Buffer, unknown> {
  const min = options.min ?? 0;
  const mustBe =
    min === 0
      ? `must be at most ${max} bytes`
      : min === 1
        ? `must be non-empty and at most ${max} bytes`
        : `must be ${min}-${max} bytes`;
  const fits = (b: Uint8Array) => b.length >= min && b.length <= max;
  return parsed(
    `BoundedBytes(${max})`,
    (u): u is Buffer => Buffer.isBuffer(u) && fits(u),
    (u) => {
      if (!(u instanceof Uint8Array)) return new Invalid('must be bytes');
      if (!fits(u)) return new Invalid(mustBe);
      return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    },
  );
}

// ---------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------

/** A whole number given as a number or a decimal string (how proto-loader hands over 64-bit fields). */
function wholeNumber(u: unknown): number | undefined {
  if (typeof u === 'number') return Number.isSafeInteger(u) ? u : undefined;
  if (typeof u === 'string' && /^-?\d{1,16}$/.test(u)) {
    const n = Number(u);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

export interface TimestampValue {
  readonly seconds: number;
  readonly nanos: number;
}

const MAX_TIMESTAMP_SECONDS = 1e11;
const TIMESTAMP_RULE = `must be a timestamp with whole seconds within ±${MAX_TIMESTAMP_SECONDS} and nanos 0-999999999`;

/** guardyn.common.Timestamp or absent (null): seconds as numbers, ready for arithmetic. */
export const OptionalTimestamp = parsed<TimestampValue | null>(
  'OptionalTimestamp',
  (u): u is TimestampValue | null =>
    u === null || (typeof u === 'object' && isTimestampValue(u as Record<string, unknown>)),
  (u) => {
    if (u === null || u === undefined) return null;
    if (typeof u !== 'object') return new Invalid(TIMESTAMP_RULE);
    const { seconds, nanos } = u as Record<string, unknown>;
    const s = wholeNumber(seconds);
    const ns = wholeNumber(nanos ?? 0);
    if (s === undefined || Math.abs(s) > MAX_TIMESTAMP_SECONDS || ns === undefined || ns < 0 || ns > 999_999_999)
      return new Invalid(TIMESTAMP_RULE);
    return { seconds: s, nanos: ns };
  },
);

function isTimestampValue(o: Record<string, unknown>): boolean {
  const { seconds, nanos } = o;
  return (
    typeof seconds === 'number' &&
    Number.isSafeInteger(seconds) &&
    Math.abs(seconds) <= MAX_TIMESTAMP_SECONDS &&
    typeof nanos === 'number' &&
    Number.isInteger(nanos) &&
    nanos >= 0 &&
    nanos <= 999_999_999
  );
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

/** A page size or list limit: 1-100, with 0 (proto3's "not given") meaning `defaultSize`. */
export function PageSizeWithDefault(defaultSize: number): t.Type<number, number, unknown> {
  return parsed(
    'PageSize',
    (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= 1 && u <= MAX_PAGE_SIZE,
    (u) => {
      const n = wholeNumber(u);
      if (n === 0) return defaultSize;
      if (n === undefined || n < 1 || n > MAX_PAGE_SIZE)
        return new Invalid(`must be 1-${MAX_PAGE_SIZE} (0 selects the default, ${defaultSize})`);
      return n;
    },
  );
}

export const PageSize = PageSizeWithDefault(DEFAULT_PAGE_SIZE);

/**
 * The largest stream sequence a request may name (2^53-2). Sequences are
 * uint64 on the wire but numbers here; a request names the position it
 * continues after, and the code reads from the one after it, which must still
 * be a safe integer. No JetStream stream comes near it.
 */
export const MAX_STREAM_SEQ = Number.MAX_SAFE_INTEGER - 1;

/** A whole number from 0 to `max`, given as a number or a decimal string; `what` explains the range. */
export function WholeNumberUpTo(name: string, max: number, what = ''): t.Type<number, number, unknown> {
  return parsed<number>(
    name,
    (u): u is number => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0 && u <= max,
    (u) => {
      const n = typeof u === 'string' && u.startsWith('-') ? undefined : wholeNumber(u);
      return n === undefined || n < 0 || n > max ? new Invalid(`must be a whole number from 0 to ${max}${what}`) : n;
    },
  );
}

/** A stream sequence such as min_seq, after_seq or a WebSocket last_seq: 0 to MAX_STREAM_SEQ. */
export const StreamSeq = WholeNumberUpTo('StreamSeq', MAX_STREAM_SEQ);

/** Deepest legacy page number (pages of at least 1 message, at most 10,000 messages deep; beyond them the cursor). */
export const MAX_PAGE_NUMBER = 10_000;

/** A legacy 1-based page number: 0 (not given) and 1 are the first page. */
export const PageNumber = WholeNumberUpTo(
  'PageNumber',
  MAX_PAGE_NUMBER,
  ' (0 and 1 are the first page; deeper pages need the cursor)',
);

// ---------------------------------------------------------------------------
// Enums and lists
// ---------------------------------------------------------------------------

/** One of an enum's value names (proto-loader enums: String); an undefined enum number is refused. */
export function EnumName<const V extends readonly [string, ...string[]]>(
  values: V,
  name = 'EnumName',
): t.Type<V[number], V[number], unknown> {
  const allowed: ReadonlySet<string> = new Set(values);
  const is = (u: unknown): u is V[number] => typeof u === 'string' && allowed.has(u);
  const codec = parsed(name, is, (u) => (is(u) ? u : new Invalid(`must be one of ${listValues(values).list}`)));
  enumValues.set(codec, values);
  return codec;
}

/**
 * An optional sub-message: null (proto3's "not given") or a value of `codec`.
 * Unlike a union with t.null, a bad message reports the field inside it.
 */
export function Nullable<C extends t.Mixed>(codec: C): t.Type<t.TypeOf<C> | null, t.OutputOf<C> | null, unknown> {
  return new t.Type<t.TypeOf<C> | null, t.OutputOf<C> | null, unknown>(
    `Nullable<${codec.name}>`,
    (u): u is t.TypeOf<C> | null => u === null || codec.is(u),
    (u, c) => (u === null || u === undefined ? t.success(null) : codec.validate(u, c)),
    (a) => (a === null ? null : codec.encode(a)),
  );
}

/** A repeated field of `min`-`max` items, each decoded by `item` (errors name the index: `ids[2]`). */
export function BoundedArray<C extends t.Mixed>(
  item: C,
  max: number,
  min = 0,
): t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> {
  const list = t.array(item);
  const count = min === 0 ? `at most ${max} items` : min === max ? `exactly ${max} items` : `${min}-${max} items`;
  return new t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown>(
    `BoundedArray<${item.name}>`,
    (u): u is Array<t.TypeOf<C>> => list.is(u) && u.length >= min && u.length <= max,
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, 'must be a list');
      if (u.length < min || u.length > max) return t.failure(u, c, `must have ${count}`);
      return list.validate(u, c);
    },
    list.encode,
  );
}
