/**
 * The push worker: consumes the NOTIFICATIONS work queue
 * (`notifications.push.>`, durable `push_worker`; every instance shares it, so
 * each job goes to one of them) and delivers each job through the provider of
 * the device's current token.
 *
 * - delivered: acknowledged (the work queue drops the job); the time from the
 *   message's commit to the provider's acceptance is `guardyn_push_latency_seconds`;
 * - invalid token (the provider says so): the token is removed from the device
 *   (only if it is still the token tried) and the job acknowledged;
 * - a passing failure: negatively acknowledged with an exponential back-off
 *   delay (base · 2^(attempt-1), capped, or the provider's Retry-After when
 *   longer) so JetStream delivers it again; after `maxAttempts` it is parked;
 * - a permanent failure: parked at once. Parked jobs are published with their
 *   reason on `notifications.parked.<userId>.<deviceId>` and acknowledged.
 *
 * A device without a token (removed since the job was made) gets nothing.
 * Logs name users, devices and outcomes, never tokens or content.
 */
import type { Logger } from 'pino';
import type { ParkedPush, PushJob } from '../../streams/push-jobs.ts';
import type { PushDeliveries, PushDelivery, PushQueue } from '../../streams/push-queue.ts';
import type { PushPlatform } from '../../streams/events/push.ts';
import { pushDeliveries, pushLatency, pushProviderLatency } from '../../runtime/metrics.ts';
import type { PushProvider } from './providers/provider.ts';
import { pushData } from './providers/payload.ts';
import type { PushTokensView } from '../push-tokens/queries.ts';

export interface RetryPolicy {
  /** Deliveries of one job before it is parked. */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
}

export interface PushWorkerDeps {
  /** The NOTIFICATIONS work queue (streams/push-queue.ts). */
  readonly queue: PushQueue;
  readonly tokens: Pick<PushTokensView, 'device'>;
  readonly providers: Partial<Record<PushPlatform, PushProvider>>;
  /** Removes a token the provider rejected (commands/device/push-tokens.ts removeRejectedPushToken). */
  readonly removeToken: (
    device: { userId: string; deviceId: string },
    tokenHash: string,
    correlationId: string,
  ) => Promise<boolean>;
  /** The sender's display name, for recipients who opted in. */
  readonly senderName?: (userId: string) => Promise<string | undefined>;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  /** Jobs handled at once. Default 32. */
  readonly concurrency?: number;
  readonly now?: () => number;
}

/** The delay before attempt `attempt + 1`, after `attempt` failed. */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(exponential, Math.min(retryAfterMs ?? 0, policy.maxMs));
}

export class PushWorker {
  private messages: PushDeliveries | undefined;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly deps: PushWorkerDeps) {
    this.now = deps.now ?? Date.now;
  }

  async start(): Promise<void> {
    this.messages = await this.deps.queue.consume(this.deps.concurrency ?? 32);
    this.loop = this.run(this.messages).catch((err: Error) => {
      if (!this.stopped) this.deps.logger.error({ err: err.message }, 'push worker stopped on an error');
    });
  }

  private async run(messages: PushDeliveries): Promise<void> {
    const limit = this.deps.concurrency ?? 32;
    for await (const m of messages) {
      const p: Promise<void> = this.handle(m)
        .catch((err: Error) => {
          this.deps.logger.error({ subject: m.subject, err: err.message }, 'push job failed; retrying later');
          m.nak(backoffMs(this.deps.retry, m.attempt));
        })
        .finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
      if (this.inFlight.size >= limit) await Promise.race(this.inFlight);
    }
    await Promise.all(this.inFlight);
  }

  private async handle(m: PushDelivery): Promise<void> {
    const job = m.job;
    if (typeof job === 'string') {
      this.deps.logger.error({ subject: m.subject, error: job }, 'push job cannot be read; dropped');
      pushDeliveries.inc({ provider: 'none', outcome: 'unreadable' });
      m.term('unreadable push job');
      return;
    }
    const attempt = m.attempt;
    const device = await this.deps.tokens.device(job.userId, job.deviceId);
    if (!device) {
      pushDeliveries.inc({ provider: 'none', outcome: 'no_token' });
      m.ack();
      return;
    }
    const provider = this.deps.providers[device.platform];
    if (!provider) {
      await this.park(m, job, `no ${device.platform} provider is configured`, attempt, device.platform);
      return;
    }
    const senderName =
      job.senderUserId !== undefined && device.showSender ? await this.deps.senderName?.(job.senderUserId) : undefined;
    const started = this.now();
    const result = await provider.send({
      id: job.jobId,
      token: device.token,
      environment: device.environment,
      data: pushData(job, senderName),
      collapseKey: job.conversationId,
      ...(job.kind === 'call' ? { voip: true } : {}),
    });
    pushProviderLatency.observe({ provider: provider.platform, outcome: result.kind }, (this.now() - started) / 1000);
    const where = { userId: job.userId, deviceId: job.deviceId, provider: provider.platform, attempt };
    switch (result.kind) {
      case 'delivered':
        pushDeliveries.inc({ provider: provider.platform, outcome: 'delivered' });
        pushLatency.observe({ provider: provider.platform }, Math.max(0, this.now() - job.at) / 1000);
        m.ack();
        return;
      case 'invalid-token': {
        const removed = await this.deps.removeToken(job, device.tokenHash, job.jobId);
        pushDeliveries.inc({ provider: provider.platform, outcome: 'token_removed' });
        this.deps.logger.info(
          { ...where, reason: result.reason, removed },
          'push token rejected by the provider; removed',
        );
        m.ack();
        return;
      }
      case 'retry':
        if (attempt >= this.deps.retry.maxAttempts) {
          await this.park(m, job, `gave up after ${attempt} attempts: ${result.reason}`, attempt, provider.platform);
          return;
        }
        pushDeliveries.inc({ provider: provider.platform, outcome: 'retried' });
        this.deps.logger.debug({ ...where, reason: result.reason }, 'push failed; retrying');
        m.nak(backoffMs(this.deps.retry, attempt, result.retryAfterMs));
        return;
      case 'failed':
        await this.park(m, job, result.reason, attempt, provider.platform);
        return;
    }
  }

  private async park(m: PushDelivery, job: PushJob, reason: string, attempts: number, provider: string): Promise<void> {
    const parked: ParkedPush = { job, reason, attempts, at: this.now() };
    await this.deps.queue.park(parked);
    pushDeliveries.inc({ provider, outcome: 'parked' });
    this.deps.logger.warn({ userId: job.userId, deviceId: job.deviceId, provider, attempts, reason }, 'push parked');
    m.ack();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }
}
