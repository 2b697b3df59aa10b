/**
 * Reading one header of a delivered message without decoding the whole header
 * block. Decoding every header (MsgHdrs) was a large share of `verify`'s time,
 * which needs only Guardyn-Prev and Guardyn-Hash. The raw block is found on the
 * client's message object; where it is not (another client version), or the
 * header is not found verbatim, the client's own decoding answers, so the
 * result is always the same as `m.headers.get(name)` (audit/headers.test.ts).
 */
import type { JsMsg } from '@nats-io/jetstream';

interface CoreMsgInternals {
  readonly _msg?: { readonly hdr?: number };
  readonly _rdata?: Uint8Array;
}

export function headerOf(m: JsMsg, name: string): string {
  const core = (m as unknown as { msg?: CoreMsgInternals }).msg;
  const hdr = core?._msg?.hdr;
  const raw = core?._rdata;
  if (typeof hdr === 'number' && hdr > 0 && raw instanceof Uint8Array && hdr <= raw.length) {
    const block = Buffer.from(raw.buffer, raw.byteOffset, hdr);
    const at = block.indexOf(`\r\n${name}: `, 0, 'latin1');
    if (at >= 0) {
      const start = at + name.length + 4;
      const end = block.indexOf('\r\n', start, 'latin1');
      if (end > start) {
        const value = block.toString('latin1', start, end);
        // Hex and plain ASCII only take the fast path; anything else is decoded by the client.
        if (/^[\x21-\x7e]+$/.test(value)) return value;
      }
    }
  }
  return m.headers?.get(name) ?? '';
}

const HEX64 = /^[0-9a-f]{64}$/;
const PREV = `\r\nGuardyn-Prev: `;
const HASH = `\r\nGuardyn-Hash: `;

/** Guardyn-Prev and Guardyn-Hash of a commit in one pass over its header block (as `headerOf` would give them). */
export function chainHeadersOf(m: JsMsg): { prev: string; hash: string } {
  const core = (m as unknown as { msg?: CoreMsgInternals }).msg;
  const hdr = core?._msg?.hdr;
  const raw = core?._rdata;
  if (typeof hdr === 'number' && hdr > 0 && raw instanceof Uint8Array && hdr <= raw.length) {
    const block = Buffer.from(raw.buffer, raw.byteOffset, hdr);
    const p = block.indexOf(PREV, 0, 'latin1');
    const h = block.indexOf(HASH, 0, 'latin1');
    if (p >= 0 && h >= 0) {
      const prev = block.toString('latin1', p + PREV.length, p + PREV.length + 64);
      const hash = block.toString('latin1', h + HASH.length, h + HASH.length + 64);
      // Exactly 64 hex digits followed by the line end: otherwise the client decodes.
      if (block[p + PREV.length + 64] === 0x0d && block[h + HASH.length + 64] === 0x0d && HEX64.test(prev) && HEX64.test(hash)) return { prev, hash };
    }
  }
  return { prev: m.headers?.get('Guardyn-Prev') ?? '', hash: m.headers?.get('Guardyn-Hash') ?? '' };
}
