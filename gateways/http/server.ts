/**
 * Guardyn's HTTP server on node:http, with a small router other parts mount
 * handlers on: exact routes (`GET /health`, `POST /v1/push-tokens`) and
 * prefixes (signed blob URLs under one path). Every answer that is not a
 * handler's own is JSON; errors use the contract's error shape
 * (`{ error: { code, message, details } }`) with the matching HTTP status.
 * A handler that throws answers INTERNAL_ERROR (or SERVICE_UNAVAILABLE for a
 * transient fault) through gateways/shared/errors.ts and never crashes the
 * process. Request bodies are bounded.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { correlationIdOfHeaders } from './correlation.ts';
import {
  ClientMistake,
  errorResponse,
  fromInfrastructure,
  type ErrorCode,
  type ErrorResponseShape,
} from '../shared/errors.ts';

export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';

export interface HttpContext {
  readonly correlationId: string;
  readonly logger: Logger;
  /** The path after a prefix route's prefix ('' for exact routes). */
  readonly rest: string;
  readonly url: URL;
}

export type HttpHandler = (req: IncomingMessage, res: ServerResponse, ctx: HttpContext) => Promise<void> | void;

const STATUS: Readonly<Record<ErrorCode, number>> = {
  UNKNOWN: 500,
  INVALID_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
  RATE_LIMITED: 429,
};

export const httpStatusOf = (code: ErrorCode): number => STATUS[code];

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

export function sendError(
  res: ServerResponse,
  error: ErrorResponseShape,
  headers: Readonly<Record<string, string>> = {},
): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, httpStatusOf(error.code), { error });
}

/** The request body parsed as JSON, or the contract error to answer (too large, not JSON). */
export async function readJson(
  req: IncomingMessage,
  maxBytes: number,
): Promise<{ ok: true; value: unknown } | { ok: false; error: ErrorResponseShape; status?: number }> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    return {
      ok: false,
      error: errorResponse(
        'INVALID_REQUEST',
        'invalid request: the body must be JSON (content-type: application/json)',
        { field: 'content-type' },
      ),
      status: 415,
    };
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, error: tooLarge(maxBytes), status: 413 };
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return { ok: false, error: tooLarge(maxBytes), status: 413 };
      chunks.push(chunk);
    }
  } catch (err) {
    // The client went away in the middle of its body: its doing, not a fault of ours.
    throw new ClientMistake('request-body-cut-short', 'the request body was cut short', 'INVALID_REQUEST', {
      cause: err,
    });
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return {
      ok: false,
      error: errorResponse('INVALID_REQUEST', 'invalid request: the body is not valid JSON', { field: 'body' }),
    };
  }
}

const tooLarge = (max: number) =>
  errorResponse('INVALID_REQUEST', `invalid request: the body is larger than ${max} bytes`, { field: 'body' });

interface Route {
  readonly method: Method;
  readonly path: string;
  readonly prefix: boolean;
  readonly handler: HttpHandler;
}

export class HttpRouter {
  private readonly routes: Route[] = [];

  /** An exact path. */
  on(method: Method, path: string, handler: HttpHandler): this {
    this.check(method, path, false);
    this.routes.push({ method, path, prefix: false, handler });
    return this;
  }

  /** Every path under `prefix` (which ends with '/'); the handler gets the rest in `ctx.rest`. */
  mount(method: Method, prefix: string, handler: HttpHandler): this {
    if (!prefix.endsWith('/')) throw new Error(`a mounted prefix ends with '/': ${prefix}`);
    this.check(method, prefix, true);
    this.routes.push({ method, path: prefix, prefix: true, handler });
    return this;
  }

  private check(method: Method, path: string, prefix: boolean): void {
    if (!path.startsWith('/')) throw new Error(`a route path starts with '/': ${path}`);
    if (this.routes.some((r) => r.method === method && r.path === path && r.prefix === prefix))
      throw new Error(`${method} ${path} is routed twice`);
  }

  /** The route for a request: the exact one, else the longest matching prefix; with the methods the path allows. */
  match(method: string, path: string): { route: Route | undefined; allowed: Method[] } {
    const candidates = this.routes.filter((r) => (r.prefix ? path.startsWith(r.path) : r.path === path));
    const forMethod = candidates.filter((r) => r.method === method || (method === 'HEAD' && r.method === 'GET'));
    const route =
      forMethod.find((r) => !r.prefix) ??
      forMethod.filter((r) => r.prefix).sort((a, b) => b.path.length - a.path.length)[0];
    return { route, allowed: [...new Set(candidates.map((r) => r.method))] };
  }

  async handle(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
    const correlationId = correlationIdOfHeaders(req.headers);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://guardyn.invalid');
    } catch {
      sendError(res, errorResponse('INVALID_REQUEST', 'invalid request: the URL cannot be read'));
      return;
    }
    const { route, allowed } = this.match(req.method ?? 'GET', url.pathname);
    let child: Logger | undefined;
    const ctx: HttpContext = {
      correlationId,
      get logger() {
        return (child ??= logger.child({ method: req.method, path: route?.path ?? 'unrouted', correlationId }));
      },
      rest: route?.prefix ? url.pathname.slice(route.path.length) : '',
      url,
    };
    if (!route) {
      if (allowed.length > 0)
        sendJson(res.setHeader('allow', allowed.join(', ')), 405, {
          error: errorResponse('INVALID_REQUEST', `method ${req.method} is not allowed here`),
        });
      else sendError(res, errorResponse('NOT_FOUND', 'no such resource'));
      return;
    }
    try {
      await route.handler(req, res, ctx);
    } catch (err) {
      const error = fromInfrastructure(err, ctx.logger);
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    }
  }
}

export interface RunningHttpServer {
  readonly port: number;
  readonly server: http.Server;
  stop(): Promise<void>;
}

export interface HttpServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly router: HttpRouter;
  readonly logger: Logger;
  /** For the logs: 'notifications', 'metrics'. */
  readonly name: string;
  /** How long stop() lets requests finish before cutting connections. Default 5 s. */
  readonly shutdownGraceMs?: number;
}

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const { logger, router } = options;
  const server = http.createServer((req, res) => {
    // The request's fault boundary: whatever escapes the router answers 500 for this request only.
    router.handle(req, res, logger).catch((err: unknown) => {
      const error = fromInfrastructure(err, logger);
      try {
        if (!res.headersSent) sendError(res, error);
        else res.destroy();
      } catch {
        res.destroy();
      }
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) =>
      reject(
        new Error(`${options.name} HTTP server could not listen on ${options.host}:${options.port}: ${err.message}`),
      );
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ server: options.name, address: `${options.host}:${port}` }, 'HTTP server listening');
  let stopping: Promise<void> | undefined;
  return {
    port,
    server,
    stop: () =>
      (stopping ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 5000);
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
