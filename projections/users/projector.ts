/**
 * Builds the users view from the ACCOUNTS stream. Personal fields arrive sealed
 * with the user's data key and are opened here; where the key is gone (the
 * account was deleted) they are written as '[redacted]' and the user is not
 * findable by name. A revoked device leaves the user's device list; a deleted
 * account leaves the view entirely.
 */
import type { AccountEvent } from '../../commands/account/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { DataKeys, REDACTED } from '../../stores/data-keys.ts';
import { KvProjectionTarget, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { userRecord, usernameRecord, usersKeys } from './schema.ts';

export function usersProjection(kv: KvStore, dataKeys: DataKeys = DataKeys.for(kv)): Projection<KvTx> {
  return defineProjection<AccountEvent, KvTx>({
    name: 'users',
    stream: STREAMS.accounts,
    target: new KvProjectionTarget(kv, [usersKeys.prefix]),
    on: {
      UserRegistered: async ({ data: d }, _commit, tx) => {
        const username = await dataKeys.open(d.userId, d.username);
        const email = await dataKeys.openOrRedacted(d.userId, d.email);
        tx.put(
          usersKeys.byId(d.userId),
          userRecord.encode({ userId: d.userId, username: username ?? REDACTED, email, createdAt: d.at, devices: [] }),
        );
        if (username !== undefined) tx.put(usersKeys.byName(username), usernameRecord.encode({ userId: d.userId }));
      },
      DeviceRegistered: async ({ data: d }, _commit, tx) => {
        const raw = await tx.get(usersKeys.byId(d.userId));
        if (!raw) throw new Error(`device of unknown user ${d.userId}`);
        const user = userRecord.decode(raw);
        const devices = user.devices.filter((x) => x.deviceId !== d.deviceId);
        devices.push({
          deviceId: d.deviceId,
          deviceName: await dataKeys.openOrRedacted(d.userId, d.deviceName),
          deviceType: d.deviceType,
          createdAt: d.at,
        });
        tx.put(usersKeys.byId(d.userId), userRecord.encode({ ...user, devices }));
      },
      DeviceRevoked: async ({ data: d }, _commit, tx) => {
        const raw = await tx.get(usersKeys.byId(d.userId));
        if (!raw) return;
        const user = userRecord.decode(raw);
        tx.put(
          usersKeys.byId(user.userId),
          userRecord.encode({ ...user, devices: user.devices.filter((x) => x.deviceId !== d.deviceId) }),
        );
      },
      AccountDeleted: async ({ data: { userId } }, _commit, tx) => {
        // The key is about to be destroyed: never keep a copy of it in this process.
        dataKeys.forget(userId);
        const raw = await tx.get(usersKeys.byId(userId));
        if (!raw) return;
        const user = userRecord.decode(raw);
        tx.delete(usersKeys.byId(userId));
        if (user.username !== REDACTED) {
          const byName = await tx.get(usersKeys.byName(user.username));
          if (byName && usernameRecord.decode(byName).userId === userId) tx.delete(usersKeys.byName(user.username));
        }
      },
      UserDataKeyDestroyed: ({ data }) => {
        dataKeys.forget(data.userId);
      },
    },
  });
}
