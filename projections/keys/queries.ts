/** Reads of the keys view (inspection and listings; handing keys out goes through the aggregate). */
import type { KvStore } from '../../stores/kv/port.ts';
import { MAX_SCAN_LIMIT } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import {
  bundleRecord,
  keysKeys,
  mlsKeyPackageRecord,
  oneTimePreKeyRecord,
  type BundleRecord,
  type MlsKeyPackageRecord,
  type OneTimePreKeyRecord,
} from './schema.ts';

export interface DeviceKeysView {
  readonly bundle: BundleRecord | undefined;
  /** Unused one-time pre-keys, oldest (lowest id) first. */
  readonly oneTimePreKeys: OneTimePreKeyRecord[];
  /** Unused MLS key packages, oldest first. */
  readonly mlsKeyPackages: MlsKeyPackageRecord[];
}

export class KeysView {
  constructor(private readonly kv: KvStore) {}

  private async rows(prefix: Uint8Array) {
    return this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit: MAX_SCAN_LIMIT });
  }

  /** Everything the view holds of one device. */
  async device(userId: string, deviceId: string): Promise<DeviceKeysView> {
    const [raw, otks, mls] = await Promise.all([
      this.kv.get(keysKeys.bundle(userId, deviceId)),
      this.rows(keysKeys.oneTimePreKeys(userId, deviceId)),
      this.rows(keysKeys.mlsKeyPackages(userId, deviceId)),
    ]);
    return {
      bundle: raw ? bundleRecord.decode(raw) : undefined,
      oneTimePreKeys: otks.map((r) => oneTimePreKeyRecord.decode(r.value)),
      mlsKeyPackages: mls.map((r) => mlsKeyPackageRecord.decode(r.value)).sort((a, b) => a.seq - b.seq),
    };
  }

  /** How many rows (bundles, one-time pre-keys, key packages) the view holds of a user: 0 once all were withdrawn. */
  async rowsOfUser(userId: string): Promise<number> {
    return (await this.rows(keysKeys.ofUser(userId))).length;
  }
}
