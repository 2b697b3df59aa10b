/**
 * Sending a typing indicator, the same for every transport (gRPC
 * SendTypingIndicator, the WebSocket `typing` frame): rate-limited per
 * (sender, recipient) in this process, refused for an unknown recipient,
 * then published on core NATS (streams/typing.ts), never stored.
 */
import { directConversationId } from '../../commands/conversation/decider.ts';
import type { UserDirectory } from '../../commands/account/user-directory.ts';
import type { RateLimit } from '../../runtime/config.ts';
import type { Signals } from '../../streams/signals.ts';
import { publishTyping } from '../../streams/typing.ts';
import { errorResponse, type ErrorResponseShape } from '../shared/errors.ts';
import { rateLimited } from '../limits/auth-limits.ts';
import { SlidingWindowLimiter } from '../limits/limiter.ts';

export class TypingSender {
  private readonly limiter: SlidingWindowLimiter;

  constructor(
    private readonly deps: {
      readonly signals: Signals;
      readonly directory: Pick<UserDirectory, 'exists'>;
      readonly limit: RateLimit;
      readonly maxKeys: number;
    },
  ) {
    this.limiter = new SlidingWindowLimiter({
      max: deps.limit.max,
      windowMs: deps.limit.windowSeconds * 1000,
      maxKeys: deps.maxKeys,
    });
  }

  /** Publishes the indicator; undefined when sent, else the contract error (RATE_LIMITED, NOT_FOUND). */
  async send(
    from: { readonly userId: string; readonly deviceId: string },
    toUserId: string,
    isTyping: boolean,
  ): Promise<ErrorResponseShape | undefined> {
    const taken = this.limiter.take(`${from.userId}|${toUserId}`);
    if (!taken.allowed) {
      rateLimited.inc({ limit: 'typing_per_recipient' });
      const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
      return errorResponse('RATE_LIMITED', `too many typing indicators to this user: try again in ${seconds} s`, {
        retry_after_seconds: String(seconds),
      });
    }
    if (!(await this.deps.directory.exists(toUserId)))
      return errorResponse('NOT_FOUND', 'recipient not found', { field: 'recipient_user_id' });
    publishTyping(this.deps.signals, {
      fromUserId: from.userId,
      fromDeviceId: from.deviceId,
      toUserId,
      conversationId: directConversationId(from.userId, toUserId),
      isTyping,
      at: Date.now(),
    });
    return undefined;
  }
}
