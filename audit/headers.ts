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

/** 64 visible ASCII characters (no space) from `at`, then CR: the client's decoding would give the same string. */
function plain64(block: Buffer, at: number): boolean {
  if (block[at + 64] !== 0x0d) return false;
  for (let i = at; i < at + 64; i++) {
    const c = block[i]!;
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}
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
    // Exactly 64 visible characters followed by the line end (a chain hash): otherwise the client decodes.
    if (p >= 0 && h >= 0 && plain64(block, p + PREV.length) && plain64(block, h + HASH.length)) {
      return {
        prev: block.toString('latin1', p + PREV.length, p + PREV.length + 64),
        hash: block.toString('latin1', h + HASH.length, h + HASH.length + 64),
      };
    }
  }
  return { prev: m.headers?.get('Guardyn-Prev') ?? '', hash: m.headers?.get('Guardyn-Hash') ?? '' };
}
