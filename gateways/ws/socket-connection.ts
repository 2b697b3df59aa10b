/**
 * What every WebSocket connection served by `serveSockets()` (gateways/ws/server.ts) does the same way:
 * the messaging socket (:8081, gateways/ws/connection.ts) and the call socket (:8082,
 * gateways/calls/ws.ts) both extend it.
 *
 * - The send queue (an Outbox: slow consumers closed), the socket's listeners, the auth deadline
 *   (or, with claims from a bearer token at the upgrade, authentication at once).
 * - The checks of every received frame (rate, size, text), then `handleText` of the subclass.
 * - Frames handled one at a time in arrival order (`enqueue`), inside a fault boundary (`guarded`).
 * - Errors, session end, pings, stall checks, closing, and releasing what it holds once
 *   (`release` of the subclass for its own resources).
 */
import type { WebSocket, RawData } from 'ws';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import type { AccessClaims, TokenService } from '../auth/tokens.ts';
import type { SessionCheck } from '../shared/auth-context.ts';
import { fromInfrastructure, type ErrorResponseShape } from '../shared/errors.ts';
import type { ConnectionAnnouncer, ConnectionHandle } from '../../streams/connections.ts';
import type { SlidingWindowLimiter } from '../limits/limiter.ts';
import type { WebSocketConfig } from '../../runtime/config.ts';
import { CLOSE, serverFrames, type FrameError } from './frames.ts';
import { Outbox } from './outbox.ts';
import { wsClosed, wsDropped } from './metrics.ts';

/** What a connection needs of its gateway (the listener's hooks included). */
export interface SocketBasics {
  readonly config: WebSocketConfig;
  readonly tokens: Pick<TokenService, 'verifyAccessToken'>;
  readonly sessions: SessionCheck;
  readonly connections: ConnectionAnnouncer | undefined;
  /** Frames per socket (keyed by the connection's id). */
  readonly limiter: SlidingWindowLimiter;
  readonly logger: Logger;
  /** Registers an authenticated connection (closing the user's oldest beyond the cap). */
  authenticated(conn: SocketConnection): void;
  /** Forgets a connection. */
  gone(conn: SocketConnection): void;
}

let nextId = 0;

export abstract class SocketConnection {
  readonly id = ++nextId;
  who: AccessClaims | undefined;
  lastSeen = Date.now();
  pingedAt = Date.now();
  closed = false;
  protected readonly outbox: Outbox;
  protected announce: ConnectionHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  private authTimer: NodeJS.Timeout | undefined;

  /** closing: the debug log line of `close` (which socket closes). */
  constructor(
    readonly ws: WebSocket,
    private readonly basics: SocketBasics,
    upgradeClaims: AccessClaims | undefined,
    private readonly closing: string,
  ) {
    this.outbox = new Outbox(ws, {
      highWaterBytes: 256 * 1024,
      maxFrames: basics.config.queueFrames,
      stallMs: basics.config.stallTimeoutMs,
      onSlow: (reason) => this.close(CLOSE.slowConsumer, 'slow consumer', reason),
      onDrop: () => wsDropped.inc(),
    });
    ws.on('message', (data, isBinary) => this.guarded(() => this.received(data, isBinary)));
    ws.on('pong', () => (this.lastSeen = Date.now()));
    ws.on('close', () => this.ended());
    ws.on('error', () => this.ended());
    // The step runs after the subclass's constructor (a promise chain).
    if (upgradeClaims !== undefined) this.enqueue(() => this.begin(upgradeClaims, undefined));
    else
      this.authTimer = setTimeout(
        () => this.close(CLOSE.authTimeout, 'auth timeout', `no auth frame within ${basics.config.authTimeoutMs} ms`),
        basics.config.authTimeoutMs,
      );
  }

  /** Starts an authenticated socket (after `admit`). */
  protected abstract begin(claims: AccessClaims, requestId: string | undefined): Promise<void> | void;
  /** A frame's text that passed the checks of every frame. */
  protected abstract handleText(text: string): void;
  /** Releases the subclass's own resources (once, when the connection ends). */
  protected abstract release(): void;
  /** A frame refused before decoding (rate_limited, too_large, binary): counted by subclasses that count them. */
  protected refused(_kind: string): void {}

  // -------------------------------------------------------------------------
  // Receiving
  // -------------------------------------------------------------------------

  private received(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    this.lastSeen = Date.now();
    this.announce?.activity();
    const { config } = this.basics;
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : data instanceof ArrayBuffer
        ? data.byteLength
        : data.length;
    const limit = this.basics.limiter.take(String(this.id));
    if (!limit.allowed) {
      this.refused('rate_limited');
      return this.error({
        code: 'RATE_LIMITED',
        message: `too many frames on this socket: try again in ${limit.retryAfterMs} ms`,
        context: { retry_after_ms: String(limit.retryAfterMs) },
      });
    }
    if (size > config.maxFrameBytes) {
      this.refused('too_large');
      return this.error({
        code: 'FRAME_TOO_LARGE',
        message: `frames are at most ${config.maxFrameBytes} bytes; this one has ${size}`,
        context: { max_bytes: String(config.maxFrameBytes) },
      });
    }
    if (isBinary) {
      this.refused('binary');
      return this.error({ code: 'INVALID_FRAME', message: 'send text frames of JSON, not binary frames' });
    }
    this.handleText(
      Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8'),
    );
  }

  /**
   * Runs `fn` inside this connection's fault boundary: a throw closes this socket
   * only (1011, an incident id in the log) and never reaches the process.
   */
  guarded(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const e = fromInfrastructure(err, this.basics.logger.child({ connection: this.id }));
      this.close(CLOSE.internal, 'internal error', e.message);
    }
  }

  /** Runs `step` after the steps already queued (none once closed); a failure answers an `error` frame. */
  protected enqueue(step: () => Promise<void> | void): void {
    this.chain = this.chain
      .then(() => (this.closed ? undefined : step()))
      .catch((err: unknown) => {
        const e = fromInfrastructure(err, this.basics.logger);
        this.error({ code: e.code, message: e.message });
      });
  }

  // -------------------------------------------------------------------------
  // Authentication
  // -------------------------------------------------------------------------

  /**
   * The claims of an `auth` frame, or undefined once refused (an `auth_response` saying why;
   * a socket not yet authenticated is closed).
   */
  protected async checkAuth(
    payload: { readonly token: string; readonly device_id?: string | null | undefined },
    requestId: string | undefined,
  ): Promise<AccessClaims | undefined> {
    const checked = await checkAuthFrame(this.basics, payload, this.who);
    if (!('refused' in checked)) return checked.claims;
    this.outbox.push(serverFrames.authResponse(false, { error: checked.refused, requestId }), false);
    if (this.who === undefined) this.close(CLOSE.unauthorized, 'unauthorized', checked.refused);
    return undefined;
  }

  /**
   * Makes `claims` this socket's (the auth deadline off, registered with the listener, announced as
   * connected); false when the socket closed or was authenticated already.
   */
  protected admit(claims: AccessClaims): boolean {
    if (this.closed || this.who !== undefined) return false;
    clearTimeout(this.authTimer);
    this.authTimer = undefined;
    this.who = claims;
    this.basics.authenticated(this);
    if (this.closed) return false;
    this.announce = this.basics.connections?.connected(claims.userId, claims.deviceId, 'ws');
    return true;
  }

  // -------------------------------------------------------------------------
  // Sending and closing
  // -------------------------------------------------------------------------

  protected error(e: FrameError): void {
    this.outbox.push(serverFrames.error(e), false);
  }

  protected contractError(e: ErrorResponseShape, requestId: string | undefined): void {
    this.error({ code: e.code, message: e.message, context: { ...e.details, ...rid(requestId) } });
  }

  /** The session of this socket ended: tell the client and close. */
  sessionEnded(): void {
    if (this.closed) return;
    this.error({ code: 'UNAUTHORIZED', message: 'session ended' });
    this.close(CLOSE.sessionEnded, 'session ended', 'session ended');
  }

  /** Sends a protocol ping (the gateway's sweep calls it). */
  ping(now: number): void {
    this.pingedAt = now;
    try {
      this.ws.ping();
    } catch {
      // closing
    }
  }

  /** Whether the outbox has stalled (closes the socket if so). */
  checkStall(now: number): boolean {
    return this.outbox.checkStall(now);
  }

  close(code: number, reason: string, detail: string): void {
    if (this.closed) return;
    wsClosed.inc({ reason });
    this.basics.logger.debug({ connection: this.id, userId: this.who?.userId, code, detail }, this.closing);
    const slow = code === CLOSE.slowConsumer || code === CLOSE.idle;
    this.ended();
    try {
      if (slow) this.ws.terminate();
      else this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
  }

  /** Releases everything the connection holds (once). */
  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    this.outbox.close();
    this.release();
    this.announce?.close();
    this.basics.limiter.reset(String(this.id));
    this.basics.gone(this);
  }
}

/**
 * The checks of an `auth` frame, the same on every socket: a valid token, of the named device if one
 * is named, of a live session, and (on a socket already authenticated) of that socket's session.
 */
export async function checkAuthFrame(
  ctx: { readonly tokens: Pick<TokenService, 'verifyAccessToken'>; readonly sessions: SessionCheck },
  payload: { readonly token: string; readonly device_id?: string | null | undefined },
  current: AccessClaims | undefined,
): Promise<{ readonly claims: AccessClaims } | { readonly refused: string }> {
  const verified = await ctx.tokens.verifyAccessToken(payload.token);
  if (isLeft(verified))
    return {
      refused: verified.left.reason === 'expired' ? 'access token expired: refresh it' : 'invalid access token',
    };
  const claims = verified.right;
  if (payload.device_id && payload.device_id !== claims.deviceId)
    return { refused: 'device_id is not the device of the access token' };
  if (!(await ctx.sessions.isActive(claims.sessionId, claims.userId))) return { refused: 'session ended' };
  if (current !== undefined && current.sessionId !== claims.sessionId)
    return { refused: 'this socket is authenticated for another session: open a new socket' };
  return { claims };
}

export const rid = (requestId: string | undefined): Record<string, string> =>
  requestId === undefined ? {} : { request_id: requestId };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$|^[A-Za-z0-9_-]*$/;
/** Base64 (standard or URL-safe) as bytes; undefined when it is not base64. */
export function decodeBase64(s: string): Buffer | undefined {
  if (!BASE64.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s, s.includes('-') || s.includes('_') ? 'base64url' : 'base64');
}
