/** Reads of the push-tokens view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import { pushTokenKeys, pushTokenRecord, type PushTokenRecord } from './schema.ts';

export interface DevicePushToken extends PushTokenRecord {
  readonly deviceId: string;
}

/** Most devices one user has (a bound for the scan; real users have a handful). */
const MAX_DEVICES = 1000;

export class PushTokensView {
  constructor(private readonly kv: KvStore) {}

  async device(userId: string, deviceId: string): Promise<PushTokenRecord | undefined> {
    const raw = await this.kv.get(pushTokenKeys.device(userId, deviceId));
    return raw ? pushTokenRecord.decode(raw) : undefined;
  }

  /** Every device of the user that has a push token. */
  async ofUser(userId: string): Promise<DevicePushToken[]> {
    const prefix = pushTokenKeys.ofUser(userId);
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit: MAX_DEVICES });
    return rows.map((r) => ({
      ...pushTokenRecord.decode(r.value),
      deviceId: Buffer.from(r.key.subarray(prefix.length)).toString('utf8'),
    }));
  }
}
