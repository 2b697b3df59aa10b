/**
 * MessagingService.ReceiveMessages: the calling device's message stream, a
 * gRPC sink of the transport-neutral device feed (gateways/delivery/device-feed.ts:
 * the inbox view read oldest first, woken by the inbox projection's core-NATS
 * announcements so every gateway instance delivers at once).
 *
 * Start position (see docs/adr/0026-receivemessages-an-inbox-of-pointers-a-per-device-cursor.md):
 * - `after_seq` > 0: exactly after it (a reconnecting client passes the `seq`
 *   of the last Message it saw: nothing lost, nothing repeated);
 * - else `include_history`: from the oldest kept message of the user;
 * - else the device's delivery cursor: what this device has not yet been sent.
 *
 * Every SESSION_CHECK_MS the session is checked again: a revoked or logged-out
 * session ends the stream with UNAUTHENTICATED within about two seconds.
 * Memory per stream is one page; `write` returning false waits for 'drain'.
 * Open streams count against the per-user and per-device stream limits
 * (stream-admission.ts): over them the stream is refused, RESOURCE_EXHAUSTED.
 */
import * as grpc from '@grpc/grpc-js';
import { clientMistakeIfCancelled, failStream } from '../stream-errors.ts';
import { once } from 'node:events';
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';
import { type MessagingServiceDeps, toMessage } from './deps.ts';
import { authenticate } from '../../shared/auth-context.ts';
import { fromInfrastructure, type ErrorResponseShape } from '../../shared/errors.ts';
import { decodeRequest, StreamSeq } from '../../shared/validation.ts';
import { correlationIdOf } from '../server.ts';
import { watchSession } from '../../delivery/session-watch.ts';
import { admitStream } from '../stream-admission.ts';
import { encodeStreamedMessage, type EncodedMessage } from '../proto.ts';
import type { MessagingServiceHandlers } from '../generated/guardyn/messaging/MessagingService.ts';
import type { Message } from '../generated/guardyn/messaging/Message.ts';
import type { ReceiveMessagesRequest__Output } from '../generated/guardyn/messaging/ReceiveMessagesRequest.ts';
import type { FeedEvent } from '../../delivery/device-feed.ts';

const SESSION_CHECK_MS = 1000;

/** A message's encoded Message, once per event object: live delivery hands one object to all its recipients. */
const encoded = new WeakMap<FeedEvent, EncodedMessage>();
function encodedOf(event: Extract<FeedEvent, { kind: 'message' }>): EncodedMessage {
  let bytes = encoded.get(event);
  if (bytes === undefined) {
    bytes = encodeStreamedMessage({ ...toMessage(event.record), delivery_status: event.status });
    encoded.set(event, bytes);
  }
  return bytes;
}

const ReceiveRequest = t.type({
  include_history: t.union([t.boolean, t.undefined, t.null]),
  after_seq: t.union([StreamSeq, t.undefined, t.null]),
});

/** The stream writes Messages already encoded (proto.ts: messagingService takes either). */
type Call = grpc.ServerWritableStream<ReceiveMessagesRequest__Output, Message | EncodedMessage>;

const fail = (call: Call, error: ErrorResponseShape): void =>
  failStream(call as grpc.ServerWritableStream<unknown, unknown>, error);

export function streamRpcs(deps: MessagingServiceDeps): Pick<MessagingServiceHandlers, 'ReceiveMessages'> {
  const { streamSlots: slots, delivery } = deps;

  async function receive(call: Call): Promise<void> {
    const logger = deps.logger.child({ method: 'messaging.ReceiveMessages', correlationId: correlationIdOf(call) });
    const who = await authenticate(call, call.request.access_token, deps.tokens, deps.sessions);
    if (isLeft(who)) return fail(call, who.left);
    const req = decodeRequest(ReceiveRequest, call.request);
    if (isLeft(req)) return fail(call, req.left);
    const { userId, deviceId, sessionId } = who.right;
    const afterSeq = req.right.after_seq ?? 0;
    const admitted = admitStream(call as grpc.ServerWritableStream<unknown, unknown>, slots, who.right);
    if ('error' in admitted) return fail(call, admitted.error);

    let closed = false;
    const after =
      afterSeq > 0
        ? afterSeq
        : req.right.include_history === true
          ? 0
          : await delivery.cursor(userId, deviceId).catch(() => 0);
    const feed = delivery.follow({
      userId,
      deviceId,
      after,
      receipts: false,
      logger,
      sink: {
        deliver: async (event) => {
          if (event.kind !== 'message' || closed) return;
          if (!call.write(encodedOf(event))) {
            // Wait for room (or the end); the abort removes the listener that did not fire.
            const done = new AbortController();
            await Promise.race([
              once(call, 'drain', { signal: done.signal }),
              once(call, 'close', { signal: done.signal }),
            ]).catch(() => undefined);
            done.abort();
          }
        },
      },
    });
    const connection = deps.connections?.connected(userId, deviceId, 'grpc');
    const stopWatching = watchSession(deps.sessions, { sessionId, userId }, SESSION_CHECK_MS, () => {
      if (closed) return;
      close();
      fail(call, { code: 'UNAUTHORIZED', message: 'session ended', details: {} });
    });
    function close() {
      closed = true;
      feed.stop();
    }
    call.on('cancelled', close);
    call.on('close', close);
    call.on('error', close);
    try {
      await feed.done;
    } catch (err) {
      if (!closed) fail(call, fromInfrastructure(err, logger));
      closed = true;
    } finally {
      stopWatching();
      connection?.close();
      admitted.release();
    }
  }

  return {
    ReceiveMessages: (call: Call) => {
      void receive(call).catch((err: unknown) =>
        fail(call, fromInfrastructure(clientMistakeIfCancelled(call, err), deps.logger)),
      );
    },
  };
}
