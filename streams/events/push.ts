/**
 * Push tokens, on the device's subject of the ACCOUNTS stream
 * (`accounts.device.<userId>.<deviceId>`, beside its keys): the token a push
 * provider (FCM or APNs) issued for the device, and its removal.
 *
 * A push token identifies a device to a third party, so it counts as personal
 * data: it travels sealed with the user's data key (stores/data-keys.ts) and
 * is shredded with the account. `tokenHash` (SHA-256 hex of the token) lets
 * the decider tell a repeat from a new token and lets a removal name the token
 * it removes without opening anything.
 */
import * as t from 'io-ts';
import { EpochMs } from './codecs.ts';
import { Sealed } from './accounts.ts';
import { defineEvent } from './registry.ts';

export const PUSH_PLATFORMS = ['fcm', 'apns'] as const;
export const PushPlatform = t.keyof({ fcm: null, apns: null });
export type PushPlatform = t.TypeOf<typeof PushPlatform>;

/** APNs has a production and a sandbox (development builds) gateway; FCM has one. */
export const PushEnvironment = t.keyof({ production: null, sandbox: null });
export type PushEnvironment = t.TypeOf<typeof PushEnvironment>;

export const PushTokenRegistered = defineEvent(
  'PushTokenRegistered',
  1,
  t.type({
    platform: PushPlatform,
    token: Sealed,
    tokenHash: t.string,
    environment: PushEnvironment,
    /** The user opted in to see who wrote in the notification (default: nothing but "new message"). */
    showSender: t.boolean,
    at: EpochMs,
  }),
);

/** Why a token was removed: the device asked, or the provider said the token is no longer valid. */
export const PushTokenRemovalReason = t.keyof({ unregistered: null, 'provider-rejected': null });
export type PushTokenRemovalReason = t.TypeOf<typeof PushTokenRemovalReason>;

export const PushTokenRemoved = defineEvent(
  'PushTokenRemoved',
  1,
  t.type({ tokenHash: t.string, reason: PushTokenRemovalReason, at: EpochMs }),
);

export const pushTokenEvents = [PushTokenRegistered, PushTokenRemoved] as const;
