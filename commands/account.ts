/**
 * The account aggregate (subject accounts.user.<userId>): registration, devices
 * and sessions of one user.
 */
import * as t from 'io-ts';
import { left, right } from 'fp-ts/lib/Either.js';
import { DeviceRegistered, SessionStarted, UserRegistered, type KeyBundleData } from '../streams/events/accounts.ts';
import { domainError, type Decider } from './decider.ts';

export type AccountEvent =
  | { type: 'UserRegistered'; data: t.TypeOf<typeof UserRegistered.codec> }
  | { type: 'DeviceRegistered'; data: t.TypeOf<typeof DeviceRegistered.codec> }
  | { type: 'SessionStarted'; data: t.TypeOf<typeof SessionStarted.codec> };

export interface NewDevice {
  readonly deviceId: string;
  readonly deviceName: string;
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
      readonly username: string;
      readonly email: string;
      readonly passwordHash: string;
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
    };

export interface DeviceState {
  readonly deviceId: string;
  readonly deviceName: string;
  readonly deviceType: string;
  readonly createdAt: number;
}

export interface AccountState {
  readonly registered: boolean;
  readonly userId: string;
  readonly username: string;
  readonly email: string;
  readonly passwordHash: string;
  readonly createdAt: number;
  readonly devices: ReadonlyMap<string, DeviceState>;
  readonly sessions: ReadonlySet<string>;
}

export const MAX_DEVICES_PER_USER = 32;

const initialState: AccountState = {
  registered: false, userId: '', username: '', email: '', passwordHash: '', createdAt: 0, devices: new Map(), sessions: new Set(),
};

function registerDevice(userId: string, device: NewDevice, at: number): AccountEvent {
  return { type: 'DeviceRegistered', data: { userId, ...device, at } };
}

function startSession(userId: string, deviceId: string, session: NewSession, at: number): AccountEvent {
  return { type: 'SessionStarted', data: { userId, deviceId, ...session, at } };
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState,
  decide(command, state) {
    switch (command.kind) {
      case 'RegisterUser': {
        if (state.registered) return left(domainError('CONFLICT', 'the account already exists'));
        return right([
          { type: 'UserRegistered', data: { userId: command.userId, username: command.username, email: command.email, passwordHash: command.passwordHash, at: command.at } },
          registerDevice(command.userId, command.device, command.at),
          startSession(command.userId, command.device.deviceId, command.session, command.at),
        ]);
      }
      case 'StartSession': {
        if (!state.registered) return left(domainError('UNAUTHORIZED', 'invalid username or password'));
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
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UserRegistered':
        return { ...state, registered: true, userId: event.data.userId, username: event.data.username, email: event.data.email, passwordHash: event.data.passwordHash, createdAt: event.data.at };
      case 'DeviceRegistered': {
        const devices = new Map(state.devices);
        devices.set(event.data.deviceId, { deviceId: event.data.deviceId, deviceName: event.data.deviceName, deviceType: event.data.deviceType, createdAt: event.data.at });
        return { ...state, devices };
      }
      case 'SessionStarted':
        return { ...state, sessions: new Set(state.sessions).add(event.data.sessionId) };
      default:
        return state;
    }
  },
};
