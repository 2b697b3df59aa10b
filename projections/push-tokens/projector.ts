/** Builds the push-tokens view from the device subjects of the ACCOUNTS stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { DeviceKeysEvent } from '../../commands/device/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { DataKeys } from '../../stores/data-keys.ts';
import { KvProjectionTarget, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { DEVICE_SUBJECTS, deviceOfSubject } from '../keys/schema.ts';
import { pushTokenKeys, pushTokenRecord } from './schema.ts';

/** The device a commit on `accounts.device.<userId>.<deviceId>` is about, and its row. */
function deviceRow(commit: StoredCommit): { userId: string; row: Uint8Array } {
  const { userId, deviceId } = deviceOfSubject(commit.subject);
  return { userId, row: pushTokenKeys.device(userId, deviceId) };
}

export function pushTokensProjection(kv: KvStore, dataKeys: DataKeys = DataKeys.for(kv)): Projection<KvTx> {
  return defineProjection<DeviceKeysEvent, KvTx>({
    name: 'pushtokens',
    stream: STREAMS.accounts,
    subjects: DEVICE_SUBJECTS,
    target: new KvProjectionTarget(kv, [pushTokenKeys.prefix]),
    on: {
      PushTokenRegistered: async ({ data: d }, commit, tx) => {
        const { userId, row } = deviceRow(commit);
        const token = await dataKeys.open(userId, d.token);
        // The user's data key is gone (account deleted): nothing to push to.
        if (token === undefined) tx.delete(row);
        else
          tx.put(
            row,
            pushTokenRecord.encode({
              platform: d.platform,
              token,
              tokenHash: d.tokenHash,
              environment: d.environment,
              showSender: d.showSender,
              at: d.at,
            }),
          );
      },
      PushTokenRemoved: async ({ data }, commit, tx) => {
        const { row } = deviceRow(commit);
        const raw = await tx.get(row);
        if (raw && pushTokenRecord.decode(raw).tokenHash === data.tokenHash) tx.delete(row);
      },
      DeviceKeysWithdrawn: (_event, commit, tx) => tx.delete(deviceRow(commit).row),
    },
  });
}
