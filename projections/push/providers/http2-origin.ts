/**
 * A small HTTP/2 client for one origin (a push provider's endpoint): one
 * session, opened on first use and again after the peer closes it (GOAWAY,
 * idle timeout, network error). Requests are multiplexed on it, each with its
 * own timeout. `http://` speaks cleartext HTTP/2 (tests), `https://` TLS.
 */
import http2 from 'node:http2';

export interface Http2Response {
  readonly status: number;
  readonly headers: http2.IncomingHttpHeaders;
  readonly body: string;
}

export interface Http2Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The transport failed (connection refused, reset, timeout): the request may be retried. */
export class Http2TransportError extends Error {
  override readonly name = 'Http2TransportError';
}

/** Largest response body read (provider answers are small JSON). */
const MAX_BODY_BYTES = 64 * 1024;

export class Http2Origin {
  private session: http2.ClientHttp2Session | undefined;
  private closed = false;

  constructor(
    readonly origin: string,
    private readonly options: { readonly timeoutMs?: number; readonly ca?: string | Buffer } = {},
  ) {
    const url = new URL(origin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${origin} is not an http(s) origin`);
  }

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = http2.connect(this.origin, this.options.ca === undefined ? {} : { ca: this.options.ca });
    const drop = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('close', drop);
    session.on('goaway', drop);
    session.on('error', drop);
    // An idle session does not keep the process alive.
    session.unref();
    this.session = session;
    return session;
  }

  request(req: Http2Request): Promise<Http2Response> {
    if (this.closed) return Promise.reject(new Http2TransportError(`${this.origin}: client closed`));
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.connect().request({ ':method': req.method, ':path': req.path, ...req.headers });
      } catch (err) {
        reject(new Http2TransportError(`${this.origin}: ${(err as Error).message}`));
        return;
      }
      let status = 0;
      let headers: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      let size = 0;
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        reject(new Http2TransportError(`${this.origin}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      stream.on('response', (h) => {
        headers = h;
        status = Number(h[':status'] ?? 0);
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      stream.on('end', () => {
        clearTimeout(timer);
        resolve({ status, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      stream.on('error', (err) => {
        clearTimeout(timer);
        reject(new Http2TransportError(`${this.origin}: ${err.message}`));
      });
      stream.end(req.body);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }
}

/** Milliseconds of a Retry-After header (seconds or an HTTP date), undefined when absent or unreadable. */
export function retryAfterMs(headers: http2.IncomingHttpHeaders, now = Date.now()): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
