/** Reads of the sessions view. */
import type { KvStore } from '../../stores/kv/port.ts';
import { prefixEnd } from '../../stores/kv/keys.ts';
import type { SessionStatus } from './session-check.ts';
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
   * What the view says of a session, in one batched read: `active`, `ended`
   * (revoked, of another user, or any session of a deleted user) or `unknown`
   * (the view has never seen it). An unknown session is NOT active: it is
   * either one whose SessionStarted is still on its way to the view or one that
   * never existed, and only the log can tell which (see session-check.ts).
   */
  async status(sessionId: string, userId: string): Promise<SessionStatus> {
    const [session, gone] = await this.kv.getMany([sessionsKeys.byId(sessionId), sessionsKeys.gone(userId)]);
    if (gone !== undefined) return 'ended';
    if (session === undefined) return 'unknown';
    const record = sessionRecord.decode(session);
    return record.userId === userId && record.revokedAt === undefined ? 'active' : 'ended';
  }

  /** The last ACCOUNTS sequence the view has applied. */
  async applied(): Promise<number> {
    const v = await this.kv.get(sessionsKeys.checkpoint);
    return v === undefined ? 0 : Number(Buffer.from(v).toString('utf8'));
  }
}
