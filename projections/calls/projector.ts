/**
 * Builds the call history view from the CALLS stream: every event folds into
 * the call's record with the aggregate's own evolve; the start indexes the call
 * under both of its users.
 */
import { callDecider, type CallEvent } from '../../commands/call/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { KvProjectionTarget, PRESENT, type KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { callKeys as keys, callRecord } from './schema.ts';

export const CALLS_VIEW = 'calls';

/** Every event of a call folds into its record the same way. */
async function fold(event: CallEvent, tx: KvTx): Promise<void> {
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

export function callsProjection(kv: KvStore): Projection<KvTx> {
  const apply = (event: CallEvent, _commit: unknown, tx: KvTx) => fold(event, tx);
  return defineProjection<CallEvent, KvTx>({
    name: CALLS_VIEW,
    stream: STREAMS.calls,
    target: new KvProjectionTarget(kv, keys.prefixes),
    on: {
      CallStarted: apply,
      CallRinging: apply,
      CallAnswered: apply,
      CallRejected: apply,
      CallMissed: apply,
      CallEnded: apply,
    },
  });
}
