/**
 * gRPC-Web on the HTTP server: `POST /<package.Service>/<Method>` with
 * content-type application/grpc-web(+proto) or application/grpc-web-text(+proto),
 * forwarded as raw message bytes to the service's own gRPC server on loopback
 * through a generic grpc-js client (pass-through serializers), so every check of
 * the real gateway (validation, authentication, limits, contract errors) applies
 * unchanged and the bridge never decodes a message.
 *
 * - Unary and server-streaming methods; client streaming (UploadMedia) cannot be
 *   carried by gRPC-Web and answers UNIMPLEMENTED.
 * - Request: exactly one message frame, at most `maxMessageBytes`; a bad body
 *   (broken framing, compressed or oversized frame, not base64, several messages,
 *   trailers) is answered at once and nothing is forwarded.
 * - Answer: HTTP 200, message frames, then a trailers frame (0x80) carrying
 *   grpc-status and grpc-message; refusals of the bridge itself (nothing was
 *   forwarded) are "trailers-only": grpc-status and grpc-message as headers and
 *   an empty body.
 * - `grpc-timeout` becomes the upstream call's deadline; a client that goes away
 *   cancels the upstream call.
 * - Metadata forwarded: authorization, x-correlation-id, x-request-id (and, when
 *   GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER names one, that header with the
 *   browser's address appended, so per-address limits count the browser).
 * - CORS: the page served by this server is always allowed; other origins only
 *   when configured; preflights answered here; grpc-status and grpc-message exposed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../../runtime/metrics.ts';
import { errorResponse } from '../grpc/errors.ts';
import { sendError, type HttpRouter } from '../http/server.ts';
import { Base64Decoder, encodeMessage, encodeTrailers, FRAME_HEADER_BYTES, FrameDecoder, FrameError, parseGrpcTimeout, percentEncode } from './frames.ts';

const calls = new Counter({
  name: 'guardyn_grpc_web_calls_total',
  help: 'gRPC-Web calls by method and final gRPC status code',
  labelNames: ['method', 'code'] as const,
  registers: [metricsRegistry],
});
const inFlightGauge = new Gauge({
  name: 'guardyn_grpc_web_in_flight',
  help: 'gRPC-Web calls forwarded and not yet finished',
  registers: [metricsRegistry],
});

export interface GrpcWebTarget {
  readonly definition: grpc.ServiceDefinition;
  /** host:port of the gRPC server that serves it (loopback). */
  readonly address: string;
}

export interface GrpcWebOptions {
  readonly targets: readonly GrpcWebTarget[];
  /** Cross-origin pages allowed ('*': any); the server's own origin always is. */
  readonly allowedOrigins: readonly string[] | '*';
  readonly maxMessageBytes: number;
  /** GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER: filled with the browser's address. */
  readonly clientAddressHeader?: string | undefined;
  readonly logger: Logger;
}

export interface GrpcWebBridge {
  /** Upstream calls running now. */
  readonly inFlight: number;
  /** Closes the upstream clients (calls still running are cancelled). */
  close(): void;
}

const FORWARDED_HEADERS = ['authorization', 'x-correlation-id', 'x-request-id'] as const;
const ALLOWED_REQUEST_HEADERS = 'content-type, x-grpc-web, x-user-agent, grpc-timeout, authorization, x-correlation-id, x-request-id';
const EXPOSED_HEADERS = 'grpc-status, grpc-message, grpc-status-details-bin';
const CONTENT_TYPE = /^application\/grpc-web(-text)?(\+proto)?\s*(;.*)?$/i;
const passThrough = (b: Buffer): Buffer => b;

interface MethodInfo {
  readonly path: string;
  readonly label: string;
  readonly client: grpc.Client;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
}

export function mountGrpcWeb(router: HttpRouter, options: GrpcWebOptions): GrpcWebBridge {
  const clients = new Map<string, grpc.Client>();
  const methods = new Map<string, MethodInfo>();
  for (const { definition, address } of options.targets) {
    let client = clients.get(address);
    if (client === undefined) {
      client = new grpc.Client(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1, 'grpc.enable_channelz': 0 });
      clients.set(address, client);
    }
    for (const m of Object.values(definition) as grpc.MethodDefinition<unknown, unknown>[]) {
      methods.set(m.path, { path: m.path, label: m.path.slice(1), client, requestStream: m.requestStream, responseStream: m.responseStream });
    }
  }
  const services = [...new Set([...methods.keys()].map((p) => p.split('/')[1]!))];
  let inFlight = 0;

  const originAllowed = (req: IncomingMessage): { ok: boolean; cors: string | undefined } => {
    const origin = req.headers.origin;
    if (origin === undefined) return { ok: true, cors: undefined };
    const host = req.headers.host;
    const own = host !== undefined && (origin.toLowerCase() === `http://${host}`.toLowerCase() || origin.toLowerCase() === `https://${host}`.toLowerCase());
    if (own) return { ok: true, cors: undefined };
    const ok = options.allowedOrigins === '*' || options.allowedOrigins.includes(origin.toLowerCase());
    return { ok, cors: ok ? origin : undefined };
  };

  const preflight = (req: IncomingMessage, res: ServerResponse): void => {
    const { ok, cors } = originAllowed(req);
    if (!ok) return sendError(res, errorResponse('FORBIDDEN', `origin ${req.headers.origin} may not call gRPC-Web here (GUARDYN_WEB__ALLOWED_ORIGINS)`, { field: 'origin' }));
    res.writeHead(204, {
      ...(cors !== undefined ? { 'access-control-allow-origin': cors, vary: 'Origin' } : {}),
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
      'access-control-expose-headers': EXPOSED_HEADERS,
      'access-control-max-age': '86400',
    });
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, service: string, rest: string, ctx: { readonly logger: Logger }): Promise<void> => {
    const { ok, cors } = originAllowed(req);
    if (!ok) return sendError(res, errorResponse('FORBIDDEN', `origin ${req.headers.origin} may not call gRPC-Web here (GUARDYN_WEB__ALLOWED_ORIGINS)`, { field: 'origin' }));
    const type = CONTENT_TYPE.exec(req.headers['content-type'] ?? '');
    if (type === null) {
      res.setHeader('accept', 'application/grpc-web+proto, application/grpc-web-text+proto');
      return sendError(res, errorResponse('INVALID_REQUEST', 'invalid request: content-type must be application/grpc-web(+proto) or application/grpc-web-text(+proto)', { field: 'content-type' }));
    }
    const text = type[1] !== undefined;
    const headers: Record<string, string> = {
      'content-type': text ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto',
      'cache-control': 'no-store',
      ...(cors !== undefined ? { 'access-control-allow-origin': cors, vary: 'Origin', 'access-control-expose-headers': EXPOSED_HEADERS } : {}),
    };
    const path = `/${service}/${rest}`;
    const method = methods.get(path);
    const label = method?.label ?? 'unknown';
    /** An answer of the bridge itself; `unread`: the body was not read to its end, so the connection is not reused. */
    const trailersOnly = (code: grpc.status, message: string, unread = false): void => {
      calls.inc({ method: label, code: grpc.status[code] ?? String(code) });
      if (!unread) req.resume(); // drain a small unread body; a refused large one is cut with the connection
      res.writeHead(200, { ...headers, 'grpc-status': String(code), 'grpc-message': percentEncode(message), ...(unread ? { connection: 'close' } : {}) });
      res.end();
    };
    if (method === undefined) return trailersOnly(grpc.status.UNIMPLEMENTED, `no method ${path.slice(0, 200)}`);
    if (method.requestStream) return trailersOnly(grpc.status.UNIMPLEMENTED, `${label} streams requests, which gRPC-Web cannot carry`);
    const timeout = parseGrpcTimeout(firstHeader(req, 'grpc-timeout'));
    if (timeout instanceof FrameError) return trailersOnly(grpc.status.INVALID_ARGUMENT, `grpc-web: ${timeout.message}`);

    const body = await readMessage(req, text, options.maxMessageBytes);
    if ('aborted' in body) return;
    if ('error' in body) return trailersOnly(body.code, `grpc-web: ${body.error}`, true);

    const metadata = new grpc.Metadata();
    for (const name of FORWARDED_HEADERS) {
      const value = firstHeader(req, name);
      if (value !== undefined) metadata.set(name, value);
    }
    const addressHeader = options.clientAddressHeader;
    if (addressHeader !== undefined && req.socket.remoteAddress !== undefined) {
      const before = firstHeader(req, addressHeader);
      metadata.set(addressHeader, before === undefined ? req.socket.remoteAddress : `${before}, ${req.socket.remoteAddress}`);
    }
    const callOptions: grpc.CallOptions = timeout === undefined ? {} : { deadline: Date.now() + timeout };

    const encoded = (frame: Buffer): Buffer | string => (text ? frame.toString('base64') : frame);
    const write = (frame: Buffer): boolean => res.write(encoded(frame));
    let finished = false;
    inFlight++;
    inFlightGauge.inc();
    /** Counts the call once; returns the trailers frame to send (undefined: the client is gone). */
    const finish = (status: grpc.StatusObject | undefined): Buffer | undefined => {
      if (finished) return undefined;
      finished = true;
      inFlight--;
      inFlightGauge.dec();
      calls.inc({ method: label, code: status === undefined ? 'CANCELLED' : grpc.status[status.code] ?? String(status.code) });
      if (status === undefined || res.writableEnded || res.destroyed) return undefined;
      return encodeTrailers(status.code, status.code === grpc.status.OK ? '' : status.details, trailerEntries(status.metadata));
    };

    if (!method.responseStream) {
      // The whole answer in one write, with its length: no chunked encoding, one segment for small answers.
      let reply: Buffer | undefined;
      const call = method.client.makeUnaryRequest(method.path, passThrough, passThrough, body.message, metadata, callOptions, (err, value) => {
        if (err === null && value !== undefined) reply = value;
      });
      call.on('status', (status: grpc.StatusObject) => {
        const trailers = finish(status);
        if (trailers === undefined) return;
        const parts = status.code === grpc.status.OK && reply !== undefined ? [encodeMessage(reply), trailers] : [trailers];
        // Text: each frame base64 on its own (padded pieces one after another), as gRPC-Web clients read them.
        const out = text ? Buffer.from(parts.map((p) => p.toString('base64')).join(''), 'latin1') : Buffer.concat(parts);
        res.writeHead(200, { ...headers, 'content-length': out.length });
        res.end(out);
      });
      res.on('close', () => {
        if (!finished) {
          call.cancel();
          finish(undefined);
        }
      });
      return;
    }

    res.writeHead(200, headers);
    // A stream may stay silent for long: the client learns at once that the call is open.
    res.flushHeaders();
    const call = method.client.makeServerStreamRequest(method.path, passThrough, passThrough, body.message, metadata, callOptions);
    call.on('data', (message: Buffer) => {
      if (!write(encodeMessage(message))) {
        call.pause();
        res.once('drain', () => call.resume());
      }
    });
    call.on('error', () => undefined); // the status event carries it
    call.on('status', (status: grpc.StatusObject) => {
      const trailers = finish(status);
      if (trailers !== undefined) res.end(encoded(trailers));
    });
    res.on('close', () => {
      if (!finished) {
        call.cancel();
        finish(undefined);
        ctx.logger.debug({ method: label }, 'gRPC-Web client went away: upstream call cancelled');
      }
    });
  };

  for (const service of services) {
    router.mount('OPTIONS', `/${service}/`, (req, res) => preflight(req, res));
    router.mount('POST', `/${service}/`, (req, res, ctx) => handle(req, res, service, ctx.rest, ctx));
  }

  return {
    get inFlight() {
      return inFlight;
    },
    close() {
      for (const client of clients.values()) client.close();
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
      if (wire > maxWire) return { error: `the request is larger than ${maxMessageBytes} bytes`, code: grpc.status.RESOURCE_EXHAUSTED };
      const bytes = base64 === undefined ? chunk : base64.push(chunk.toString('latin1'));
      for (const frame of frames.push(bytes)) {
        if (frame.trailers) throw new FrameError('a request carries no trailers frame');
        messages.push(frame.payload);
        if (messages.length > 1) throw new FrameError('a unary or server-streaming request carries exactly one message; this one has more');
      }
    }
    base64?.end();
    frames.end();
  } catch (err) {
    if (err instanceof FrameError) {
      const code = /larger than the limit/.test(err.message) ? grpc.status.RESOURCE_EXHAUSTED : grpc.status.INVALID_ARGUMENT;
      return { error: err.message, code };
    }
    if (req.destroyed) return { aborted: true };
    throw err;
  }
  if (req.destroyed && !req.complete) return { aborted: true };
  if (messages.length === 0) return { error: 'the request carries no message frame', code: grpc.status.INVALID_ARGUMENT };
  return { message: messages[0]! };
}
