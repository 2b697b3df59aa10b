/** Identifiers: random UUIDs for new things, name-based ones where a retry must find the same id. */
import { hash, randomUUID } from 'node:crypto';

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
