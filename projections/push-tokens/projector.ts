/** Builds the push-tokens view from the device subjects of the ACCOUNTS stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { DeviceKeysEvent } from '../../commands/device-keys.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { DataKeys } from '../../runtime/data-keys.ts';
import { KvProjectionTarget, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { deviceOfSubject } from '../keys/schema.ts';
import { pushTokenKeys, pushTokenRecord } from './schema.ts';

const DEVICE_SUBJECTS = 'accounts.device.';

export function pushTokensProjection(kv: KvStore, dataKeys: DataKeys = DataKeys.for(kv)): Projection<KvTx> {
  return {
    name: 'pushtokens',
    stream: STREAMS.accounts,
    // The whole stream (as the keys view), so the checkpoint follows the stream's sequence.
    filterSubject: 'accounts.>',
    target: new KvProjectionTarget(kv, [pushTokenKeys.prefix]),
    async project(commit: StoredCommit, tx: KvTx) {
      if (!commit.subject.startsWith(DEVICE_SUBJECTS)) return;
      const { userId, deviceId } = deviceOfSubject(commit.subject);
      const row = pushTokenKeys.device(userId, deviceId);
      for (const event of commit.events as readonly DeviceKeysEvent[]) {
        switch (event.type) {
          case 'PushTokenRegistered': {
            const d = event.data;
            const token = await dataKeys.open(userId, d.token);
            // The user's data key is gone (account deleted): nothing to push to.
            if (token === undefined) tx.delete(row);
            else tx.put(row, pushTokenRecord.encode({ platform: d.platform, token, tokenHash: d.tokenHash, environment: d.environment, showSender: d.showSender, at: d.at }));
            break;
          }
          case 'PushTokenRemoved': {
            const raw = await tx.get(row);
            if (raw && pushTokenRecord.decode(raw).tokenHash === event.data.tokenHash) tx.delete(row);
            break;
          }
          case 'DeviceKeysWithdrawn':
            tx.delete(row);
            break;
          default:
            break;
        }
      }
    },
  };
}
