/** Reads of the sessions view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/keys.ts';
import { refreshRecord, sessionRecord, sessionsKeys, type RefreshRecord, type SessionRecord } from './schema.ts';

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

  /** The session a refresh-token hash belongs (or belonged) to: current and spent hashes both resolve. */
  async byRefreshHash(hash: string): Promise<RefreshRecord | undefined> {
    const raw = await this.kv.get(sessionsKeys.refresh(hash));
    return raw ? refreshRecord.decode(raw) : undefined;
  }

  /**
   * Whether a session may still be used, in one batched read. A session the
   * view does not know yet counts as active: only Guardyn signs tokens, so an
   * unknown session id is one whose SessionStarted is still on its way to the
   * view. A revoked session, one of another user, or any session of a deleted
   * user is not active.
   */
  async isActive(sessionId: string, userId: string): Promise<boolean> {
    const [session, gone] = await this.kv.getMany([sessionsKeys.byId(sessionId), sessionsKeys.gone(userId)]);
    if (gone !== undefined) return false;
    if (session === undefined) return true;
    const record = sessionRecord.decode(session);
    return record.userId === userId && record.revokedAt === undefined;
  }

  /** The last ACCOUNTS sequence the view has applied. */
  async applied(): Promise<number> {
    const v = await this.kv.get(sessionsKeys.checkpoint);
    return v === undefined ? 0 : Number(Buffer.from(v).toString('utf8'));
  }
}
