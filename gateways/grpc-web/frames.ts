/**
 * gRPC-Web framing: a body is a sequence of frames, each a flag byte, a 4-byte
 * big-endian length and that many bytes. Flag 0x00 is a message, 0x80 the
 * trailers (HTTP/1 header lines `name: value\r\n`); compressed frames (bit
 * 0x01) are refused since the bridge advertises no compression. In the text
 * variant (application/grpc-web-text) the bytes travel base64-encoded, and a
 * body may be several padded base64 pieces one after another (one per frame).
 *
 * The decoders are incremental (bytes arrive in chunks of any size) and
 * bounded: a frame declaring more than `maxFrameBytes` fails at its header,
 * before its bytes are read.
 */

export const FRAME_HEADER_BYTES = 5;
export const FLAG_MESSAGE = 0x00;
export const FLAG_TRAILERS = 0x80;
const FLAG_COMPRESSED = 0x01;

export interface Frame {
  readonly trailers: boolean;
  readonly payload: Buffer;
}

/** Why a body cannot be read as frames; `message` is for the client. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** One frame: header and payload. */
export function encodeFrame(flag: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  out[0] = flag;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

export const encodeMessage = (payload: Uint8Array): Buffer => encodeFrame(FLAG_MESSAGE, payload);

/**
 * The trailers frame: `grpc-status`, `grpc-message` (percent-encoded as gRPC
 * requires) and any further entries, names lower-cased, values free of CR/LF.
 */
export function encodeTrailers(status: number, message: string, extra: Readonly<Record<string, string>> = {}): Buffer {
  const lines = [`grpc-status: ${status}`];
  if (message !== '') lines.push(`grpc-message: ${percentEncode(message)}`);
  for (const [name, value] of Object.entries(extra)) {
    const key = name.toLowerCase();
    if (!/^[a-z0-9_.-]+$/.test(key) || key === 'grpc-status' || key === 'grpc-message') continue;
    lines.push(`${key}: ${value.replace(/[\r\n]+/g, ' ')}`);
  }
  return encodeFrame(FLAG_TRAILERS, Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
}

/** The header lines of a trailers frame as a map without a prototype (names lower-cased; a later entry wins). */
export function parseTrailers(payload: Uint8Array): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const line of Buffer.from(payload).toString('latin1').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new FrameError(`a trailers line without a name: ${JSON.stringify(line.slice(0, 40))}`);
    out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** gRPC's grpc-message encoding: bytes outside printable ASCII (and '%') as %XX of their UTF-8. */
export function percentEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Frames out of a byte stream, chunk by chunk. */
export class FrameDecoder {
  private buffered: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** The frames completed by `chunk` (throws FrameError on a bad or too large header). */
  push(chunk: Uint8Array): Frame[] {
    if (chunk.length > 0) {
      this.buffered.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.size += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      if (this.size < FRAME_HEADER_BYTES) return frames;
      const head = this.peek(FRAME_HEADER_BYTES);
      const flag = head[0]!;
      if ((flag & FLAG_COMPRESSED) !== 0)
        throw new FrameError('compressed frames are not accepted (no grpc-encoding is offered)');
      if (flag !== FLAG_MESSAGE && flag !== FLAG_TRAILERS)
        throw new FrameError(`unknown frame flag 0x${flag.toString(16).padStart(2, '0')}`);
      const length = head.readUInt32BE(1);
      if (length > this.maxFrameBytes)
        throw new FrameError(`a frame of ${length} bytes is larger than the limit of ${this.maxFrameBytes}`);
      if (this.size < FRAME_HEADER_BYTES + length) return frames;
      const whole = this.take(FRAME_HEADER_BYTES + length);
      frames.push({ trailers: flag === FLAG_TRAILERS, payload: whole.subarray(FRAME_HEADER_BYTES) });
    }
  }

  /** Checks that the stream ended on a frame boundary. */
  end(): void {
    if (this.size > 0) throw new FrameError(`the body ends inside a frame (${this.size} bytes left over)`);
  }

  private peek(n: number): Buffer {
    if (this.buffered[0]!.length < n) this.buffered = [Buffer.concat(this.buffered)];
    return this.buffered[0]!.subarray(0, n);
  }

  private take(n: number): Buffer {
    const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
    const out = Buffer.from(all.subarray(0, n));
    const rest = all.subarray(n);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return out;
  }
}

const BASE64_CHAR = /^[A-Za-z0-9+/=]*$/;

/**
 * Base64 text to bytes, chunk by chunk, for application/grpc-web-text. Padded
 * pieces may follow each other ("AAAA==" + "BB=="); whitespace is ignored;
 * any other character, or padding in the middle of a group, fails.
 */
export class Base64Decoder {
  private pending = '';

  push(chunk: string): Buffer {
    const text = this.pending + chunk.replace(/[\s]+/g, '');
    if (!BASE64_CHAR.test(text)) throw new FrameError('the grpc-web-text body is not base64');
    const whole = text.length - (text.length % 4);
    this.pending = text.slice(whole);
    const parts: Buffer[] = [];
    for (let start = 0; start < whole; ) {
      // Run up to (and including) the next group that carries padding.
      const pad = text.indexOf('=', start);
      const groupEnd = pad < 0 || pad >= whole ? whole : pad - (pad % 4) + 4;
      const piece = text.slice(start, groupEnd);
      if (/=[^=]/.test(piece) || /={3,}/.test(piece))
        throw new FrameError('the grpc-web-text body has base64 padding inside a group');
      parts.push(Buffer.from(piece, 'base64'));
      start = groupEnd;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  end(): void {
    if (this.pending !== '')
      throw new FrameError('the grpc-web-text body is not whole base64 (its length is not a multiple of 4)');
  }
}

/** The grpc-timeout header (`<digits><unit>`, at most 8 digits; units H M S m u n) in milliseconds; undefined when absent. */
export function parseGrpcTimeout(value: string | undefined): number | undefined | FrameError {
  if (value === undefined || value === '') return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value.trim());
  if (m === null)
    return new FrameError(`grpc-timeout ${JSON.stringify(value.slice(0, 20))} is not <1-8 digits><H|M|S|m|u|n>`);
  const n = Number(m[1]);
  const ms = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 }[m[2] as 'H' | 'M' | 'S' | 'm' | 'u' | 'n'];
  return n * ms;
}
