/** Reads of the sessions view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/keys.ts';
import { sessionRecord, sessionsKeys, type SessionRecord } from './schema.ts';

export class SessionsView {
  constructor(private readonly kv: KvStore) {}

  async byId(sessionId: string): Promise<SessionRecord | undefined> {
    const raw = await this.kv.get(sessionsKeys.byId(sessionId));
    return raw ? sessionRecord.decode(raw) : undefined;
  }

  async idsOfUser(userId: string): Promise<string[]> {
    const prefix = sessionsKeys.ofUser(userId);
    const rows = await this.kv.scan({ start: prefix, end: prefixEnd(prefix), limit: 10240 });
    return rows.map((r) => Buffer.from(r.key.subarray(prefix.length)).toString('utf8'));
  }
}
