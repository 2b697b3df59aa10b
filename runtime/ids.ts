/** Identifiers: random UUIDs for new things, name-based ones where a retry must find the same id. */
import { hash, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** A UUID (version 8 layout) derived from the parts: the same parts always give the same id. */
export function derivedId(...parts: readonly string[]): string {
  let input = '';
  for (const p of parts) input += `${p.length}:${p}|`;
  const b = hash('sha256', input, 'buffer').subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x80;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
