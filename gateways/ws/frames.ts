/**
 * The frames of the WebSocket protocol (the wire contract's WebSocket section,
 * extended additively; docs/WEBSOCKET.md): text frames of JSON
 * `{"type": "<name>", "payload": {...}}`.
 *
 * Client frames are decoded with io-ts: a frame that is not JSON is a
 * PARSE_ERROR, one of an unknown type or with a bad field is INVALID_FRAME
 * naming the field (`payload.message_ids[2]`). Every client frame may carry an
 * additive `request_id` (at most 64 characters), echoed in the answer.
 *
 * Server frames are built here; every event (`message`, `read_receipt`,
 * `typing`, `presence`, `delivery_receipt`) carries the device's `seq`.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { MESSAGE_TYPES, type MessageTypeName } from '../../streams/events/messages.ts';
import type { MessageRecord } from '../../projections/timeline/schema.ts';
import type { ReceiptEntry } from '../../projections/inbox/schema.ts';
import type { PresenceUpdate } from '../presence-feed.ts';
import type { TypingSignal } from '../../streams/typing.ts';
import type { DeliverySignal } from '../../streams/delivery-receipts.ts';
import type { FeedEvent } from '../delivery/device-feed.ts';
import {
  BoundedArray,
  BoundedString,
  decodeRequest,
  MAX_STREAM_SEQ,
  Uuid,
  WholeNumberUpTo,
} from '../shared/validation.ts';

/** Close codes (4000-4999 are the application's). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  policy: 1008,
  tooBig: 1009,
  /** A fault in the gateway's code for this connection: this socket only is closed (an incident id in the log). */
  internal: 1011,
  unauthorized: 4001,
  authTimeout: 4002,
  sessionEnded: 4003,
  replaced: 4004,
  slowConsumer: 4005,
  idle: 4006,
} as const;

/** Codes of `error` frames: the contract's error codes plus the transport's own. */
export type FrameErrorCode =
  | 'PARSE_ERROR'
  | 'INVALID_FRAME'
  | 'FRAME_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'INVALID_SUBSCRIPTION'
  | 'RATE_LIMITED'
  | 'INVALID_REQUEST'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL_ERROR'
  | 'SERVICE_UNAVAILABLE'
  | 'UNKNOWN';

const RequestId = BoundedString('RequestId', 64, { rejectControl: true });
export const Opt = <C extends t.Mixed>(c: C) => t.union([c, t.undefined, t.null]);
const ClientMessageId = BoundedString('ClientMessageId', 128, { rejectControl: true });
/** The seq of the last event a client saw: a stream sequence, in the range every sequence of a request has. */
const Seq = WholeNumberUpTo('Seq', MAX_STREAM_SEQ, ' (the seq of the last event seen)');

export const CONTENT_TYPES = MESSAGE_TYPES.map((m) => m.toLowerCase()) as readonly string[];
const ContentType = new t.Type<MessageTypeName, string, unknown>(
  'ContentType',
  (u): u is MessageTypeName => typeof u === 'string' && (MESSAGE_TYPES as readonly string[]).includes(u),
  (u, c) =>
    typeof u === 'string' && CONTENT_TYPES.includes(u.toLowerCase())
      ? t.success(u.toUpperCase() as MessageTypeName)
      : t.failure(u, c, `must be one of ${CONTENT_TYPES.join(', ')}`),
  (m) => m.toLowerCase(),
);

export const SUBSCRIPTION_TYPES = ['conversation', 'presence', 'typing'] as const;

/** The payloads every socket protocol of Guardyn shares (:8081 and the call socket on :8082). */
export const AuthPayload = t.type({
  token: BoundedString('Token', 8192),
  device_id: Opt(t.string),
  last_seq: Opt(Seq),
});
export const PingPayload = t.type({ timestamp: Opt(t.union([t.number, t.string])) });

const payloads = {
  auth: AuthPayload,
  resume: t.type({ last_seq: Seq }),
  send_message: t.type({
    recipient_id: Uuid,
    content: t.string,
    encrypted: Opt(t.boolean),
    client_message_id: Opt(ClientMessageId),
    content_type: Opt(ContentType),
    recipient_device_id: Opt(Uuid),
    x3dh_prekey: Opt(BoundedString('X3dhPrekey', 16 * 1024, { rejectControl: true })),
    media_id: Opt(BoundedString('MediaId', 128, { rejectControl: true })),
  }),
  mark_read: t.type({ conversation_id: Opt(t.string), message_ids: BoundedArray(Uuid, 500, 1) }),
  typing: t.type({ conversation_id: Uuid, is_typing: t.boolean }),
  subscribe: t.type({ subscription_type: t.string, target_ids: Opt(BoundedArray(t.string, 100)) }),
  unsubscribe: t.type({ subscription_type: t.string, target_ids: Opt(BoundedArray(t.string, 100)) }),
  ping: PingPayload,
} as const;

/**
 * The codecs by frame type, in a Map: the type is client input, and a lookup in
 * a plain object would find `constructor`, `__proto__` or `toString` on its prototype.
 */
const codecs: ReadonlyMap<string, t.Mixed> = new Map(Object.entries(payloads));

type Payloads = typeof payloads;
export type ClientFrameType = keyof Payloads;
export type ClientFrame = {
  [K in ClientFrameType]: {
    readonly type: K;
    readonly payload: t.TypeOf<Payloads[K]>;
    readonly requestId: string | undefined;
  };
}[ClientFrameType];

export interface FrameError {
  readonly code: FrameErrorCode;
  readonly message: string;
  readonly context?: Record<string, string>;
}

const Envelope = t.type({ type: t.string, payload: Opt(t.UnknownRecord), request_id: Opt(RequestId) });

/** Decodes one text frame (already known to be within the size limit). */
export function decodeClientFrame(text: string): { ok: true; frame: ClientFrame } | { ok: false; error: FrameError } {
  return decodeFrameWith(codecs, text) as { ok: true; frame: ClientFrame } | { ok: false; error: FrameError };
}

/** Decodes one text frame against the payload codecs of a protocol (frame type → codec). */
export function decodeFrameWith(
  codecs: ReadonlyMap<string, t.Mixed>,
  text: string,
):
  | { ok: true; frame: { type: string; payload: unknown; requestId: string | undefined } }
  | { ok: false; error: FrameError } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'PARSE_ERROR', message: 'the frame is not JSON' } };
  }
  const envelope = decodeRequest(Envelope, json);
  if (isLeft(envelope)) return { ok: false, error: invalid(envelope.left.message, envelope.left.details) };
  const { type, payload, request_id: requestId } = envelope.right;
  const codec = codecs.get(type);
  if (codec === undefined) {
    return {
      ok: false,
      error: {
        code: 'INVALID_FRAME',
        message: `unknown frame type ${JSON.stringify(type.slice(0, 40))}: expected one of ${[...codecs.keys()].join(', ')}`,
        context: { field: 'type', ...(requestId ? { request_id: requestId } : {}) },
      },
    };
  }
  const decoded = decodeRequest(codec, payload ?? {});
  if (isLeft(decoded)) {
    const field = `payload.${decoded.left.details['field'] ?? ''}`.replace(/\.$/, '');
    return {
      ok: false,
      error: invalid(decoded.left.message.replace('invalid request: ', `invalid ${type} frame: payload.`), {
        field,
        ...(requestId ? { request_id: requestId } : {}),
      }),
    };
  }
  return { ok: true, frame: { type, payload: decoded.right, requestId: requestId ?? undefined } };
}

const invalid = (message: string, context: Readonly<Record<string, string>>): FrameError => ({
  code: 'INVALID_FRAME',
  message: message.replace('invalid request:', 'invalid frame:'),
  context: { ...context },
});

// ---------------------------------------------------------------------------
// Server frames
// ---------------------------------------------------------------------------

export const frame = (type: string, payload: Record<string, unknown>): string => JSON.stringify({ type, payload });
export const iso = (ms: number): string => new Date(ms).toISOString();

export const serverFrames = {
  authResponse: (
    success: boolean,
    extra: { userId?: string; deviceId?: string; error?: string; seq?: number; requestId?: string },
  ) =>
    frame('auth_response', {
      success,
      ...(extra.userId !== undefined ? { user_id: extra.userId } : {}),
      ...(extra.deviceId !== undefined ? { device_id: extra.deviceId } : {}),
      ...(extra.error !== undefined ? { error: extra.error } : {}),
      ...(extra.seq !== undefined ? { seq: extra.seq } : {}),
      ...(extra.requestId !== undefined ? { request_id: extra.requestId } : {}),
    }),

  message: (m: MessageRecord, seq: number, deliveryStatus: string) =>
    frame('message', {
      message_id: m.messageId,
      conversation_id: m.conversationId,
      sender_id: m.senderUserId,
      sender_device_id: m.senderDeviceId,
      recipient_id: m.recipientUserId,
      ...(m.recipientDeviceId ? { recipient_device_id: m.recipientDeviceId } : {}),
      content: m.deleted
        ? ''
        : Buffer.from(m.encryptedContent.buffer, m.encryptedContent.byteOffset, m.encryptedContent.byteLength).toString(
            'base64',
          ),
      encrypted: true,
      content_type: m.messageType.toLowerCase(),
      timestamp: iso(m.at),
      ...(m.clientMessageId ? { client_message_id: m.clientMessageId } : {}),
      ...(m.x3dhPrekey && !m.deleted ? { x3dh_prekey: m.x3dhPrekey } : {}),
      ...(m.mediaId && !m.deleted ? { media_id: m.mediaId } : {}),
      ...(m.deleted ? { is_deleted: true } : {}),
      delivery_status: deliveryStatus,
      seq,
    }),

  messageSent: (sent: {
    messageId: string;
    clientMessageId?: string;
    at: number;
    conversationId: string;
    stream: string;
    seq: number;
    requestId?: string;
  }) =>
    frame('message_sent', {
      message_id: sent.messageId,
      ...(sent.clientMessageId ? { client_message_id: sent.clientMessageId } : {}),
      timestamp: iso(sent.at),
      conversation_id: sent.conversationId,
      consistency: { stream: sent.stream, seq: String(sent.seq) },
      ...(sent.requestId !== undefined ? { request_id: sent.requestId } : {}),
    }),

  markedRead: (r: { marked: number; at: number; stream: string; seq: number; requestId?: string }) =>
    frame('mark_read_ack', {
      marked_count: r.marked,
      timestamp: iso(r.at),
      consistency: { stream: r.stream, seq: String(r.seq) },
      ...(r.requestId !== undefined ? { request_id: r.requestId } : {}),
    }),

  readReceipt: (r: ReceiptEntry, seq: number) =>
    frame('read_receipt', { user_id: r.by, conversation_id: r.c, message_ids: r.ids, read_at: iso(r.at), seq }),

  deliveryReceipt: (d: DeliverySignal, seq: number) =>
    frame('delivery_receipt', {
      user_id: d.recipientUserId,
      device_id: d.recipientDeviceId,
      conversation_id: d.conversationId,
      message_ids: d.messageIds,
      delivered_at: iso(d.at),
      seq,
    }),

  typing: (s: TypingSignal, seq: number) =>
    frame('typing', {
      user_id: s.fromUserId,
      conversation_id: s.fromUserId,
      direct_conversation_id: s.conversationId,
      is_typing: s.isTyping,
      seq,
    }),

  presence: (p: PresenceUpdate, seq: number) =>
    frame('presence', {
      user_id: p.userId,
      status: p.status.toLowerCase(),
      ...(p.lastSeen !== undefined ? { last_seen: iso(p.lastSeen) } : {}),
      ...(p.customStatusText ? { custom_status_text: p.customStatusText } : {}),
      seq,
    }),

  subscribed: (subscriptionType: string, targetIds: readonly string[], active: boolean, requestId?: string) =>
    frame(active ? 'subscribed' : 'unsubscribed', {
      subscription_type: subscriptionType,
      target_ids: targetIds,
      ...(requestId !== undefined ? { request_id: requestId } : {}),
    }),

  resync: (lastSeq: number, head: number, reason: string) =>
    frame('resync', { last_seq: lastSeq, seq: head, reason, action: 'GetMessages' }),

  pong: (timestamp: unknown, requestId?: string) =>
    frame('pong', {
      timestamp: timestamp ?? null,
      server_timestamp: Date.now(),
      ...(requestId !== undefined ? { request_id: requestId } : {}),
    }),

  error: (e: FrameError) =>
    frame('error', {
      code: e.code,
      message: e.message,
      ...(e.context !== undefined && Object.keys(e.context).length > 0 ? { context: e.context } : {}),
    }),
};

/**
 * The frame of a stored event as UTF-8 bytes, serialized and encoded once per event object: live
 * delivery hands one object to every recipient of a message (a group's members), so its frame is
 * built once for all of them, and every socket sends the same bytes.
 */
const frames = new WeakMap<FeedEvent, Buffer>();
export function storedEventFrame(event: FeedEvent): Buffer {
  let data = frames.get(event);
  if (data === undefined) {
    data = Buffer.from(
      event.kind === 'message'
        ? serverFrames.message(event.record, event.seq, event.status)
        : serverFrames.readReceipt(event.receipt, event.seq),
      'utf8',
    );
    frames.set(event, data);
  }
  return data;
}
