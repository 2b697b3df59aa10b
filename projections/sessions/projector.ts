/**
 * Builds the sessions view from the ACCOUNTS stream: sessions start, rotate
 * their refresh token and are revoked; a deleted account's sessions and
 * refresh hashes are removed and a tombstone marks the user as gone.
 */
import type { AccountEvent } from '../../commands/account/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { refreshRecord, sessionRecord, sessionsKeys as keys, type SessionRecord } from './schema.ts';

async function update(tx: KvTx, sessionId: string, change: (s: SessionRecord) => SessionRecord): Promise<void> {
  const raw = await tx.get(keys.byId(sessionId));
  if (!raw) throw new Error(`session ${sessionId} is not in the view`);
  tx.put(keys.byId(sessionId), sessionRecord.encode(change(sessionRecord.decode(raw))));
}

function indexRefresh(tx: KvTx, userId: string, sessionId: string, hash: string): void {
  tx.put(keys.refresh(hash), refreshRecord.encode({ sessionId, userId }));
  tx.put(keys.refreshOf(userId, hash), PRESENT);
}

async function removeUser(tx: KvTx, userId: string): Promise<void> {
  const ofUser = keys.ofUser(userId);
  for (const row of await tx.scanPrefix(ofUser)) {
    const sessionId = Buffer.from(row.key.subarray(ofUser.length)).toString('utf8');
    tx.delete(keys.byId(sessionId));
    tx.delete(row.key);
  }
  const refreshOf = keys.refreshOfUser(userId);
  for (const row of await tx.scanPrefix(refreshOf)) {
    tx.delete(keys.refresh(Buffer.from(row.key.subarray(refreshOf.length)).toString('utf8')));
    tx.delete(row.key);
  }
  tx.put(keys.gone(userId), PRESENT);
}

export function sessionsProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<AccountEvent, KvTx>({
    name: 'sessions',
    stream: STREAMS.accounts,
    target: new KvProjectionTarget(kv, [keys.prefix]),
    on: {
      SessionStarted: ({ data: d }, _commit, tx) => {
        tx.put(
          keys.byId(d.sessionId),
          sessionRecord.encode({
            sessionId: d.sessionId,
            userId: d.userId,
            deviceId: d.deviceId,
            refreshTokenHash: d.refreshTokenHash,
            expiresAt: d.expiresAt,
            startedAt: d.at,
          }),
        );
        tx.put(keys.userSession(d.userId, d.sessionId), PRESENT);
        indexRefresh(tx, d.userId, d.sessionId, d.refreshTokenHash);
      },
      SessionRefreshed: async ({ data: d }, _commit, tx) => {
        await update(tx, d.sessionId, (s) => ({
          ...s,
          refreshTokenHash: d.refreshTokenHash,
          expiresAt: d.expiresAt,
          refreshedAt: d.at,
        }));
        indexRefresh(tx, d.userId, d.sessionId, d.refreshTokenHash);
      },
      SessionRevoked: ({ data: d }, _commit, tx) =>
        update(tx, d.sessionId, (s) => ({ ...s, revokedAt: d.at, revokedReason: d.reason })),
      AccountDeleted: ({ data }, _commit, tx) => removeUser(tx, data.userId),
    },
  });
}
