/**
 * Builds the presence view from the PRESENCE stream: every PresenceChanged
 * carries the user's whole presence, so the newest one replaces the record.
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { PresenceEvent } from '../../commands/presence.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { presenceKeys, presenceRecord } from './schema.ts';

export function presenceProjection(kv: KvStore): Projection<KvTx> {
  return {
    name: 'presence',
    stream: STREAMS.presence,
    filterSubject: 'presence.>',
    target: new KvProjectionTarget(kv, presenceKeys.prefixes),
    project(commit: StoredCommit, tx: KvTx) {
      for (const event of commit.events as readonly PresenceEvent[]) {
        if (event.type !== 'PresenceChanged') continue;
        const { cause: _cause, at: _at, ...state } = event.data;
        tx.put(presenceKeys.user(state.userId), presenceRecord.encode({ ...state, seq: commit.seq }));
        if (state.live === 'OFFLINE') tx.delete(presenceKeys.live(state.userId));
        else tx.put(presenceKeys.live(state.userId), PRESENT);
      }
    },
  };
}
