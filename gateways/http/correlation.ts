/** The correlation id of an HTTP request: its x-correlation-id (or x-request-id) when sane, else a fresh UUID. */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function correlationIdOfHeaders(headers: IncomingHttpHeaders): string {
  for (const name of ['x-correlation-id', 'x-request-id']) {
    const value = headers[name];
    if (typeof value === 'string' && SANE_ID.test(value)) return value;
  }
  return randomUUID();
}
