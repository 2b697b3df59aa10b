/**
 * The demo web client (web/) on the HTTP server: `GET /` is web/index.html,
 * `GET /web/<file>` the client's ES modules and style, `GET /web/proto/guardyn/<name>.proto`
 * the contract (for reading; the client encodes with its own small codec,
 * web/protobuf.js), and `GET /web/config.json` where the page finds the
 * WebSocket gateway and the call WebSocket. Files are read once, at mount;
 * nothing outside these folders can be named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorResponse } from '../shared/errors.ts';
import { PROTO_FILES, PROTO_ROOT } from '../grpc/proto.ts';
import { sendError, sendJson, type HttpRouter } from './server.ts';

export const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.proto': 'text/plain; charset=utf-8',
};

export interface WebClientOptions {
  /** The WebSocket gateway's port (undefined: this process runs none; the page says so). */
  readonly websocketPort: number | undefined;
  /** The call WebSocket's port, asked at each request (the calls role; undefined: none, the page offers no calls). */
  readonly callsWebsocketPort?: () => number | undefined;
}

export function mountWebClient(router: HttpRouter, options: WebClientOptions): void {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of fs.readdirSync(WEB_ROOT)) {
    const type = TYPES[path.extname(name)];
    if (type !== undefined && /^[a-z0-9_-]+\.[a-z]+$/.test(name))
      files.set(name, { body: fs.readFileSync(path.join(WEB_ROOT, name)), type });
  }
  for (const proto of PROTO_FILES)
    files.set(`proto/${proto}`, { body: fs.readFileSync(path.join(PROTO_ROOT, proto)), type: TYPES['.proto']! });

  const serve = (name: string) => files.get(name);
  const headers = (type: string, length: number) => ({
    'content-type': type,
    'content-length': length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    // The page talks to this server and to the WebSocket gateway, nothing else.
    'content-security-policy':
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; script-src 'self'",
  });
  router.on('GET', '/', (_req, res) => {
    const file = serve('index.html')!;
    res.writeHead(200, headers(file.type, file.body.length)).end(file.body);
  });
  router.on('GET', '/web/config.json', (_req, res) => {
    const calls = options.callsWebsocketPort?.();
    sendJson(res, 200, {
      websocket: options.websocketPort === undefined ? null : { port: options.websocketPort, path: '/ws' },
      calls: calls === undefined ? null : { port: calls, path: '/ws' },
    });
  });
  router.mount('GET', '/web/', (req, res, ctx) => {
    const file = serve(ctx.rest);
    if (file === undefined) return sendError(res, errorResponse('NOT_FOUND', 'no such file'));
    res.writeHead(200, headers(file.type, file.body.length));
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
}
