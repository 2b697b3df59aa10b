/**
 * The event registry: one io-ts codec per event type and schema version, and
 * the upcasters that lift an old version to the current one. Stored commits are
 * never rewritten; a reader upcasts on the way in.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { CommitDecodeError } from './decode-error.ts';
import { Base64Bytes, encodingRawBytes } from './codecs.ts';

/**
 * Whether a codec's encode gives back its input (as JSON would write it) when byte fields stay
 * raw: built of objects, partials, arrays, unions, intersections, refinements and plain values
 * only. The commit body then takes an event's data as it is, without running io-ts over it.
 */
function encodesAsIs(codec: t.Mixed): boolean {
  if (codec === (Base64Bytes as t.Mixed)) return true;
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType)
    return Object.values(codec.props as Record<string, t.Mixed>).every(encodesAsIs);
  if (
    codec instanceof t.ArrayType ||
    codec instanceof t.ReadonlyArrayType ||
    codec instanceof t.RefinementType ||
    codec instanceof t.ReadonlyType
  )
    return encodesAsIs(codec.type);
  if (codec instanceof t.UnionType || codec instanceof t.IntersectionType)
    return (codec.types as t.Mixed[]).every(encodesAsIs);
  return (
    codec instanceof t.StringType ||
    codec instanceof t.NumberType ||
    codec instanceof t.BooleanType ||
    codec instanceof t.NullType ||
    codec instanceof t.LiteralType ||
    codec instanceof t.KeyofType ||
    codec instanceof t.UnknownType
  );
}

/**
 * Whether a codec decodes exactly the values its type guard accepts, and decodes them to
 * themselves: plain values and keys, and objects, arrays and refinements of such (never
 * `undefined`, so an object's missing key is refused by both). A union of these decodes to
 * the member that accepts the value, unchanged.
 */
function decodesExactly(codec: t.Mixed): boolean {
  if (codec instanceof t.InterfaceType)
    return Object.values(codec.props as Record<string, t.Mixed>).every(decodesExactly);
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType || codec instanceof t.RefinementType)
    return decodesExactly(codec.type);
  if (codec instanceof t.UnionType) return (codec.types as t.Mixed[]).every(decodesExactly);
  return (
    codec instanceof t.StringType ||
    codec instanceof t.NumberType ||
    codec instanceof t.BooleanType ||
    codec instanceof t.NullType ||
    codec instanceof t.LiteralType ||
    codec instanceof t.KeyofType
  );
}

/**
 * Whether a value the codec's type guard accepts decodes to itself unchanged (so the guard,
 * which builds nothing, answers what decoding and comparing would): what `decodesExactly`
 * allows, plus bytes already as bytes and unknown data; objects, partials, arrays and
 * refinements of such; unions only of members that decode exactly (else an earlier member
 * could decode a value another member's guard accepts into something else).
 */
function guardImpliesUnchanged(codec: t.Mixed): boolean {
  if (decodesExactly(codec) || codec === (Base64Bytes as t.Mixed) || codec instanceof t.UnknownType) return true;
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType)
    return Object.values(codec.props as Record<string, t.Mixed>).every(guardImpliesUnchanged);
  if (
    codec instanceof t.ArrayType ||
    codec instanceof t.ReadonlyArrayType ||
    codec instanceof t.RefinementType ||
    codec instanceof t.ReadonlyType
  )
    return guardImpliesUnchanged(codec.type);
  return false;
}

export interface EventDefinition<Type extends string, A> {
  readonly type: Type;
  /** The current schema version. */
  readonly version: number;
  readonly codec: t.Type<A, unknown, unknown>;
  /** For each older version v, a codec of that shape and the function that lifts it to v + 1. */
  readonly upcasters: ReadonlyMap<
    number,
    { readonly codec: t.Type<unknown, unknown, unknown>; readonly up: (old: unknown) => unknown }
  >;
}

/** The data of an event definition at its current version: `DataOf<typeof MessageSent>`. */
export type DataOf<D> = D extends EventDefinition<string, infer A> ? A : never;

/**
 * The events of some definitions as a union, derived from their codecs:
 * `EventOf<typeof CallStarted | typeof CallEnded>` is
 * `{ type: 'CallStarted'; data: ... } | { type: 'CallEnded'; data: ... }`.
 */
export type EventOf<D> = D extends EventDefinition<infer Type, infer A> ? { type: Type; data: A } : never;

/** A decoded event: its type and its data at the current version. */
export interface DomainEvent<Type extends string = string, A = unknown> {
  readonly type: Type;
  readonly data: A;
}

/** The JSON form stored inside a commit. */
export interface StoredEvent {
  readonly type: string;
  readonly v: number;
  readonly data: unknown;
}

export function defineEvent<Type extends string, A, O>(
  type: Type,
  version: number,
  codec: t.Type<A, O, unknown>,
  upcasters: ReadonlyMap<
    number,
    { codec: t.Type<unknown, unknown, unknown>; up: (old: unknown) => unknown }
  > = new Map(),
): EventDefinition<Type, A> {
  return { type, version, codec: codec as unknown as t.Type<A, unknown, unknown>, upcasters };
}

export class EventRegistry {
  private readonly byType = new Map<string, EventDefinition<string, unknown>>();
  /** Types whose data the commit body takes as it is (encodesAsIs). */
  private readonly asIs = new Set<string>();
  /** Types whose codec's type guard tells whether data decodes unchanged (guardImpliesUnchanged). */
  private readonly guarded = new Set<string>();

  register(...defs: EventDefinition<string, any>[]): this {
    for (const def of defs) {
      if (this.byType.has(def.type)) throw new Error(`event type ${def.type} registered twice`);
      for (let v = 1; v < def.version; v++) {
        if (!def.upcasters.has(v))
          throw new Error(`event ${def.type}@${def.version} lacks an upcaster from version ${v}`);
      }
      this.byType.set(def.type, def as EventDefinition<string, unknown>);
      if (encodesAsIs(def.codec as t.Mixed)) this.asIs.add(def.type);
      if (guardImpliesUnchanged(def.codec as t.Mixed)) this.guarded.add(def.type);
    }
    return this;
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  /** The current schema version of a type, or undefined when it is not registered. */
  versionOf(type: string): number | undefined {
    return this.byType.get(type)?.version;
  }

  encode(event: DomainEvent): StoredEvent {
    const def = this.byType.get(event.type);
    if (!def) throw new Error(`event type ${event.type} is not registered`);
    return { type: def.type, v: def.version, data: def.codec.encode(event.data) };
  }

  /** The stored form with byte fields left as bytes, for the commit body (streams/envelope.ts). */
  encodeRaw(event: DomainEvent): StoredEvent {
    const def = this.byType.get(event.type);
    if (!def) throw new Error(`event type ${event.type} is not registered`);
    if (this.asIs.has(def.type)) return { type: def.type, v: def.version, data: event.data };
    return { type: def.type, v: def.version, data: encodingRawBytes(() => def.codec.encode(event.data)) };
  }

  /**
   * Whether `stored` is at its type's current version and decodes to its data unchanged: what
   * `decode(stored).data === stored.data` says (false where decode throws), answered by the
   * codec's type guard where that says as much (no decoding, nothing built), else by decoding.
   */
  decodesUnchanged(stored: StoredEvent): boolean {
    const def = this.byType.get(stored.type);
    if (!def || stored.v !== def.version) return false;
    if (this.guarded.has(def.type) && def.codec.is(stored.data)) return true;
    const decoded = def.codec.decode(stored.data);
    return !isLeft(decoded) && decoded.right === stored.data;
  }

  /** The current codec of a type whose type guard answers `decodesUnchanged` (for checks on stored bytes), else undefined. */
  guardedCodec(type: string): t.Mixed | undefined {
    return this.guarded.has(type) ? (this.byType.get(type)?.codec as t.Mixed | undefined) : undefined;
  }

  decode(stored: StoredEvent): DomainEvent {
    const def = this.byType.get(stored.type);
    if (!def) throw new CommitDecodeError(`unknown event type ${stored.type}`);
    if (!Number.isInteger(stored.v) || stored.v < 1 || stored.v > def.version) {
      throw new CommitDecodeError(`event ${stored.type} has unknown version ${stored.v} (known up to ${def.version})`);
    }
    let data = stored.data;
    for (let v = stored.v; v < def.version; v++) {
      const step = def.upcasters.get(v)!;
      const old = step.codec.decode(data);
      if (isLeft(old)) throw schemaMismatch(stored.type, v, old.left);
      data = step.up(old.right);
    }
    const decoded = def.codec.decode(data);
    if (isLeft(decoded)) throw schemaMismatch(stored.type, def.version, decoded.left);
    return { type: def.type, data: decoded.right };
  }
}

/** An event that does not match its version's schema, naming the first field that fails. */
function schemaMismatch(type: string, version: number, errors: t.Errors): CommitDecodeError {
  const path =
    errors[0]?.context
      .map((c) => c.key)
      .filter(Boolean)
      .join('.') ?? '';
  return new CommitDecodeError(`event ${type}@${version} does not match its schema${path ? ` at ${path}` : ''}`);
}
