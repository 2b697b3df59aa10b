/**
 * gRPC-Web on the HTTP server: `POST /<package.Service>/<Method>` with
 * content-type application/grpc-web(+proto) or application/grpc-web-text(+proto),
 * dispatched in-process to the handler the service's gRPC server runs for the
 * method (the served bindings of gateways/grpc/server.ts, through dispatch.ts),
 * so every check of the real gateway (validation, authentication, limits,
 * contract errors, latency metrics) applies unchanged, without a loopback hop.
 *
 * - Unary and server-streaming methods; client streaming (UploadMedia) cannot be
 *   carried by gRPC-Web and answers UNIMPLEMENTED.
 * - Request: exactly one message frame, at most `maxMessageBytes`; a bad body
 *   (broken framing, compressed or oversized frame, not base64, several messages,
 *   trailers) is answered at once and no handler runs.
 * - Answer: HTTP 200, message frames, then a trailers frame (0x80) carrying
 *   grpc-status and grpc-message; refusals of the bridge itself (no handler ran)
 *   are "trailers-only": grpc-status and grpc-message as headers and an empty body.
 * - `grpc-timeout` becomes the call's deadline; a client that goes away cancels
 *   the call (the handler sees `cancelled` and 'cancelled').
 * - Metadata: authorization, x-correlation-id, x-request-id (and, when
 *   GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER names one, that header with the
 *   browser's address appended); `getPeer()` is the browser's TCP address, so
 *   per-address limits count the browser either way.
 * - CORS: the page served by this server is always allowed; other origins only
 *   when configured; preflights answered here; grpc-status and grpc-message exposed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../../runtime/metrics.ts';
import { errorResponse } from '../shared/errors.ts';
import type { ServiceBinding } from '../grpc/server.ts';
import { sendError, type HttpRouter } from '../http/server.ts';
import {
  Base64Decoder,
  encodeMessage,
  encodeTrailers,
  FRAME_HEADER_BYTES,
  FrameDecoder,
  FrameError,
  parseGrpcTimeout,
  percentEncode,
} from './frames.ts';
import { dispatch, methodRegistry } from './dispatch.ts';

const calls = new Counter({
  name: 'guardyn_grpc_web_calls_total',
  help: 'gRPC-Web calls by method and final gRPC status code',
  labelNames: ['method', 'code'] as const,
  registers: [metricsRegistry],
});
const inFlightGauge = new Gauge({
  name: 'guardyn_grpc_web_in_flight',
  help: 'gRPC-Web calls dispatched and not yet finished',
  registers: [metricsRegistry],
});

export interface GrpcWebOptions {
  /** The services as this process's gRPC servers serve them (RunningGrpcServer.services). */
  readonly services: readonly ServiceBinding[];
  /** Cross-origin pages allowed ('*': any); the server's own origin always is. */
  readonly allowedOrigins: readonly string[] | '*';
  readonly maxMessageBytes: number;
  /** GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER: filled with the browser's address. */
  readonly clientAddressHeader?: string | undefined;
  readonly logger: Logger;
}

export interface GrpcWebBridge {
  /** Calls running now. */
  readonly inFlight: number;
  /** Refuses new calls (UNAVAILABLE) and cancels the running ones. */
  close(): void;
}

const FORWARDED_HEADERS = ['authorization', 'x-correlation-id', 'x-request-id'] as const;
const ALLOWED_REQUEST_HEADERS =
  'content-type, x-grpc-web, x-user-agent, grpc-timeout, authorization, x-correlation-id, x-request-id';
const EXPOSED_HEADERS = 'grpc-status, grpc-message, grpc-status-details-bin';
const CONTENT_TYPE = /^application\/grpc-web(-text)?(\+proto)?\s*(;.*)?$/i;

export function mountGrpcWeb(router: HttpRouter, options: GrpcWebOptions): GrpcWebBridge {
  const methods = methodRegistry(options.services);
  const services = [...new Set([...methods.keys()].map((p) => p.split('/')[1]!))];
  /** How to cut each running call (bridge.close). */
  const running = new Set<() => void>();
  let closed = false;

  const originAllowed = (req: IncomingMessage): { ok: boolean; cors: string | undefined } => {
    const origin = req.headers.origin;
    if (origin === undefined) return { ok: true, cors: undefined };
    const host = req.headers.host;
    const own =
      host !== undefined &&
      (origin.toLowerCase() === `http://${host}`.toLowerCase() ||
        origin.toLowerCase() === `https://${host}`.toLowerCase());
    if (own) return { ok: true, cors: undefined };
    const ok = options.allowedOrigins === '*' || options.allowedOrigins.includes(origin.toLowerCase());
    return { ok, cors: ok ? origin : undefined };
  };

  const preflight = (req: IncomingMessage, res: ServerResponse): void => {
    const { ok, cors } = originAllowed(req);
    if (!ok)
      return sendError(
        res,
        errorResponse(
          'FORBIDDEN',
          `origin ${req.headers.origin} may not call gRPC-Web here (GUARDYN_WEB__ALLOWED_ORIGINS)`,
          { field: 'origin' },
        ),
      );
    res.writeHead(204, {
      ...(cors !== undefined ? { 'access-control-allow-origin': cors, vary: 'Origin' } : {}),
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
      'access-control-expose-headers': EXPOSED_HEADERS,
      'access-control-max-age': '86400',
    });
    res.end();
  };

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    service: string,
    rest: string,
    ctx: { readonly logger: Logger },
  ): Promise<void> => {
    const { ok, cors } = originAllowed(req);
    if (!ok)
      return sendError(
        res,
        errorResponse(
          'FORBIDDEN',
          `origin ${req.headers.origin} may not call gRPC-Web here (GUARDYN_WEB__ALLOWED_ORIGINS)`,
          { field: 'origin' },
        ),
      );
    const type = CONTENT_TYPE.exec(req.headers['content-type'] ?? '');
    if (type === null) {
      res.setHeader('accept', 'application/grpc-web+proto, application/grpc-web-text+proto');
      return sendError(
        res,
        errorResponse(
          'INVALID_REQUEST',
          'invalid request: content-type must be application/grpc-web(+proto) or application/grpc-web-text(+proto)',
          { field: 'content-type' },
        ),
      );
    }
    const text = type[1] !== undefined;
    const headers: Record<string, string> = {
      'content-type': text ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto',
      'cache-control': 'no-store',
      ...(cors !== undefined
        ? { 'access-control-allow-origin': cors, vary: 'Origin', 'access-control-expose-headers': EXPOSED_HEADERS }
        : {}),
    };
    const path = `/${service}/${rest}`;
    const method = methods.get(path);
    const label = method?.path.slice(1) ?? 'unknown';
    /** An answer of the bridge itself; `unread`: the body was not read to its end, so the connection is not reused. */
    const trailersOnly = (code: grpc.status, message: string, unread = false): void => {
      calls.inc({ method: label, code: grpc.status[code] ?? String(code) });
      if (!unread) req.resume(); // drain a small unread body; a refused large one is cut with the connection
      res.writeHead(200, {
        ...headers,
        'grpc-status': String(code),
        'grpc-message': percentEncode(message),
        ...(unread ? { connection: 'close' } : {}),
      });
      res.end();
    };
    if (method === undefined) return trailersOnly(grpc.status.UNIMPLEMENTED, `no method ${path.slice(0, 200)}`);
    if (method.definition.requestStream)
      return trailersOnly(grpc.status.UNIMPLEMENTED, `${label} streams requests, which gRPC-Web cannot carry`);
    const timeout = parseGrpcTimeout(firstHeader(req, 'grpc-timeout'));
    if (timeout instanceof FrameError)
      return trailersOnly(grpc.status.INVALID_ARGUMENT, `grpc-web: ${timeout.message}`);

    const body = await readMessage(req, text, options.maxMessageBytes);
    if ('aborted' in body) return;
    if ('error' in body) return trailersOnly(body.code, `grpc-web: ${body.error}`, true);
    if (closed) return trailersOnly(grpc.status.UNAVAILABLE, 'grpc-web: the server is shutting down');

    const metadata = new grpc.Metadata();
    for (const name of FORWARDED_HEADERS) {
      const value = firstHeader(req, name);
      if (value !== undefined) metadata.set(name, value);
    }
    const addressHeader = options.clientAddressHeader;
    if (addressHeader !== undefined && req.socket.remoteAddress !== undefined) {
      const before = firstHeader(req, addressHeader);
      metadata.set(
        addressHeader,
        before === undefined ? req.socket.remoteAddress : `${before}, ${req.socket.remoteAddress}`,
      );
    }
    const peer =
      req.socket.remoteAddress === undefined ? 'unknown' : `${req.socket.remoteAddress}:${req.socket.remotePort}`;

    const encoded = (frame: Buffer): Buffer | string => (text ? frame.toString('base64') : frame);
    const streaming = method.definition.responseStream;
    if (streaming) {
      res.writeHead(200, headers);
      // A stream may stay silent for long: the client learns at once that the call is open.
      res.flushHeaders();
    }
    let reply: Buffer | undefined;
    let ended = false;
    let abort: (() => void) | undefined;
    /** Counts the call once; returns the trailers frame to send (undefined: the client is gone). */
    const end = (status: grpc.StatusObject | undefined): Buffer | undefined => {
      if (ended) return undefined;
      ended = true;
      if (abort !== undefined) running.delete(abort);
      inFlightGauge.dec();
      calls.inc({
        method: label,
        code: status === undefined ? 'CANCELLED' : (grpc.status[status.code] ?? String(status.code)),
      });
      if (status === undefined || res.writableEnded || res.destroyed) return undefined;
      return encodeTrailers(
        status.code,
        status.code === grpc.status.OK ? '' : status.details,
        trailerEntries(status.metadata),
      );
    };
    inFlightGauge.inc();
    const call = dispatch(method, body.message, {
      metadata,
      peer,
      host: firstHeader(req, 'host') ?? '',
      timeoutMs: timeout,
      // Unary: the one message waits for the status, so the whole answer goes in one write.
      send: (message) => {
        if (!streaming) {
          reply = message;
          return true;
        }
        return res.write(encoded(encodeMessage(message)));
      },
      onDrain: (listener) => res.once('drain', listener),
      finish: (status) => {
        const trailers = end(status);
        if (trailers === undefined) return;
        if (streaming) return void res.end(encoded(trailers));
        // The whole answer with its length: no chunked encoding, one segment for small answers.
        const parts =
          status.code === grpc.status.OK && reply !== undefined ? [encodeMessage(reply), trailers] : [trailers];
        // Text: each frame base64 on its own (padded pieces one after another), as gRPC-Web clients read them.
        const out = text
          ? Buffer.from(parts.map((p) => p.toString('base64')).join(''), 'latin1')
          : Buffer.concat(parts);
        res.writeHead(200, { ...headers, 'content-length': out.length });
        res.end(out);
      },
    });
    if (ended) return; // answered while dispatching (a refusal, a synchronous handler)
    /** The client went away, or the bridge closes: the handler learns that its call is cancelled. */
    const cancel = () => {
      if (ended) return;
      end(undefined);
      call.cancel();
      ctx.logger.debug({ method: label }, 'gRPC-Web call cancelled: the client went away or the server stops');
    };
    abort = () => {
      cancel();
      if (!res.writableEnded) res.destroy();
    };
    running.add(abort);
    res.on('close', cancel);
    if (res.closed) cancel(); // gone before the listener was there
  };

  for (const service of services) {
    router.mount('OPTIONS', `/${service}/`, (req, res) => preflight(req, res));
    router.mount('POST', `/${service}/`, (req, res, ctx) => handle(req, res, service, ctx.rest, ctx));
  }

  return {
    get inFlight() {
      return running.size;
    },
    close() {
      closed = true;
      for (const abort of [...running]) abort();
    },
  };
}

function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

/** Trailing metadata for the trailers frame: binary entries base64 (as gRPC carries them), no reserved names. */
function trailerEntries(metadata: grpc.Metadata | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (metadata === undefined) return out;
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (key.startsWith(':') || key === 'content-type') continue;
    out[key] = typeof value === 'string' ? value : Buffer.from(value).toString('base64');
  }
  return out;
}

type ReadResult = { message: Buffer } | { error: string; code: grpc.status } | { aborted: true };

/** The one message of a request body, bounded, or why there is none. */
async function readMessage(req: IncomingMessage, text: boolean, maxMessageBytes: number): Promise<ReadResult> {
  const frames = new FrameDecoder(maxMessageBytes);
  const base64 = text ? new Base64Decoder() : undefined;
  // One message frame and the end: anything longer is refused as it arrives.
  const maxBytes = FRAME_HEADER_BYTES + maxMessageBytes;
  const maxWire = text ? Math.ceil(maxBytes / 3) * 4 + 1024 : maxBytes;
  let wire = 0;
  const messages: Buffer[] = [];
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      wire += chunk.length;
      if (wire > maxWire)
        return { error: `the request is larger than ${maxMessageBytes} bytes`, code: grpc.status.RESOURCE_EXHAUSTED };
      const bytes = base64 === undefined ? chunk : base64.push(chunk.toString('latin1'));
      for (const frame of frames.push(bytes)) {
        if (frame.trailers) throw new FrameError('a request carries no trailers frame');
        messages.push(frame.payload);
        if (messages.length > 1)
          throw new FrameError('a unary or server-streaming request carries exactly one message; this one has more');
      }
    }
    base64?.end();
    frames.end();
  } catch (err) {
    if (err instanceof FrameError) {
      const code = /larger than the limit/.test(err.message)
        ? grpc.status.RESOURCE_EXHAUSTED
        : grpc.status.INVALID_ARGUMENT;
      return { error: err.message, code };
    }
    if (req.destroyed) return { aborted: true };
    throw err;
  }
  if (req.destroyed && !req.complete) return { aborted: true };
  if (messages.length === 0)
    return { error: 'the request carries no message frame', code: grpc.status.INVALID_ARGUMENT };
  return { message: messages[0]! };
}
