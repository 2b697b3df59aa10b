/**
 * Builds the presence view from the PRESENCE stream: every PresenceChanged
 * carries the user's whole presence, so the newest one replaces the record.
 */
import type { PresenceEvent } from '../../commands/presence/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { presenceKeys, presenceRecord } from './schema.ts';

export function presenceProjection(kv: KvStore): Projection<KvTx> {
  return defineProjection<PresenceEvent, KvTx>({
    name: 'presence',
    stream: STREAMS.presence,
    target: new KvProjectionTarget(kv, presenceKeys.prefixes),
    on: {
      PresenceChanged: ({ data }, commit, tx) => {
        const { cause: _cause, at: _at, ...state } = data;
        tx.put(presenceKeys.user(state.userId), presenceRecord.encode({ ...state, seq: commit.seq }));
        if (state.live === 'OFFLINE') tx.delete(presenceKeys.live(state.userId));
        else tx.put(presenceKeys.live(state.userId), PRESENT);
      },
    },
  });
}
