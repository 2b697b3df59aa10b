/** Builds the users view from the ACCOUNTS stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { AccountEvent } from '../../commands/account.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { userRecord, usernameRecord, usersKeys } from './schema.ts';

export function usersProjection(kv: KvStore): Projection<KvTx> {
  return {
    name: 'users',
    stream: STREAMS.accounts,
    filterSubject: 'accounts.>',
    target: new KvProjectionTarget(kv, [usersKeys.prefix]),
    async project(commit: StoredCommit, tx: KvTx) {
      for (const event of commit.events as readonly AccountEvent[]) {
        switch (event.type) {
          case 'UserRegistered': {
            const d = event.data;
            tx.put(usersKeys.byId(d.userId), userRecord.encode({ userId: d.userId, username: d.username, email: d.email, createdAt: d.at, devices: [] }));
            tx.put(usersKeys.byName(d.username), usernameRecord.encode({ userId: d.userId }));
            break;
          }
          case 'DeviceRegistered': {
            const raw = await tx.get(usersKeys.byId(event.data.userId));
            if (!raw) throw new Error(`device of unknown user ${event.data.userId}`);
            const user = userRecord.decode(raw);
            const d = event.data;
            const devices = user.devices.filter((x) => x.deviceId !== d.deviceId);
            devices.push({ deviceId: d.deviceId, deviceName: d.deviceName, deviceType: d.deviceType, createdAt: d.at });
            tx.put(usersKeys.byId(d.userId), userRecord.encode({ ...user, devices }));
            break;
          }
          default:
            break;
        }
      }
    },
  };
}
