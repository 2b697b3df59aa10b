/**
 * The HTTP side of the embedded blob store: serves its presigned URLs.
 *
 *   PUT  <prefix><key>?expires=&signature=   stores the body (Content-Length and
 *                                            Content-Type must be the signed ones)
 *   GET  <prefix><key>?expires=&signature=   the object; a `Range: bytes=a-b`
 *   HEAD                                     header gives 206 with that range
 *
 * `blobRequestHandler` is a plain node request handler that answers the
 * requests under its prefix and returns false for any other, so it can be
 * mounted on any node HTTP server (the notification gateway's, for one).
 * `startBlobHttpServer` is the standalone listener the media role starts on
 * GUARDYN_MEDIA__HTTP_PORT.
 *
 * A signature only proves that the URL was issued. Whether the object may
 * still be written or read is the owner's call: the optional gate
 * (`BlobGate`, given by the media role) is asked before a PUT takes bytes
 * ('upload'), after it stored them ('uploaded': a refusal then removes the
 * object, for a deletion that came while the bytes flowed) and before a GET
 * or HEAD serves ('download'); its refusal is the answer.
 *
 * Answers: 200/201/206 on success; 403 for a bad or expired signature (the
 * body says which), 404 for an absent object, 409 for a PUT onto an existing
 * object, 411 without Content-Length, 400 when the body's length differs
 * from it, 416 for a range past the end, and the gate's status (410, 409, ...)
 * when it refuses. Bodies stream both ways; nothing is buffered whole.
 */
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { BlobExists, type FileBlobStore } from './files.ts';
import { BlobKeyError, BlobNotFound, BlobRangeError, BlobSizeMismatch, checkBlobKey, resolveRange } from './port.ts';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

/** A gate's refusal: the HTTP status and the message of the answer. */
export interface BlobRefusal {
  readonly status: number;
  readonly message: string;
}

/** Whether a request with a valid signature may go on now; undefined lets it, a refusal answers it. */
export type BlobGate = (intent: 'upload' | 'uploaded' | 'download', key: string) => Promise<BlobRefusal | undefined>;

function send(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(message) + 1,
  });
  res.end(`${message}\n`);
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` (one range) for an object of `size` bytes; null when absent. */
export function parseRange(
  header: string | undefined,
  size: number,
): { offset: number; length?: number } | null | 'invalid' {
  if (header === undefined) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  if (m[1] === '') {
    const suffix = Math.min(Number(m[2]), size);
    return { offset: size - suffix, length: suffix };
  }
  const offset = Number(m[1]);
  if (m[2] === '') return { offset };
  const last = Number(m[2]);
  if (last < offset) return 'invalid';
  return { offset, length: last - offset + 1 };
}

export function blobRequestHandler(store: FileBlobStore, logger?: Logger, gate?: BlobGate): RequestHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://blob.invalid');
    if (!url.pathname.startsWith(store.pathPrefix)) return false;
    void handle(store, req, res, url, gate ?? (async () => undefined)).catch((err: Error) => {
      logger?.error({ err: err.message }, 'blob request failed');
      send(res, 500, 'internal error');
    });
    return true;
  };
}

async function handle(
  store: FileBlobStore,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  gate: BlobGate,
): Promise<void> {
  let key: string;
  try {
    key = checkBlobKey(url.pathname.slice(store.pathPrefix.length).split('/').map(decodeURIComponent).join('/'));
  } catch (err) {
    if (err instanceof BlobKeyError || err instanceof URIError) return send(res, 400, 'bad object key');
    throw err;
  }
  const expires = Number(url.searchParams.get('expires') ?? NaN);
  const signature = url.searchParams.get('signature') ?? '';
  if (!Number.isSafeInteger(expires)) return send(res, 403, 'missing or malformed expires');
  const method = req.method ?? 'GET';

  if (method === 'PUT') {
    const lengthHeader = req.headers['content-length'];
    if (lengthHeader === undefined || !/^\d+$/.test(lengthHeader)) return send(res, 411, 'Content-Length is required');
    const contentType = req.headers['content-type'] ?? '';
    const verdict = store.verify('PUT', key, expires, lengthHeader, contentType, signature);
    if (verdict !== 'ok')
      return send(
        res,
        403,
        verdict === 'expired'
          ? 'the URL has expired'
          : 'signature does not match (URL, Content-Length or Content-Type differ from those signed)',
      );
    const refused = await gate('upload', key);
    if (refused !== undefined) return send(res, refused.status, refused.message);
    try {
      const result = await store.put(key, req, { size: Number(lengthHeader), contentType });
      const late = await gate('uploaded', key);
      if (late !== undefined) {
        await store.delete(key);
        return send(res, late.status, late.message);
      }
      res.writeHead(201, { ETag: `"${result.sha256}"`, 'Content-Length': 0 });
      res.end();
    } catch (err) {
      if (err instanceof BlobExists) return send(res, 409, 'the object exists already');
      if (err instanceof BlobSizeMismatch) return send(res, 400, err.message);
      if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')
        return send(res, 400, 'the upload was cut short');
      throw err;
    }
    return;
  }

  if (method === 'GET' || method === 'HEAD') {
    const verdict = store.verify('GET', key, expires, '', '', signature);
    if (verdict !== 'ok')
      return send(res, 403, verdict === 'expired' ? 'the URL has expired' : 'signature does not match');
    const refused = await gate('download', key);
    if (refused !== undefined) return send(res, refused.status, refused.message);
    const head = await store.head(key);
    if (head === undefined) return send(res, 404, 'no such object');
    const range = parseRange(req.headers.range, head.size);
    if (range === 'invalid') return send(res, 416, 'unsupported Range');
    let span: { start: number; end: number };
    try {
      span = resolveRange(head.size, range ?? undefined);
    } catch (err) {
      if (err instanceof BlobRangeError) {
        res.writeHead(416, { 'Content-Range': `bytes */${head.size}` });
        res.end();
        return;
      }
      throw err;
    }
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': head.contentType,
      'Content-Length': span.end - span.start,
      'Accept-Ranges': 'bytes',
    };
    if (range !== null)
      headers['Content-Range'] = `bytes ${span.start}-${Math.max(span.start, span.end - 1)}/${head.size}`;
    res.writeHead(range !== null ? 206 : 200, headers);
    if (method === 'HEAD' || span.end === span.start) {
      res.end();
      return;
    }
    try {
      await pipeline(await store.get(key, { offset: span.start, length: span.end - span.start }), res);
    } catch (err) {
      if (err instanceof BlobNotFound) return send(res, 404, 'no such object');
      res.destroy();
    }
    return;
  }
  res.setHeader('Allow', 'GET, HEAD, PUT');
  send(res, 405, 'method not allowed');
}

export interface RunningBlobHttpServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** A standalone HTTP listener serving only the blob handler. */
export async function startBlobHttpServer(options: {
  host: string;
  port: number;
  store: FileBlobStore;
  logger?: Logger;
  gate?: BlobGate;
}): Promise<RunningBlobHttpServer> {
  const handler = blobRequestHandler(options.store, options.logger, options.gate);
  const server = http.createServer((req, res) => {
    if (!handler(req, res)) send(res, 404, 'not found');
  });
  server.requestTimeout = 0; // large uploads may take long; idle sockets still time out (keepAliveTimeout / headersTimeout)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
