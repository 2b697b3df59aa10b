/** Builds the keys view from the device subjects of the ACCOUNTS stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { DeviceKeysEvent } from '../../commands/device/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { bytesEqual, prefixEnd } from '../../stores/kv/keys.ts';
import { KvProjectionTarget, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import {
  DEVICE_SUBJECTS,
  bundleRecord,
  deviceOfSubject,
  keysKeys,
  mlsKeyPackageRecord,
  oneTimePreKeyRecord,
} from './schema.ts';

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

/** The device a commit on `accounts.device.<userId>.<deviceId>` is about. */
const device = (commit: StoredCommit) => deviceOfSubject(commit.subject);

export function keysProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<DeviceKeysEvent, KvTx>({
    name: 'keys',
    stream: STREAMS.accounts,
    subjects: DEVICE_SUBJECTS,
    target: new KvProjectionTarget(kv, [keysKeys.prefix]),
    on: {
      DeviceKeysPublished: ({ data: d }, commit, tx) => {
        const { userId, deviceId } = device(commit);
        tx.put(
          keysKeys.bundle(userId, deviceId),
          bundleRecord.encode({
            userId,
            deviceId,
            identityKey: d.identityKey,
            signedPreKey: d.signedPreKey,
            signedPreKeySignature: d.signedPreKeySignature,
            publishedAt: d.at,
            signedPreKeyAt: d.at,
          }),
        );
        for (const k of d.oneTimePreKeys)
          tx.put(
            keysKeys.oneTimePreKey(userId, deviceId, k.keyId),
            oneTimePreKeyRecord.encode({ keyId: k.keyId, key: k.key, addedAt: d.at }),
          );
      },
      OneTimePreKeysAdded: ({ data }, commit, tx) => {
        const { userId, deviceId } = device(commit);
        for (const k of data.keys)
          tx.put(
            keysKeys.oneTimePreKey(userId, deviceId, k.keyId),
            oneTimePreKeyRecord.encode({ keyId: k.keyId, key: k.key, addedAt: data.at }),
          );
      },
      OneTimePreKeyConsumed: ({ data }, commit, tx) => {
        const { userId, deviceId } = device(commit);
        tx.delete(keysKeys.oneTimePreKey(userId, deviceId, data.keyId));
      },
      SignedPreKeyRotated: async ({ data }, commit, tx) => {
        const { userId, deviceId } = device(commit);
        const raw = await tx.get(keysKeys.bundle(userId, deviceId));
        if (!raw) throw new Error(`signed pre-key rotated on ${userId}/${deviceId}, which has no bundle in the view`);
        const bundle = bundleRecord.decode(raw);
        tx.put(
          keysKeys.bundle(userId, deviceId),
          bundleRecord.encode({
            ...bundle,
            signedPreKey: data.signedPreKey,
            signedPreKeySignature: data.signature,
            signedPreKeyAt: data.at,
          }),
        );
      },
      MlsKeyPackageUploaded: ({ data }, commit, tx) => {
        const { userId, deviceId } = device(commit);
        tx.put(
          keysKeys.mlsKeyPackage(userId, deviceId, data.packageId),
          mlsKeyPackageRecord.encode({
            packageId: data.packageId,
            keyPackage: data.keyPackage,
            uploadedAt: data.at,
            seq: commit.seq,
          }),
        );
      },
      MlsKeyPackageConsumed: ({ data }, commit, tx) => {
        const { userId, deviceId } = device(commit);
        tx.delete(keysKeys.mlsKeyPackage(userId, deviceId, data.packageId));
      },
      DeviceKeysWithdrawn: (_event, commit, tx) => {
        const { userId, deviceId } = device(commit);
        return deleteRange(kv, tx, keysKeys.ofDevice(userId, deviceId));
      },
    },
  });
}
