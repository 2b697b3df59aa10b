/**
 * The push-token part of the device aggregate (accounts.device.<userId>.<deviceId>):
 * pure decisions and folds that the device-keys decider (./decider.ts) delegates to, so a
 * device's keys and its push token share one subject, one optimistic-concurrency
 * order and one aggregate cache entry. A withdrawn device (revoked, account
 * deleted) refuses a new token before these run.
 */
import { right, type Either } from 'fp-ts/lib/Either.js';
import type { EventOf } from '../../streams/events/registry.ts';
import type {
  PushEnvironment,
  PushPlatform,
  PushTokenRegistered,
  PushTokenRemovalReason,
  PushTokenRemoved,
} from '../../streams/events/push.ts';
import type { Sealed } from '../../streams/events/accounts.ts';
import type { DomainError } from '../handler/decider.ts';

export type PushTokenEvent = EventOf<typeof PushTokenRegistered | typeof PushTokenRemoved>;

export type PushTokenCommand =
  | {
      readonly kind: 'RegisterPushToken';
      readonly platform: PushPlatform;
      /** The token sealed with the user's data key (sealing is I/O: the use case does it). */
      readonly token: Sealed;
      readonly tokenHash: string;
      readonly environment: PushEnvironment;
      readonly showSender: boolean;
      readonly at: number;
    }
  /** `tokenHash`: remove only if that is still the device's token (a newer one stays). */
  | {
      readonly kind: 'RemovePushToken';
      readonly tokenHash: string | undefined;
      readonly reason: PushTokenRemovalReason;
      readonly at: number;
    };

/** What the aggregate keeps of the device's push token (the token itself stays sealed in the log). */
export interface PushTokenState {
  readonly platform: PushPlatform;
  readonly tokenHash: string;
  readonly environment: PushEnvironment;
  readonly showSender: boolean;
  readonly at: number;
}

export function decidePushToken(
  command: PushTokenCommand,
  current: PushTokenState | undefined,
): Either<DomainError, PushTokenEvent[]> {
  switch (command.kind) {
    case 'RegisterPushToken': {
      const same =
        current !== undefined &&
        current.tokenHash === command.tokenHash &&
        current.platform === command.platform &&
        current.environment === command.environment &&
        current.showSender === command.showSender;
      if (same) return right([]); // a repeated registration changes nothing
      const { platform, token, tokenHash, environment, showSender, at } = command;
      return right([
        { type: 'PushTokenRegistered', data: { platform, token, tokenHash, environment, showSender, at } },
      ]);
    }
    case 'RemovePushToken': {
      if (current === undefined) return right([]);
      if (command.tokenHash !== undefined && command.tokenHash !== current.tokenHash) return right([]);
      return right([
        { type: 'PushTokenRemoved', data: { tokenHash: current.tokenHash, reason: command.reason, at: command.at } },
      ]);
    }
  }
}

export function evolvePushToken(
  current: PushTokenState | undefined,
  event: PushTokenEvent,
): PushTokenState | undefined {
  switch (event.type) {
    case 'PushTokenRegistered': {
      const { platform, tokenHash, environment, showSender, at } = event.data;
      return { platform, tokenHash, environment, showSender, at };
    }
    case 'PushTokenRemoved':
      return current?.tokenHash === event.data.tokenHash ? undefined : current;
  }
}

export const isPushTokenCommand = (c: { readonly kind: string }): c is PushTokenCommand =>
  c.kind === 'RegisterPushToken' || c.kind === 'RemovePushToken';
