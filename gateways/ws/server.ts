/**
 * The WebSocket gateway: `/ws` on GUARDYN_MESSAGING__WEBSOCKET_PORT (8081),
 * part of the messaging role (docs/WEBSOCKET.md).
 *
 * The HTTP upgrade is refused (before any WebSocket exists) for another path
 * (404), an Origin outside GUARDYN_WEBSOCKET__ALLOWED_ORIGINS (403), or a bad
 * `Authorization: Bearer` token (401); a good bearer token authenticates the
 * socket at once, otherwise the `auth` frame must come within the deadline.
 *
 * One sweep timer serves every socket (no timers per idle socket): protocol
 * pings every ~pingIntervalMs, sockets silent for idleTimeoutMs closed, stalled
 * send queues closed, sessions re-checked every sessionCheckMs (a revoked
 * session's sockets close within about two seconds). Sockets per user are
 * capped: the oldest of a user's sockets here is closed beyond the cap.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { isLeft } from 'fp-ts/lib/Either.js';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Signals } from '../../streams/signals.ts';
import type { AccessClaims, TokenService } from '../auth/tokens.ts';
import type { SessionCheck } from '../shared/auth-context.ts';
import type { WebSocketConfig } from '../../runtime/config.ts';
import { SlidingWindowLimiter } from '../limits/limiter.ts';
import { CLOSE } from './frames.ts';
import { WsConnection, type WsContext } from './connection.ts';
import { DeliveryRelay, TypingRelay } from './user-signals.ts';
import { wsSockets } from './metrics.ts';
import { fromInfrastructure } from '../shared/errors.ts';

export type WsGatewayDeps = Omit<WsContext, 'typingRelay' | 'deliveryRelay' | 'limiter' | 'authenticated' | 'gone'> & {
  readonly host: string;
  readonly signals: Signals;
};

export interface RunningWsGateway {
  readonly port: number;
  /** Open sockets (authenticated or not). */
  readonly size: number;
  stop(): Promise<void>;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The hard ceiling of a frame: larger ones close the socket (1009); between the limit and it, an `error` frame answers. */
export const hardFrameCeiling = (maxFrameBytes: number): number => Math.max(4 * maxFrameBytes, 1024 * 1024);

/** What the listener needs of a connection: its state for the sweep, and how to end it. */
export interface ServedSocket {
  readonly closed: boolean;
  readonly who: AccessClaims | undefined;
  readonly lastSeen: number;
  readonly pingedAt: number;
  guarded(fn: () => void): void;
  close(code: number, reason: string, detail: string): void;
  checkStall(now: number): boolean;
  ping(now: number): void;
  sessionEnded(): void;
}

/** What the listener hands each connection it opens. */
export interface SocketHooks<C> {
  /** Frames per socket (keyed by the connection's id). */
  readonly limiter: SlidingWindowLimiter;
  /** Registers an authenticated connection (closing the user's oldest beyond the cap). */
  authenticated(conn: C): void;
  /** Forgets a connection. */
  gone(conn: C): void;
}

export interface SocketServerOptions<C extends ServedSocket> {
  readonly config: WebSocketConfig;
  readonly host: string;
  readonly tokens: Pick<TokenService, 'verifyAccessToken'>;
  readonly sessions: SessionCheck;
  readonly logger: Logger;
  /** Makes the connection of an upgraded socket (claims: from a bearer token at the upgrade). */
  open(ws: WebSocket, hooks: SocketHooks<C>, claims: AccessClaims | undefined): C;
}

export function startWebSocketGateway(deps: WsGatewayDeps): Promise<RunningWsGateway> {
  const typingRelay = new TypingRelay(deps.signals);
  const deliveryRelay = new DeliveryRelay(deps.signals);
  return serveSockets<WsConnection>({
    config: deps.config,
    host: deps.host,
    tokens: deps.tokens,
    sessions: deps.sessions,
    logger: deps.logger,
    open: (ws, hooks, claims) => new WsConnection(ws, { ...deps, typingRelay, deliveryRelay, ...hooks }, claims),
  });
}

/**
 * A WebSocket listener at `/ws`: upgrade checks (path, origin, bearer token), the sockets-per-user cap
 * and one sweep for every socket; what a connection says and is sent is the `open`ed connection's.
 * The messaging gateway (:8081) and the call gateway (:8082) both run on it.
 */
export async function serveSockets<C extends ServedSocket>(deps: SocketServerOptions<C>): Promise<RunningWsGateway> {
  const cfg = deps.config;
  const sockets = new Set<C>();
  const byUser = new Map<string, C[]>();
  const hooks: SocketHooks<C> = {
    limiter: new SlidingWindowLimiter({
      max: cfg.framesPerSocket.max,
      windowMs: cfg.framesPerSocket.windowSeconds * 1000,
      maxKeys: 10_000_000,
    }),
    authenticated(conn) {
      wsSockets.inc({ state: 'authenticated' });
      const userId = conn.who!.userId;
      const list = byUser.get(userId) ?? [];
      list.push(conn);
      byUser.set(userId, list);
      while (list.length > cfg.maxSocketsPerUser)
        list[0]!.close(
          CLOSE.replaced,
          'too many sockets',
          `more than ${cfg.maxSocketsPerUser} sockets for one user: the oldest is closed`,
        );
    },
    gone(conn) {
      if (!sockets.delete(conn)) return;
      wsSockets.dec({ state: 'open' });
      if (conn.who === undefined) return;
      wsSockets.dec({ state: 'authenticated' });
      const list = byUser.get(conn.who.userId);
      if (list === undefined) return;
      const i = list.indexOf(conn);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) byUser.delete(conn.who.userId);
    },
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: hardFrameCeiling(cfg.maxFrameBytes),
    perMessageDeflate: false,
    clientTracking: false,
  });
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' }).end('upgrade to a WebSocket at /ws\n');
  });

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/ws') return refuse(socket, 404, 'Not Found');
    const origin = req.headers.origin;
    if (origin !== undefined && cfg.allowedOrigins !== undefined && !cfg.allowedOrigins.includes(origin.toLowerCase()))
      return refuse(socket, 403, 'Forbidden');
    const authorization = req.headers.authorization;
    const accept = (claims: AccessClaims | undefined) => {
      wss.handleUpgrade(req, socket, head, (ws) => {
        let conn: C;
        try {
          conn = deps.open(ws, hooks, claims);
        } catch (err) {
          // A fault setting up this connection ends this socket only (an incident id in the log).
          fromInfrastructure(err, deps.logger);
          ws.terminate();
          return;
        }
        if (!conn.closed) {
          sockets.add(conn);
          wsSockets.inc({ state: 'open' });
        }
      });
    };
    if (authorization === undefined) return accept(undefined);
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return refuse(socket, 401, 'Unauthorized');
    void (async () => {
      const verified = await deps.tokens.verifyAccessToken(token);
      if (isLeft(verified) || !(await deps.sessions.isActive(verified.right.sessionId, verified.right.userId)))
        return refuse(socket, 401, 'Unauthorized');
      accept(verified.right);
    })().catch(() => refuse(socket, 500, 'Internal Server Error'));
  });

  // One sweep for every socket.
  const tick = Math.max(
    20,
    Math.min(
      1000,
      Math.floor(cfg.pingIntervalMs / 2),
      Math.floor(cfg.idleTimeoutMs / 4),
      Math.floor(cfg.sessionCheckMs / 2),
    ),
  );
  let lastSessionCheck = Date.now();
  const sweep = setInterval(() => {
    const now = Date.now();
    const checkSessions = now - lastSessionCheck >= cfg.sessionCheckMs;
    if (checkSessions) lastSessionCheck = now;
    for (const conn of sockets) {
      // One connection's fault closes that socket, not the sweep of the others.
      conn.guarded(() => {
        if (now - conn.lastSeen >= cfg.idleTimeoutMs) {
          conn.close(CLOSE.idle, 'idle', `silent for ${cfg.idleTimeoutMs} ms`);
          return;
        }
        if (conn.checkStall(now)) return;
        if (now - conn.pingedAt >= cfg.pingIntervalMs) conn.ping(now);
        const who = conn.who;
        if (checkSessions && who !== undefined) {
          void deps.sessions.isActive(who.sessionId, who.userId).then(
            (active) => (active ? undefined : conn.guarded(() => conn.sessionEnded())),
            () => undefined,
          );
        }
      });
    }
  }, tick);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, deps.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as import('node:net').AddressInfo).port;

  return {
    port,
    get size() {
      return sockets.size;
    },
    async stop() {
      clearInterval(sweep);
      for (const conn of [...sockets]) conn.close(CLOSE.goingAway, 'server stopping', 'server stopping');
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
