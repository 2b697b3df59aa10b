/**
 * The account aggregate (subject accounts.user.<userId>): registration, devices,
 * sessions and their revocation, and deletion of one user.
 *
 * Personal fields (username, email, password hash, device names) arrive and are
 * kept sealed with the user's data key: the decider never sees plaintext and
 * stays pure. Sessions form token families: each session has one current
 * refresh-token hash and remembers the spent ones, so presenting a spent token
 * again is recognised as reuse and ends the session.
 *
 * A session is *live* while it is not revoked and its refresh expiry has not
 * passed; ending sessions (logout, device revocation, deletion) revokes the live
 * ones and reports how many that were. An expired session has already ended.
 */
import { left, right } from 'fp-ts/lib/Either.js';
import {
  AccountDeleted,
  DeviceRegistered,
  DeviceRevoked,
  RefreshTokenReused,
  SessionRefreshed,
  SessionRevoked,
  SessionStarted,
  UserDataKeyDestroyed,
  UserRegistered,
  type KeyBundleData,
  type Sealed,
  type SessionRevokeReason,
} from '../../streams/events/accounts.ts';
import type { EventOf } from '../../streams/events/registry.ts';
import { domainError, type Decider } from '../handler/decider.ts';

export type AccountEvent = EventOf<
  | typeof UserRegistered
  | typeof DeviceRegistered
  | typeof SessionStarted
  | typeof SessionRefreshed
  | typeof SessionRevoked
  | typeof RefreshTokenReused
  | typeof DeviceRevoked
  | typeof AccountDeleted
  | typeof UserDataKeyDestroyed
>;

export interface NewDevice {
  readonly deviceId: string;
  /** Sealed with the user's data key. */
  readonly deviceName: Sealed;
  readonly deviceType: string;
  readonly keyBundle: KeyBundleData | null;
}

export interface NewSession {
  readonly sessionId: string;
  readonly refreshTokenHash: string;
  readonly expiresAt: number;
}

export type AccountCommand =
  | {
      readonly kind: 'RegisterUser';
      readonly userId: string;
      /** Sealed display form of the username. */
      readonly username: Sealed;
      readonly email: Sealed;
      readonly passwordHash: Sealed;
      readonly device: NewDevice;
      readonly session: NewSession;
      readonly at: number;
    }
  | {
      /** Login: the password was verified against this state's hash before deciding. */
      readonly kind: 'StartSession';
      readonly userId: string;
      /** A device of the user, or a new one to register first. */
      readonly deviceId: string;
      readonly newDevice: NewDevice | undefined;
      readonly session: NewSession;
      readonly at: number;
    }
  | {
      /** Trade the refresh token whose hash is `presentedHash` for `next`. */
      readonly kind: 'RefreshSession';
      readonly sessionId: string;
      readonly presentedHash: string;
      readonly next: { readonly refreshTokenHash: string; readonly expiresAt: number };
      readonly at: number;
    }
  | {
      /** Logout: one session, or every live session of the user. */
      readonly kind: 'EndSessions';
      readonly scope: { readonly sessionId: string } | 'all';
      readonly at: number;
    }
  | { readonly kind: 'RevokeDevice'; readonly deviceId: string; readonly at: number }
  | { readonly kind: 'DeleteAccount'; readonly at: number }
  | { readonly kind: 'RecordDataKeyDestroyed'; readonly at: number };

export interface DeviceState {
  readonly deviceId: string;
  readonly deviceName: Sealed;
  readonly deviceType: string;
  readonly createdAt: number;
}

export interface SessionState {
  readonly sessionId: string;
  readonly deviceId: string;
  /** Hash of the refresh token that works now. */
  readonly refreshTokenHash: string;
  /** Hashes of refresh tokens already traded in (emptied once the session is revoked). */
  readonly spentHashes: ReadonlySet<string>;
  readonly expiresAt: number;
  readonly revoked: boolean;
}

export interface AccountState {
  readonly registered: boolean;
  /** AccountDeleted was committed: nothing but the key-destruction audit is accepted any more. */
  readonly deleted: boolean;
  readonly dataKeyDestroyed: boolean;
  readonly userId: string;
  readonly username: Sealed;
  readonly email: Sealed;
  readonly passwordHash: Sealed;
  readonly createdAt: number;
  /** Active devices; a revoked device is removed (and listed in `revokedDevices`). */
  readonly devices: ReadonlyMap<string, DeviceState>;
  readonly revokedDevices: ReadonlySet<string>;
  /** Every session ever started, revoked ones included. */
  readonly sessions: ReadonlyMap<string, SessionState>;
}

export const MAX_DEVICES_PER_USER = 32;

const NOTHING: Sealed = { iv: '', ct: '' };

const initialState: AccountState = {
  registered: false,
  deleted: false,
  dataKeyDestroyed: false,
  userId: '',
  username: NOTHING,
  email: NOTHING,
  passwordHash: NOTHING,
  createdAt: 0,
  devices: new Map(),
  revokedDevices: new Set(),
  sessions: new Map(),
};

/** Not revoked and its refresh token not expired at `at`. */
export function isLive(session: SessionState, at: number): boolean {
  return !session.revoked && session.expiresAt > at;
}

/** The ids of the sessions ended by `events` (the SessionRevoked among them). */
export function endedSessions(events: readonly AccountEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'SessionRevoked' ? [e.data.sessionId] : []));
}

function registerDevice(userId: string, device: NewDevice, at: number): AccountEvent {
  return { type: 'DeviceRegistered', data: { userId, ...device, at } };
}

function startSession(userId: string, deviceId: string, session: NewSession, at: number): AccountEvent {
  return { type: 'SessionStarted', data: { userId, deviceId, ...session, at } };
}

function revoke(
  state: AccountState,
  sessions: Iterable<SessionState>,
  reason: SessionRevokeReason,
  at: number,
): AccountEvent[] {
  const out: AccountEvent[] = [];
  for (const s of sessions)
    if (isLive(s, at))
      out.push({ type: 'SessionRevoked', data: { userId: state.userId, sessionId: s.sessionId, reason, at } });
  return out;
}

const BAD_CREDENTIALS = domainError('UNAUTHORIZED', 'invalid username or password');
const SESSION_ENDED = domainError('UNAUTHORIZED', 'session ended');
const NO_ACCOUNT = domainError('NOT_FOUND', 'no such account');

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState,
  decide(command, state) {
    switch (command.kind) {
      case 'RegisterUser': {
        if (state.registered || state.deleted) return left(domainError('CONFLICT', 'the account already exists'));
        return right([
          {
            type: 'UserRegistered',
            data: {
              userId: command.userId,
              username: command.username,
              email: command.email,
              passwordHash: command.passwordHash,
              at: command.at,
            },
          },
          registerDevice(command.userId, command.device, command.at),
          startSession(command.userId, command.device.deviceId, command.session, command.at),
        ]);
      }
      case 'StartSession': {
        if (!state.registered || state.deleted) return left(BAD_CREDENTIALS);
        if (state.revokedDevices.has(command.deviceId))
          return left(domainError('NOT_FOUND', 'unknown device: it was revoked', 'device_id'));
        const known = state.devices.has(command.deviceId);
        if (!known && !command.newDevice) return left(domainError('NOT_FOUND', 'unknown device', 'device_id'));
        if (known) return right([startSession(state.userId, command.deviceId, command.session, command.at)]);
        if (state.devices.size >= MAX_DEVICES_PER_USER) {
          return left(domainError('CONFLICT', `an account holds at most ${MAX_DEVICES_PER_USER} devices`, 'device_id'));
        }
        return right([
          registerDevice(state.userId, command.newDevice!, command.at),
          startSession(state.userId, command.deviceId, command.session, command.at),
        ]);
      }
      case 'RefreshSession': {
        const session = state.sessions.get(command.sessionId);
        if (!state.registered || state.deleted || session === undefined)
          return left(domainError('UNAUTHORIZED', 'invalid refresh token'));
        if (session.revoked) return left(SESSION_ENDED);
        if (session.spentHashes.has(command.presentedHash)) {
          // Someone holds a token that was already traded in: end the whole family.
          return right([
            {
              type: 'SessionRevoked',
              data: { userId: state.userId, sessionId: session.sessionId, reason: 'refresh-reuse', at: command.at },
            },
            {
              type: 'RefreshTokenReused',
              data: { userId: state.userId, sessionId: session.sessionId, at: command.at },
            },
          ]);
        }
        if (session.refreshTokenHash !== command.presentedHash)
          return left(domainError('UNAUTHORIZED', 'invalid refresh token'));
        if (session.expiresAt <= command.at)
          return left(domainError('UNAUTHORIZED', 'refresh token expired: log in again'));
        return right([
          {
            type: 'SessionRefreshed',
            data: {
              userId: state.userId,
              sessionId: session.sessionId,
              refreshTokenHash: command.next.refreshTokenHash,
              expiresAt: command.next.expiresAt,
              at: command.at,
            },
          },
        ]);
      }
      case 'EndSessions': {
        if (!state.registered || state.deleted) return left(NO_ACCOUNT);
        if (command.scope === 'all') return right(revoke(state, state.sessions.values(), 'logout-all', command.at));
        const session = state.sessions.get(command.scope.sessionId);
        return right(session === undefined ? [] : revoke(state, [session], 'logout', command.at));
      }
      case 'RevokeDevice': {
        if (!state.registered || state.deleted) return left(NO_ACCOUNT);
        // Another user's device, an unknown one and an already revoked one look alike.
        if (!state.devices.has(command.deviceId)) return left(domainError('NOT_FOUND', 'unknown device', 'device_id'));
        const ofDevice = [...state.sessions.values()].filter((s) => s.deviceId === command.deviceId);
        return right([
          ...revoke(state, ofDevice, 'device-revoked', command.at),
          { type: 'DeviceRevoked', data: { userId: state.userId, deviceId: command.deviceId, at: command.at } },
        ]);
      }
      case 'DeleteAccount': {
        if (!state.registered || state.deleted) return left(NO_ACCOUNT);
        return right([
          ...revoke(state, state.sessions.values(), 'account-deleted', command.at),
          ...[...state.devices.keys()].map(
            (deviceId): AccountEvent => ({
              type: 'DeviceRevoked',
              data: { userId: state.userId, deviceId, at: command.at },
            }),
          ),
          { type: 'AccountDeleted', data: { userId: state.userId, at: command.at } },
        ]);
      }
      case 'RecordDataKeyDestroyed': {
        if (!state.deleted) return left(domainError('CONFLICT', 'the account is not deleted'));
        if (state.dataKeyDestroyed) return right([]);
        return right([{ type: 'UserDataKeyDestroyed', data: { userId: state.userId, at: command.at } }]);
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered':
        return {
          ...state,
          registered: true,
          userId: event.data.userId,
          username: event.data.username,
          email: event.data.email,
          passwordHash: event.data.passwordHash,
          createdAt: event.data.at,
        };
      case 'DeviceRegistered': {
        const devices = new Map(state.devices);
        devices.set(event.data.deviceId, {
          deviceId: event.data.deviceId,
          deviceName: event.data.deviceName,
          deviceType: event.data.deviceType,
          createdAt: event.data.at,
        });
        return { ...state, devices };
      }
      case 'SessionStarted': {
        const d = event.data;
        const sessions = new Map(state.sessions);
        sessions.set(d.sessionId, {
          sessionId: d.sessionId,
          deviceId: d.deviceId,
          refreshTokenHash: d.refreshTokenHash,
          spentHashes: new Set(),
          expiresAt: d.expiresAt,
          revoked: false,
        });
        return { ...state, sessions };
      }
      case 'SessionRefreshed': {
        const s = state.sessions.get(event.data.sessionId);
        if (s === undefined) return state;
        const sessions = new Map(state.sessions);
        sessions.set(s.sessionId, {
          ...s,
          refreshTokenHash: event.data.refreshTokenHash,
          spentHashes: new Set(s.spentHashes).add(s.refreshTokenHash),
          expiresAt: event.data.expiresAt,
        });
        return { ...state, sessions };
      }
      case 'SessionRevoked': {
        const s = state.sessions.get(event.data.sessionId);
        if (s === undefined) return state;
        const sessions = new Map(state.sessions);
        // A revoked session answers every token of its family alike, so the spent hashes are no longer needed.
        sessions.set(s.sessionId, { ...s, revoked: true, spentHashes: new Set() });
        return { ...state, sessions };
      }
      case 'DeviceRevoked': {
        const devices = new Map(state.devices);
        devices.delete(event.data.deviceId);
        return { ...state, devices, revokedDevices: new Set(state.revokedDevices).add(event.data.deviceId) };
      }
      case 'AccountDeleted':
        return { ...state, deleted: true, username: NOTHING, email: NOTHING, passwordHash: NOTHING };
      case 'UserDataKeyDestroyed':
        return { ...state, dataKeyDestroyed: true };
      default:
        return state;
    }
  },
};
