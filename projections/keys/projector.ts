/** Builds the keys view from the device subjects of the ACCOUNTS stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { DeviceKeysEvent } from '../../commands/device-keys.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { bytesEqual, prefixEnd } from '../../stores/keys.ts';
import { KvProjectionTarget, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { bundleRecord, deviceOfSubject, keysKeys, mlsKeyPackageRecord, oneTimePreKeyRecord } from './schema.ts';

/** Deletes every row under `prefix`: those in the store and those written earlier in this transaction. */
async function deleteRange(kv: KvStore, tx: KvTx, prefix: Uint8Array): Promise<void> {
  const end = prefixEnd(prefix);
  const inRange = (k: Uint8Array) => Buffer.compare(k, prefix) >= 0 && Buffer.compare(k, end) < 0;
  for (const w of tx.writes()) if (w.value !== null && inRange(w.key)) tx.delete(w.key);
  let start = prefix;
  for (;;) {
    const rows = await kv.scan({ start, end, limit: 1000 });
    for (const r of rows) tx.delete(r.key);
    const last = rows[rows.length - 1];
    if (rows.length < 1000 || !last) return;
    start = Buffer.concat([last.key, Uint8Array.of(0)]);
    if (bytesEqual(start, end)) return;
  }
}

const DEVICE_SUBJECTS = 'accounts.device.';

export function keysProjection(kv: KvStore): Projection<KvTx> {
  return {
    name: 'keys',
    stream: STREAMS.accounts,
    // The whole stream, not only accounts.device.>: the checkpoint then follows the stream's
    // sequence, so a rebuild (which waits for the stream's last sequence) and min_seq waits end.
    filterSubject: 'accounts.>',
    target: new KvProjectionTarget(kv, [keysKeys.prefix]),
    async project(commit: StoredCommit, tx: KvTx) {
      if (!commit.subject.startsWith(DEVICE_SUBJECTS)) return;
      const { userId, deviceId } = deviceOfSubject(commit.subject);
      for (const event of commit.events as readonly DeviceKeysEvent[]) {
        switch (event.type) {
          case 'DeviceKeysPublished': {
            const d = event.data;
            tx.put(keysKeys.bundle(userId, deviceId), bundleRecord.encode({
              userId, deviceId, identityKey: d.identityKey, signedPreKey: d.signedPreKey, signedPreKeySignature: d.signedPreKeySignature,
              publishedAt: d.at, signedPreKeyAt: d.at,
            }));
            for (const k of d.oneTimePreKeys) tx.put(keysKeys.oneTimePreKey(userId, deviceId, k.keyId), oneTimePreKeyRecord.encode({ keyId: k.keyId, key: k.key, addedAt: d.at }));
            break;
          }
          case 'OneTimePreKeysAdded':
            for (const k of event.data.keys) tx.put(keysKeys.oneTimePreKey(userId, deviceId, k.keyId), oneTimePreKeyRecord.encode({ keyId: k.keyId, key: k.key, addedAt: event.data.at }));
            break;
          case 'OneTimePreKeyConsumed':
            tx.delete(keysKeys.oneTimePreKey(userId, deviceId, event.data.keyId));
            break;
          case 'SignedPreKeyRotated': {
            const raw = await tx.get(keysKeys.bundle(userId, deviceId));
            if (!raw) throw new Error(`signed pre-key rotated on ${userId}/${deviceId}, which has no bundle in the view`);
            const bundle = bundleRecord.decode(raw);
            tx.put(keysKeys.bundle(userId, deviceId), bundleRecord.encode({ ...bundle, signedPreKey: event.data.signedPreKey, signedPreKeySignature: event.data.signature, signedPreKeyAt: event.data.at }));
            break;
          }
          case 'MlsKeyPackageUploaded':
            tx.put(keysKeys.mlsKeyPackage(userId, deviceId, event.data.packageId), mlsKeyPackageRecord.encode({
              packageId: event.data.packageId, keyPackage: event.data.keyPackage, uploadedAt: event.data.at, seq: commit.seq,
            }));
            break;
          case 'MlsKeyPackageConsumed':
            tx.delete(keysKeys.mlsKeyPackage(userId, deviceId, event.data.packageId));
            break;
          case 'DeviceKeysWithdrawn':
            await deleteRange(kv, tx, keysKeys.ofDevice(userId, deviceId));
            break;
          default:
            break;
        }
      }
    },
  };
}
