/**
 * Builds the call history view from the CALLS stream: every event folds into
 * the call's record with the aggregate's own evolve; the start indexes the call
 * under both of its users.
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import { callDecider, type CallEvent } from '../../commands/call.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../kv-target.ts';
import type { Projection } from '../projection.ts';
import { callKeys as keys, callRecord } from './schema.ts';

export const CALLS_VIEW = 'calls';

export function callsProjection(kv: KvStore): Projection<KvTx> {
  return {
    name: CALLS_VIEW,
    stream: STREAMS.calls,
    filterSubject: 'calls.call.>',
    target: new KvProjectionTarget(kv, keys.prefixes),
    async project(commit: StoredCommit, tx: KvTx) {
      for (const event of commit.events as readonly CallEvent[]) {
        const raw = await tx.get(keys.record(event.data.callId));
        const before = raw ? callRecord.decode(raw) : null;
        const after = callDecider.evolve(before, event);
        if (after === null) throw new Error(`${event.type} of unknown call ${event.data.callId}`);
        tx.put(keys.record(after.callId), callRecord.encode(after));
        if (after.status === 'RINGING') tx.put(keys.ringing(after.callId), Buffer.from(String(after.ringUntil)));
        else if (before?.status === 'RINGING') tx.delete(keys.ringing(after.callId));
        if (before === null) {
          tx.put(keys.byUser(after.callerUserId, after.startedAt, after.callId), PRESENT);
          tx.put(keys.byUser(after.calleeUserId, after.startedAt, after.callId), PRESENT);
        }
      }
    },
  };
}
