/** The users view: a user by id, and a user id by (lower-case) username. */
import * as t from 'io-ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const DeviceRecord = t.type({
  deviceId: t.string,
  deviceName: t.string,
  deviceType: t.string,
  createdAt: t.number,
});
export type DeviceRecord = t.TypeOf<typeof DeviceRecord>;

export const UserRecord = t.type({
  userId: t.string,
  username: t.string,
  email: t.string,
  createdAt: t.number,
  devices: t.array(DeviceRecord),
});
export type UserRecord = t.TypeOf<typeof UserRecord>;

export const userRecord = recordCodec('user', UserRecord);
export const usernameRecord = recordCodec('username', t.type({ userId: t.string }));

export const usersKeys = {
  prefix: childPrefix('users'),
  byId: (userId: string) => key('users', 'id', userId),
  byName: (username: string) => key('users', 'name', username.toLowerCase()),
};
