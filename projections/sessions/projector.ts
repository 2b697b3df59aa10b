/** Builds the sessions view from the ACCOUNTS stream. */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { AccountEvent } from '../../commands/account.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { sessionRecord, sessionsKeys } from './schema.ts';

export function sessionsProjection(kv: KvStore): Projection<KvTx> {
  return {
    name: 'sessions',
    stream: STREAMS.accounts,
    filterSubject: 'accounts.>',
    target: new KvProjectionTarget(kv, [sessionsKeys.prefix]),
    project(commit: StoredCommit, tx: KvTx) {
      for (const event of commit.events as readonly AccountEvent[]) {
        if (event.type !== 'SessionStarted') continue;
        const d = event.data;
        tx.put(sessionsKeys.byId(d.sessionId), sessionRecord.encode({
          sessionId: d.sessionId, userId: d.userId, deviceId: d.deviceId, refreshTokenHash: d.refreshTokenHash, expiresAt: d.expiresAt, startedAt: d.at,
        }));
        tx.put(sessionsKeys.userSession(d.userId, d.sessionId), PRESENT);
      }
    },
  };
}
