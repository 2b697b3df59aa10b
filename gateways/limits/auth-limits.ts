/**
 * The AuthService's throttles (GUARDYN_LIMITS__*, runtime/config.ts):
 *
 * - failed logins per client address (never cleared by a success: one valid
 *   account must not launder an address's failures).
 * - failed logins per (account, client address): over it that address may not
 *   try that account at all; a success from the address clears them.
 * - failed logins per account, keyed by the lower-cased username as typed, so an
 *   unknown name is throttled exactly like a real one (the answer never tells
 *   them apart). While an account is over this limit (under attack, typically
 *   from many addresses) only a device already registered to the account may
 *   log in, with the right password: every other attempt (a new device, an
 *   unknown device id, a wrong password) gets the same RATE_LIMITED answer
 *   after the same work, so an attacker who knows a username cannot lock its
 *   owner out. A new device waits until the oldest counted failure leaves the
 *   window. A success never clears the account's failures (it would reopen the
 *   account to a guesser whenever its owner logs in).
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
 * own (docs/adr/0061-failed-logins-cannot-lock-the-owner.md).
 */
import { isLeft, type Either } from 'fp-ts/lib/Either.js';
import { Counter } from 'prom-client';
import type { DomainError } from '../../commands/handler/decider.ts';
import type { LimitsConfig, RateLimit } from '../../runtime/config.ts';
import { metricsRegistry } from '../../runtime/metrics.ts';
import { errorResponse, fromDomain, type ErrorResponseShape } from '../shared/errors.ts';
import { clientAddress, type CallWithPeer } from './client-address.ts';
import { SlidingWindowLimiter, type LimitDecision } from './limiter.ts';

export const rateLimited = new Counter({
  name: 'guardyn_rate_limited_total',
  help: 'Requests refused with RATE_LIMITED, by limit',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

export type LimitName =
  | 'login_failures_per_account'
  | 'login_failures_per_address'
  | 'login_failures_per_account_address'
  | 'registrations_per_address'
  | 'searches_per_address';

/** RATE_LIMITED with `details.retry_after_seconds` (whole seconds, at least 1). */
export function rateLimitedError(limit: LimitName, what: string, retryAfterMs: number): ErrorResponseShape {
  rateLimited.inc({ limit });
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return errorResponse('RATE_LIMITED', `${what}: try again in ${seconds} s`, { retry_after_seconds: String(seconds) });
}

/** What a login gate answers: refused now, or try it (maybe from registered devices only) and track the outcome. */
export interface LoginGate {
  /** Set when the attempt must not even be tried. */
  readonly refused: ErrorResponseShape | undefined;
  /**
   * The account is over its failure limit: the attempt may succeed only from a
   * device already registered to the account, with the right password (the
   * login use case's `registeredDeviceOnly`).
   */
  readonly registeredDeviceOnly: boolean;
  /**
   * Awaits the login and books its outcome: UNAUTHORIZED counts as a failure,
   * success clears the (account, address) failures, anything else (and a
   * throw) counts nothing. Returns (or rethrows) what the login did.
   */
  track<T>(attempt: Promise<Either<DomainError, T>>): Promise<Either<DomainError, T>>;
  /** The answer to a failed attempt: while the account is over its limit every UNAUTHORIZED is the same RATE_LIMITED. */
  failure(error: DomainError): ErrorResponseShape;
}

export interface AuthLimitsOptions {
  /** Milliseconds since the epoch; tests move it. Default Date.now. */
  readonly now?: () => number;
}

export class AuthLimits {
  readonly loginFailuresPerAccount: SlidingWindowLimiter;
  readonly loginFailuresPerAddress: SlidingWindowLimiter;
  readonly loginFailuresPerAccountAddress: SlidingWindowLimiter;
  readonly registrationsPerAddress: SlidingWindowLimiter;
  readonly searchesPerAddress: SlidingWindowLimiter;
  private readonly addressHeader: string | undefined;

  constructor(config: LimitsConfig, options: AuthLimitsOptions = {}) {
    const limiter = (limit: RateLimit) =>
      new SlidingWindowLimiter({
        max: limit.max,
        windowMs: limit.windowSeconds * 1000,
        maxKeys: config.maxTrackedKeys,
        ...(options.now ? { now: options.now } : {}),
      });
    this.loginFailuresPerAccount = limiter(config.loginFailuresPerAccount);
    this.loginFailuresPerAddress = limiter(config.loginFailuresPerAddress);
    this.loginFailuresPerAccountAddress = limiter(config.loginFailuresPerAccountAddress);
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
    return d.allowed
      ? undefined
      : rateLimitedError('registrations_per_address', 'too many registrations from this address', d.retryAfterMs);
  }

  /** Counts one search of the caller's address; RATE_LIMITED when over the limit. */
  beginSearch(call: CallWithPeer): ErrorResponseShape | undefined {
    const d = this.searchesPerAddress.take(this.addressOf(call));
    return d.allowed
      ? undefined
      : rateLimitedError('searches_per_address', 'too many searches from this address', d.retryAfterMs);
  }

  /**
   * Reserves a login attempt for `username` from the caller's address (see
   * LoginGate). `newDevice`: the attempt names no device id, so it cannot be
   * one of the account's devices (refused at once while the account is over
   * its limit, which tells nothing about the account).
   */
  beginLogin(call: CallWithPeer, username: string, newDevice = false): LoginGate {
    const accountKey = username.toLowerCase();
    const addressKey = this.addressOf(call);
    const pairKey = `${accountKey}\u0000${addressKey}`;
    const byPair = this.loginFailuresPerAccountAddress.take(pairKey);
    if (!byPair.allowed)
      return refusedGate(
        rateLimitedError(
          'login_failures_per_account_address',
          'too many failed logins for this account from this address',
          byPair.retryAfterMs,
        ),
      );
    const byAddress = this.loginFailuresPerAddress.take(addressKey);
    if (!byAddress.allowed) {
      refundIfTaken(this.loginFailuresPerAccountAddress, pairKey, byPair);
      return refusedGate(
        rateLimitedError(
          'login_failures_per_address',
          'too many failed logins from this address',
          byAddress.retryAfterMs,
        ),
      );
    }
    const byAccount = this.loginFailuresPerAccount.take(accountKey);
    const locked = () =>
      rateLimitedError(
        'login_failures_per_account',
        'too many failed logins for this account',
        byAccount.allowed ? 1 : byAccount.retryAfterMs,
      );
    if (!byAccount.allowed && newDevice) {
      refundIfTaken(this.loginFailuresPerAccountAddress, pairKey, byPair);
      refundIfTaken(this.loginFailuresPerAddress, addressKey, byAddress);
      return refusedGate(locked());
    }
    const release = (outcome: 'failed' | 'succeeded' | 'void') => {
      if (outcome === 'failed') return;
      refundIfTaken(this.loginFailuresPerAddress, addressKey, byAddress);
      refundIfTaken(this.loginFailuresPerAccount, accountKey, byAccount);
      if (outcome === 'succeeded') this.loginFailuresPerAccountAddress.reset(pairKey);
      else refundIfTaken(this.loginFailuresPerAccountAddress, pairKey, byPair);
    };
    return {
      refused: undefined,
      registeredDeviceOnly: !byAccount.allowed,
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
      failure: (error) => (!byAccount.allowed && error.code === 'UNAUTHORIZED' ? locked() : fromDomain(error)),
    };
  }
}

function refusedGate(error: ErrorResponseShape): LoginGate {
  return { refused: error, registeredDeviceOnly: false, track: (attempt) => attempt, failure: fromDomain };
}

function refundIfTaken(limiter: SlidingWindowLimiter, key: string, decision: LimitDecision): void {
  if (decision.allowed) limiter.refund(key, decision.at);
}
