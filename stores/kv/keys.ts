/**
 * Byte keys that order like the tuples they encode, for the ordered key-value
 * port (unsigned byte order, as TiKV and LMDB compare keys).
 *
 * A key is its parts joined by a 0x00 separator. A string part is its UTF-8
 * bytes (it must not contain NUL, so the separator stays unambiguous and a
 * shorter string sorts before its extensions); a number part is a non-negative
 * safe integer written as 8 bytes big-endian, so numeric order is byte order.
 *
 * Note that every key whose last part extends the prefix's last part shares the
 * prefix: key('users', 'ann') is a byte prefix of key('users', 'anna'). To scan
 * the children of a tuple, use `childPrefix(...parts)`.
 */

export type KeyPart = string | number;

/**
 * A key part that cannot be encoded (a number that is not a non-negative safe
 * integer, a string with NUL, no parts at all). Requests are validated at the
 * gateways so that no value a client sends gets here; reaching it means a
 * caller computed a bad part, and its name says so in the log.
 */
export class InvalidKeyPart extends Error {
  override readonly name = 'InvalidKeyPart';
  /** Which part (0-based) was refused; -1 when the key had no parts. */
  readonly index: number;
  constructor(index: number, message: string) {
    super(message);
    this.index = index;
  }
}

const SEPARATOR = 0x00;
const INTEGER_WIDTH = 8;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The string a UTF-8 byte sequence encodes; throws a TypeError on invalid UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** The UTF-8 length of a string part; -1 when it is plain ASCII (one byte a character, written without the encoder). */
function stringPartBytes(part: string, index: number): number {
  let ascii = true;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c === 0) {
      throw new InvalidKeyPart(
        index,
        `key part ${index} must not contain a NUL character (0x00 separates key parts): ${JSON.stringify(part)}`,
      );
    }
    if (c >= 0x80) ascii = false;
  }
  return ascii ? -1 : Buffer.byteLength(part, 'utf8');
}

function checkPart(part: KeyPart, index: number): number {
  if (typeof part === 'number') {
    if (!Number.isSafeInteger(part) || part < 0) {
      throw new InvalidKeyPart(index, `key part ${index} must be a non-negative safe integer, got ${part}`);
    }
    return INTEGER_WIDTH;
  }
  if (typeof part === 'string') {
    const bytes = stringPartBytes(part, index);
    return bytes < 0 ? part.length : bytes;
  }
  throw new InvalidKeyPart(index, `key part ${index} must be a string or a number, got ${typeof part}`);
}

/**
 * The key of a tuple: parts joined by 0x00, strings as UTF-8, integers as 8
 * bytes big-endian. Keys are built on every view read and write, so this
 * measures the parts first and writes them into one array; ASCII strings (ids,
 * names) are copied a character a byte, without a call into the UTF-8 encoder.
 */
export function key(...parts: readonly KeyPart[]): Uint8Array {
  if (parts.length === 0) throw new InvalidKeyPart(-1, 'a key needs at least one part');
  let length = parts.length - 1;
  for (let i = 0; i < parts.length; i++) length += checkPart(parts[i]!, i);
  const out = new Uint8Array(length);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) out[offset++] = SEPARATOR;
    const part = parts[i]!;
    if (typeof part === 'number') {
      const high = Math.floor(part / 2 ** 32);
      const low = part % 2 ** 32;
      out[offset] = (high >>> 24) & 0xff;
      out[offset + 1] = (high >>> 16) & 0xff;
      out[offset + 2] = (high >>> 8) & 0xff;
      out[offset + 3] = high & 0xff;
      out[offset + 4] = (low >>> 24) & 0xff;
      out[offset + 5] = (low >>> 16) & 0xff;
      out[offset + 6] = (low >>> 8) & 0xff;
      out[offset + 7] = low & 0xff;
      offset += INTEGER_WIDTH;
    } else {
      let ascii = true;
      for (let j = 0; j < part.length; j++) {
        const c = part.charCodeAt(j);
        if (c >= 0x80) {
          ascii = false;
          break;
        }
        out[offset + j] = c;
      }
      if (ascii) offset += part.length;
      else offset += encoder.encodeInto(part, out.subarray(offset)).written;
    }
  }
  return out;
}

/**
 * The prefix shared by the keys of every tuple that extends `parts` by at least
 * one more part (and by no other key): key(...parts) followed by the separator.
 */
export function childPrefix(...parts: readonly KeyPart[]): Uint8Array {
  return key(...parts, '');
}

/**
 * The smallest key greater than every key that starts with `prefix`, for use as
 * the exclusive end of a prefix scan. Throws a RangeError when no such key
 * exists (an empty prefix, or one made only of 0xff bytes).
 */
export function prefixEnd(prefix: Uint8Array): Uint8Array {
  let last = prefix.length - 1;
  while (last >= 0 && prefix[last] === 0xff) last--;
  if (last < 0) {
    throw new RangeError('prefixEnd: the prefix is empty or all 0xff bytes, so no key bounds it from above');
  }
  const end = prefix.slice(0, last + 1);
  end[last] = prefix[last]! + 1;
  return end;
}

/** Unsigned lexicographic comparison: -1 when a < b, 0 when equal, 1 when a > b. */
export function compareBytes(a: Uint8Array, b: Uint8Array): -1 | 0 | 1 {
  return Buffer.compare(a, b);
}

/** Whether two byte sequences hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
