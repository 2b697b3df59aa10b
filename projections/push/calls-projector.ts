/**
 * The call push projection: follows CALLS and, for a call that starts ringing,
 * makes a content-free VoIP push job (kind `call`) for each rung device of the
 * callee that is offline and has a push token. Same work queue, worker and job
 * ids as message pushes (projector.ts); a call whose ring deadline has passed
 * when projected gets no push (replays and late reads wake nobody).
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import type { CallEvent } from '../../commands/call/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { derivedId } from '../../runtime/ids.ts';
import { pushJobsQueued } from '../../runtime/metrics.ts';
import type { PushJob } from '../../streams/push-jobs.ts';
import type { KvTx } from '../runtime/kv-target.ts';
import type { Projection } from '../runtime/projection.ts';
import { defineProjection } from '../runtime/define.ts';
import { pending, PushTarget, type PushProjectionDeps } from './projector.ts';

type CallStartedData = Extract<CallEvent, { type: 'CallStarted' }>['data'];

export const CALL_PUSH_PROJECTION = 'push_calls';

export function callPushProjection(
  deps: Pick<PushProjectionDeps, 'kv' | 'tokens' | 'online' | 'sink' | 'now'>,
): Projection<KvTx> {
  const now = deps.now ?? Date.now;
  // A call's start and its first ring are one commit: the ring's handler reads the start from here.
  const starts = new WeakMap<StoredCommit, CallStartedData>();
  return defineProjection<CallEvent, KvTx>({
    name: CALL_PUSH_PROJECTION,
    stream: STREAMS.calls,
    target: new PushTarget(deps.kv, deps.sink),
    on: {
      CallStarted: ({ data }, commit) => {
        starts.set(commit, data);
      },
      CallRinging: async ({ data: ringing }, commit, tx) => {
        const call = starts.get(commit);
        if (call === undefined) return;
        if (now() >= call.ringUntil) {
          pushJobsQueued.inc({ outcome: 'stale' });
          return;
        }
        const rung = new Set(ringing.calleeDeviceIds);
        for (const device of await deps.tokens.ofUser(call.calleeUserId)) {
          if (!rung.has(device.deviceId)) continue;
          if (deps.online.isOnline(call.calleeUserId, device.deviceId)) {
            pushJobsQueued.inc({ outcome: 'online' });
            continue;
          }
          const job: PushJob = {
            jobId: derivedId('push-call', String(commit.seq), call.calleeUserId, device.deviceId),
            userId: call.calleeUserId,
            deviceId: device.deviceId,
            kind: 'call',
            conversationId: call.callId,
            group: false,
            seq: commit.seq,
            at: call.at,
            ...(device.showSender ? { senderUserId: call.callerUserId } : {}),
          };
          let jobs = pending.get(tx);
          if (jobs === undefined) pending.set(tx, (jobs = []));
          jobs.push(job);
          pushJobsQueued.inc({ outcome: 'queued' });
        }
      },
    },
  });
}
