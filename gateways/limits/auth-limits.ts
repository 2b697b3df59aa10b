/**
 * The AuthService's throttles (GUARDYN_LIMITS__*, runtime/config.ts):
 *
 * - failed logins per account, keyed by the lower-cased username as typed, so an
 *   unknown name is throttled exactly like a real one (the answer never tells
 *   them apart). While an account is over its limit every login is refused,
 *   even with the right password, until the oldest counted failure leaves the
 *   window; a successful login clears the account's failures.
 * - failed logins per client address (never cleared by a success: one valid
 *   account must not launder an address's failures).
 * - registrations per client address (every accepted attempt counts).
 * - SearchUsers calls per client address.
 *
 * A login attempt reserves its place before the password is checked, so many
 * concurrent attempts cannot slip past the limit together; the reservation is
 * kept when the password was wrong, taken back when it was right or the
 * attempt failed for another reason.
 *
 * Over a limit the answer is RATE_LIMITED with `details.retry_after_seconds`.
 * Limits live in this process's memory: each gateway instance counts on its
 * own (docs/DECISIONS.md).
 */
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { Counter } from 'prom-client';
import type { DomainError } from '../../commands/decider.ts';
import type { LimitsConfig, RateLimit } from '../../runtime/config.ts';
import { metricsRegistry } from '../../runtime/metrics.ts';
import { errorResponse, type ErrorResponseShape } from '../grpc/errors.ts';
import { clientAddress, type CallWithPeer } from './client-address.ts';
import { SlidingWindowLimiter, type LimitDecision } from './limiter.ts';

export const rateLimited = new Counter({
  name: 'guardyn_rate_limited_total',
  help: 'Requests refused with RATE_LIMITED, by limit',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

export type LimitName = 'login_failures_per_account' | 'login_failures_per_address' | 'registrations_per_address' | 'searches_per_address';

/** RATE_LIMITED with `details.retry_after_seconds` (whole seconds, at least 1). */
export function rateLimitedError(limit: LimitName, what: string, retryAfterMs: number): ErrorResponseShape {
  rateLimited.inc({ limit });
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return errorResponse('RATE_LIMITED', `${what}: try again in ${seconds} s`, { retry_after_seconds: String(seconds) });
}

/** What a login gate answers: refused now, or track the attempt's outcome. */
export interface LoginGate {
  /** Set when the attempt must not even be tried. */
  readonly refused: ErrorResponseShape | undefined;
  /**
   * Awaits the login and books its outcome: UNAUTHORIZED counts as a failure,
   * success clears the account's failures, anything else (and a throw) counts
   * nothing. Returns (or rethrows) what the login did.
   */
  track<T>(attempt: Promise<Either<DomainError, T>>): Promise<Either<DomainError, T>>;
}

export interface AuthLimitsOptions {
  /** Milliseconds since the epoch; tests move it. Default Date.now. */
  readonly now?: () => number;
}

export class AuthLimits {
  readonly loginFailuresPerAccount: SlidingWindowLimiter;
  readonly loginFailuresPerAddress: SlidingWindowLimiter;
  readonly registrationsPerAddress: SlidingWindowLimiter;
  readonly searchesPerAddress: SlidingWindowLimiter;
  private readonly addressHeader: string | undefined;

  constructor(config: LimitsConfig, options: AuthLimitsOptions = {}) {
    const limiter = (limit: RateLimit) => new SlidingWindowLimiter({
      max: limit.max, windowMs: limit.windowSeconds * 1000, maxKeys: config.maxTrackedKeys, ...(options.now ? { now: options.now } : {}),
    });
    this.loginFailuresPerAccount = limiter(config.loginFailuresPerAccount);
    this.loginFailuresPerAddress = limiter(config.loginFailuresPerAddress);
    this.registrationsPerAddress = limiter(config.registrationsPerAddress);
    this.searchesPerAddress = limiter(config.searchesPerAddress);
    this.addressHeader = config.clientAddressHeader;
  }

  /** The address key a call counts against (see client-address.ts). */
  addressOf(call: CallWithPeer): string {
    return clientAddress(call, this.addressHeader);
  }

  /** Counts one registration attempt of the caller's address; RATE_LIMITED when over the limit. */
  beginRegistration(call: CallWithPeer): ErrorResponseShape | undefined {
    const d = this.registrationsPerAddress.take(this.addressOf(call));
    return d.allowed ? undefined : rateLimitedError('registrations_per_address', 'too many registrations from this address', d.retryAfterMs);
  }

  /** Counts one search of the caller's address; RATE_LIMITED when over the limit. */
  beginSearch(call: CallWithPeer): ErrorResponseShape | undefined {
    const d = this.searchesPerAddress.take(this.addressOf(call));
    return d.allowed ? undefined : rateLimitedError('searches_per_address', 'too many searches from this address', d.retryAfterMs);
  }

  /** Reserves a login attempt for `username` from the caller's address (see LoginGate). */
  beginLogin(call: CallWithPeer, username: string): LoginGate {
    const accountKey = username.toLowerCase();
    const addressKey = this.addressOf(call);
    const byAccount = this.loginFailuresPerAccount.take(accountKey);
    if (!byAccount.allowed) return refusedGate(rateLimitedError('login_failures_per_account', 'too many failed logins for this account', byAccount.retryAfterMs));
    const byAddress = this.loginFailuresPerAddress.take(addressKey);
    if (!byAddress.allowed) {
      this.loginFailuresPerAccount.refund(accountKey, byAccount.at);
      return refusedGate(rateLimitedError('login_failures_per_address', 'too many failed logins from this address', byAddress.retryAfterMs));
    }
    const release = (outcome: 'failed' | 'succeeded' | 'void') => {
      if (outcome === 'failed') return;
      refundIfTaken(this.loginFailuresPerAddress, addressKey, byAddress);
      if (outcome === 'succeeded') this.loginFailuresPerAccount.reset(accountKey);
      else refundIfTaken(this.loginFailuresPerAccount, accountKey, byAccount);
    };
    return {
      refused: undefined,
      async track(attempt) {
        let result;
        try {
          result = await attempt;
        } catch (err) {
          release('void');
          throw err;
        }
        release(!isLeft(result) ? 'succeeded' : result.left.code === 'UNAUTHORIZED' ? 'failed' : 'void');
        return result;
      },
    };
  }
}

function refusedGate(error: ErrorResponseShape): LoginGate {
  return { refused: error, track: (attempt) => attempt };
}

function refundIfTaken(limiter: SlidingWindowLimiter, key: string, decision: LimitDecision): void {
  if (decision.allowed) limiter.refund(key, decision.at);
}
