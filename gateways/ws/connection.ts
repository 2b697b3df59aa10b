/**
 * One WebSocket connection: authentication, the frames it sends us, and the
 * events it is sent (docs/WEBSOCKET.md).
 *
 * - Frames are handled one at a time, in arrival order (a promise chain), so
 *   an `auth` and a `resume` sent back to back apply in that order.
 * - After `auth` (or a bearer token at the upgrade) the device's feed starts:
 *   after `resume.last_seq` / `auth.last_seq` when the client gave one (a
 *   `resume` already queued behind the `auth` is applied first), else after the
 *   device's delivery cursor.
 * - Stored events (messages, read receipts) come from the feed and carry their
 *   stream seq; ephemeral ones (typing, presence) carry the seq of the last
 *   stored event sent, and are never replayed.
 */
import type { WebSocket } from 'ws';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import type { AccessClaims, TokenService } from '../auth/tokens.ts';
import type { SessionCheck } from '../shared/auth-context.ts';
import { fromDomain, fromInfrastructure } from '../shared/errors.ts';
import type { DeviceDelivery, Feed, FeedEvent } from '../delivery/device-feed.ts';
import type { TypingSender } from '../delivery/typing-sender.ts';
import type { ConnectionAnnouncer } from '../../streams/connections.ts';
import type { PresenceFeed } from '../presence-feed.ts';
import type { SlidingWindowLimiter } from '../limits/limiter.ts';
import type { WebSocketConfig } from '../../runtime/config.ts';
import { sendMessage, type MessagingDeps } from '../../commands/conversation/send-message.ts';
import type { ConversationActionDeps } from '../../commands/conversation/actions.ts';
import type { GroupMessageActionDeps } from '../../commands/group/message-actions.ts';
import { markMessagesRead } from '../../commands/group/read-receipts.ts';
import {
  CLOSE,
  decodeClientFrame,
  serverFrames,
  storedEventFrame,
  SUBSCRIPTION_TYPES,
  type ClientFrame,
} from './frames.ts';
import { SocketConnection, decodeBase64, rid } from './socket-connection.ts';
import type { DeliveryRelay, TypingRelay } from './user-signals.ts';
import { wsFrames } from './metrics.ts';

/** A socket's feed reads without a wake-up this often (wake-ups are a hint; many idle sockets must stay cheap). */
const FEED_POLL_MS = 5000;

/** Most presence targets one socket follows. */
export const MAX_PRESENCE_TARGETS = 100;

/** What every connection of one gateway shares. */
export interface WsContext {
  readonly config: WebSocketConfig;
  readonly maxContentBytes: number;
  readonly tokens: Pick<TokenService, 'verifyAccessToken'>;
  readonly sessions: SessionCheck;
  readonly delivery: DeviceDelivery;
  readonly messaging: MessagingDeps;
  readonly actions: ConversationActionDeps;
  /** Group receipts (mark_read of group messages). */
  readonly groupActions: GroupMessageActionDeps;
  readonly typing: TypingSender;
  readonly typingRelay: TypingRelay;
  readonly deliveryRelay: DeliveryRelay;
  readonly limiter: SlidingWindowLimiter;
  readonly connections: ConnectionAnnouncer | undefined;
  readonly presence: PresenceFeed | undefined;
  readonly logger: Logger;
  /** Registers an authenticated connection (closing the user's oldest beyond the cap). */
  authenticated(conn: WsConnection): void;
  /** Forgets a connection. */
  gone(conn: WsConnection): void;
}

export class WsConnection extends SocketConnection {
  /** The seq of the last stored event sent on this socket. */
  seq = 0;
  private feed: Feed | undefined;
  private feedStarting = false;
  private stopTyping: (() => void) | undefined;
  private stopReceipts: (() => void) | undefined;
  private typingOn = true;
  private presence: Map<string, () => void> | undefined;

  constructor(
    ws: WebSocket,
    private readonly ctx: WsContext,
    upgradeClaims: AccessClaims | undefined,
  ) {
    super(ws, ctx, upgradeClaims, 'closing socket');
  }

  // -------------------------------------------------------------------------
  // Receiving
  // -------------------------------------------------------------------------

  protected override refused(kind: string): void {
    wsFrames.inc({ type: kind });
  }

  protected handleText(text: string): void {
    const decoded = decodeClientFrame(text);
    if (!decoded.ok) {
      wsFrames.inc({ type: decoded.error.code === 'PARSE_ERROR' ? 'parse_error' : 'invalid' });
      return this.error(decoded.error);
    }
    wsFrames.inc({ type: decoded.frame.type });
    this.enqueue(() => this.handle(decoded.frame));
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (frame.type === 'ping')
      return this.outbox.push(serverFrames.pong(frame.payload.timestamp, frame.requestId), false);
    if (frame.type === 'auth') return this.auth(frame.payload, frame.requestId);
    const who = this.who;
    if (who === undefined)
      return this.error({ code: 'UNAUTHORIZED', message: 'send an auth frame first', context: rid(frame.requestId) });
    switch (frame.type) {
      case 'resume':
        return this.resume(frame.payload.last_seq);
      case 'send_message':
        return this.send(who, frame.payload, frame.requestId);
      case 'mark_read':
        return this.markRead(who, frame.payload.message_ids, frame.requestId);
      case 'typing': {
        const refused = await this.ctx.typing.send(who, frame.payload.conversation_id, frame.payload.is_typing);
        if (refused !== undefined) this.contractError(refused, frame.requestId);
        return;
      }
      case 'subscribe':
      case 'unsubscribe':
        return this.subscription(
          who,
          frame.type === 'subscribe',
          frame.payload.subscription_type,
          frame.payload.target_ids ?? [],
          frame.requestId,
        );
    }
  }

  // -------------------------------------------------------------------------
  // Authentication and the feed
  // -------------------------------------------------------------------------

  private async auth(
    payload: { token: string; device_id?: string | null | undefined; last_seq?: number | null | undefined },
    requestId: string | undefined,
  ): Promise<void> {
    const claims = await this.checkAuth(payload, requestId);
    if (claims === undefined) return;
    if (this.who !== undefined) {
      this.outbox.push(
        serverFrames.authResponse(true, { userId: claims.userId, deviceId: claims.deviceId, seq: this.seq, requestId }),
        false,
      );
      return;
    }
    this.begin(claims, requestId, payload.last_seq ?? undefined);
  }

  protected begin(claims: AccessClaims, requestId: string | undefined, lastSeq?: number): void {
    if (!this.admit(claims)) return;
    this.stopTyping = this.ctx.typingRelay.listen(claims.userId, (signal) => {
      if (this.typingOn) this.outbox.push(serverFrames.typing(signal, this.seq), true);
    });
    this.stopReceipts = this.ctx.deliveryRelay.listen(claims.userId, (signal) => {
      this.outbox.push(serverFrames.deliveryReceipt(signal, this.seq), false);
    });
    this.outbox.push(
      serverFrames.authResponse(true, { userId: claims.userId, deviceId: claims.deviceId, requestId }),
      false,
    );
    // After the frames already received (a pipelined `resume` starts the feed itself).
    if (lastSeq !== undefined) this.enqueue(() => this.resume(lastSeq));
    else
      this.enqueue(async () => {
        if (this.feed !== undefined || this.feedStarting) return;
        this.startFeed(await this.ctx.delivery.cursor(claims.userId, claims.deviceId).catch(() => 0));
      });
  }

  private async resume(lastSeq: number): Promise<void> {
    const who = this.who!;
    this.feedStarting = true;
    try {
      const running = this.feed;
      if (running !== undefined) {
        running.stop();
        await running.done.catch(() => undefined);
        this.feed = undefined;
      }
      const max = this.ctx.config.resumeMaxEvents;
      const missed = await this.ctx.delivery.inbox.countAfter(who.userId, lastSeq, max + 1);
      if (missed > max) {
        const head = await this.ctx.delivery.inbox.head(who.userId);
        this.seq = head;
        this.outbox.push(
          serverFrames.resync(
            lastSeq,
            head,
            `more than ${max} events were missed: fetch history with GetMessages, then resume from seq ${head}`,
          ),
          false,
        );
        return this.startFeed(head);
      }
      this.seq = lastSeq;
      this.startFeed(lastSeq);
    } finally {
      this.feedStarting = false;
    }
  }

  private startFeed(after: number): void {
    const who = this.who;
    if (this.closed || who === undefined) return;
    if (this.seq < after) this.seq = after;
    const feed = this.ctx.delivery.follow({
      userId: who.userId,
      deviceId: who.deviceId,
      after,
      receipts: true,
      logger: this.ctx.logger,
      pollMs: FEED_POLL_MS,
      sink: { deliver: (event) => this.deliver(event) },
    });
    this.feed = feed;
    feed.done.catch((err: unknown) => {
      if (this.closed || this.feed !== feed) return;
      const e = fromInfrastructure(err, this.ctx.logger);
      this.error({ code: e.code, message: `delivery stopped: ${e.message}; reconnect and resume` });
      this.close(CLOSE.goingAway, 'feed failed', e.message);
    });
  }

  private deliver(event: FeedEvent): Promise<void> | undefined {
    const wait = this.outbox.whenWritable();
    if (wait !== undefined) return wait.then(() => this.emit(event));
    this.emit(event);
    return undefined;
  }

  private emit(event: FeedEvent): void {
    if (this.closed) return;
    this.seq = event.seq;
    this.outbox.send(storedEventFrame(event));
  }

  // -------------------------------------------------------------------------
  // Commands (the same use cases as gRPC)
  // -------------------------------------------------------------------------

  private async send(
    who: AccessClaims,
    p: Extract<ClientFrame, { type: 'send_message' }>['payload'],
    requestId: string | undefined,
  ): Promise<void> {
    const bytes = p.encrypted === false ? Buffer.from(p.content, 'utf8') : decodeBase64(p.content);
    if (bytes === undefined)
      return this.error({
        code: 'INVALID_FRAME',
        message:
          'invalid send_message frame: payload.content must be base64 when encrypted (send encrypted: false for text)',
        context: { field: 'payload.content', ...rid(requestId) },
      });
    if (bytes.length === 0 || bytes.length > this.ctx.maxContentBytes) {
      return this.error({
        code: 'INVALID_FRAME',
        message: `invalid send_message frame: payload.content must hold 1-${this.ctx.maxContentBytes} bytes`,
        context: { field: 'payload.content', ...rid(requestId) },
      });
    }
    const result = await sendMessage(
      this.ctx.messaging,
      {
        senderUserId: who.userId,
        senderDeviceId: who.deviceId,
        recipientUserId: p.recipient_id,
        recipientUsername: '',
        recipientDeviceId: p.recipient_device_id ?? '',
        encryptedContent: bytes,
        messageType: p.content_type ?? 'TEXT',
        clientMessageId: p.client_message_id ?? '',
        clientTimestamp: null,
        mediaId: p.media_id ?? '',
        x3dhPrekey: p.x3dh_prekey ?? '',
      },
      { correlationId: `ws-${this.id}-${requestId ?? ''}` },
    );
    if (isLeft(result)) return this.contractError(fromDomain(result.left), requestId);
    const sent = result.right;
    this.outbox.push(
      serverFrames.messageSent({ ...sent, clientMessageId: p.client_message_id ?? undefined, requestId }),
      false,
    );
  }

  private async markRead(who: AccessClaims, messageIds: string[], requestId: string | undefined): Promise<void> {
    const result = await markMessagesRead(
      { conversations: this.ctx.actions, groups: this.ctx.groupActions },
      who,
      messageIds,
      { correlationId: `ws-${this.id}-${requestId ?? ''}` },
    );
    if (isLeft(result)) return this.contractError(fromDomain(result.left), requestId);
    this.outbox.push(serverFrames.markedRead({ ...result.right, requestId }), false);
  }

  private async subscription(
    who: AccessClaims,
    on: boolean,
    type: string,
    targets: readonly string[],
    requestId: string | undefined,
  ): Promise<void> {
    if (!(SUBSCRIPTION_TYPES as readonly string[]).includes(type)) {
      return this.error({
        code: 'INVALID_SUBSCRIPTION',
        message: `subscription_type must be one of ${SUBSCRIPTION_TYPES.join(', ')}`,
        context: { field: 'payload.subscription_type', ...rid(requestId) },
      });
    }
    if (type === 'typing') this.typingOn = on;
    if (type === 'presence') {
      const feed = this.ctx.presence;
      if (feed === undefined)
        return this.error({
          code: 'INVALID_SUBSCRIPTION',
          message: 'presence is not available on this gateway',
          context: { field: 'payload.subscription_type', ...rid(requestId) },
        });
      const watched = (this.presence ??= new Map());
      if (on) {
        const fresh = [...new Set(targets)].filter((id) => !watched.has(id));
        if (watched.size + fresh.length > MAX_PRESENCE_TARGETS) {
          return this.error({
            code: 'INVALID_SUBSCRIPTION',
            message: `a socket follows the presence of at most ${MAX_PRESENCE_TARGETS} users`,
            context: { field: 'payload.target_ids', ...rid(requestId) },
          });
        }
        for (const id of fresh) {
          watched.set(id, () => undefined);
          const stop = await feed.watch(who.userId, [id], (update) =>
            this.outbox.push(serverFrames.presence(update, this.seq), true),
          );
          if (this.closed || watched.get(id) === undefined) stop();
          else watched.set(id, stop);
        }
      } else {
        for (const id of targets.length === 0 ? [...watched.keys()] : targets) {
          watched.get(id)?.();
          watched.delete(id);
        }
      }
    }
    this.outbox.push(serverFrames.subscribed(type, targets, on, requestId), false);
  }

  // -------------------------------------------------------------------------
  // Closing
  // -------------------------------------------------------------------------

  protected release(): void {
    this.feed?.stop();
    this.stopTyping?.();
    this.stopReceipts?.();
    for (const stop of this.presence?.values() ?? []) stop();
    this.presence = undefined;
  }
}
