/** Identifiers: random UUIDs for new things, name-based ones where a retry must find the same id. */
import { createHash, hash, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** The variant's first hex digit: the top two bits of byte 8 set to 10 (8, 9, a or b). */
const VARIANT = '89ab89ab89ab89ab';

/**
 * A UUID (version 8 layout) derived from the parts: the same parts always give the same id. The
 * first 16 bytes of SHA-256 over `<length>:<part>|` of each part, version nibble 8, variant 10;
 * built from the hex digest directly (no buffer per id: this runs on every SendMessage).
 */
export function derivedId(...parts: readonly string[]): string {
  let input = '';
  for (const p of parts) input += `${p.length}:${p}|`;
  const x = hash('sha256', input, 'hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-8${x.slice(13, 16)}-${VARIANT[parseInt(x[16]!, 16)]}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The nil UUID, the namespace of the 1:1 conversation ids. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

function formatUuid(b: Uint8Array): string {
  const x = Buffer.from(b.buffer, b.byteOffset, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A name-based UUID, version 5 (RFC 9562 section 5.5): SHA-1 over the namespace's 16 bytes and the UTF-8 name. */
export function uuidV5(namespace: string, name: string): string {
  const ns = namespace.toLowerCase();
  if (!UUID_PATTERN.test(ns)) throw new RangeError(`namespace ${JSON.stringify(namespace)} is not a UUID`);
  const b = createHash('sha1')
    .update(Buffer.from(ns.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return formatUuid(b);
}

const recentPairs = new Map<string, string>();
const RECENT_PAIRS = 10_000;

/**
 * The id of the 1:1 conversation of two users, the rule the apps compute on the device
 * (WIRE-CONTRACT.md, MessagingService): UUIDv5 in the nil namespace over
 * "<smaller user id>:<larger user id>", the two lower-case ids sorted as strings. The same
 * whichever of them asks; remembered for recent pairs.
 */
export function directConversationId(a: string, b: string): string {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const name = x < y ? `${x}:${y}` : `${y}:${x}`;
  let id = recentPairs.get(name);
  if (id === undefined) {
    id = uuidV5(NIL_UUID, name);
    if (recentPairs.size >= RECENT_PAIRS) recentPairs.delete(recentPairs.keys().next().value!);
    recentPairs.set(name, id);
  }
  return id;
}

/**
 * The id Guardyn gave a 1:1 conversation before it followed the contract's rule (a
 * version 8 id): its commits of that time stay on `messages.conv.<this id>`, and
 * their events carry it (schema version 1 of the MESSAGES conversation events).
 * See docs/adr/0070-the-1-1-conversation-id-is-the-apps-uuidv5.md.
 */
export function legacyDirectConversationId(a: string, b: string): string {
  return a < b ? derivedId('direct', a, b) : derivedId('direct', b, a);
}

/** Whether `id` has the layout of a legacy 1:1 conversation id (a version 8 UUID, as `derivedId` makes). */
export const isLegacyConversationId = (id: string): boolean =>
  id.length === 36 && id[14] === '8' && UUID_PATTERN.test(id);
