/**
 * The push projection: follows MESSAGES and, for every message, makes a push
 * job for each device of each recipient that is offline (no live connection,
 * as the ConnectionTracker sees it) and has a push token. Jobs go to the
 * NOTIFICATIONS work queue; the push worker delivers them.
 *
 * It keeps no view, only its checkpoint. Jobs of a batch are published (and
 * acknowledged by JetStream) before the checkpoint is written: a crash in
 * between repeats them, and JetStream drops the repeats by their job id (the
 * id is derived from the message's sequence, the user and the device). A
 * message older than `maxAgeMs` when projected gets no push (a late or
 * replayed message is not news any more). Who gets a push:
 * - a 1:1 message: the recipient's devices (only the targeted one when the
 *   message names a device); never the sender's own devices;
 * - a group message: every member but the sender, by the groups view once it
 *   has applied the message (so membership is as of the message or later).
 */
import type { ConversationEvent } from '../../commands/conversation/decider.ts';
import type { GroupEvent } from '../../commands/group/decider.ts';
import { STREAMS } from '../../streams/subjects.ts';
import type { KvStore } from '../../stores/kv/port.ts';
import { derivedId } from '../../runtime/ids.ts';
import { pushJobsQueued } from '../../runtime/metrics.ts';
import type { PushJob } from '../../streams/push-jobs.ts';
import { KvProjectionTarget, type KvTx } from '../runtime/kv-target.ts';
import type { ParkedCommit, Projection } from '../runtime/projection.ts';
import type { ProjectionProgress } from '../query/progress.ts';
import { defineProjection } from '../runtime/define.ts';
import type { PushTokensView } from '../push-tokens/queries.ts';
import type { GroupsView } from '../groups/queries.ts';

/** Which devices are connected right now (streams/connections.ts ConnectionTracker). */
export interface OnlineDevices {
  isOnline(userId: string, deviceId?: string): boolean;
}

/** Publishes jobs to the work queue; resolves once JetStream stored (or deduplicated) every one. */
export type PushJobSink = (jobs: readonly PushJob[]) => Promise<void>;

export interface PushProjectionDeps {
  readonly kv: KvStore;
  readonly tokens: Pick<PushTokensView, 'ofUser'>;
  readonly online: OnlineDevices;
  readonly groups: Pick<GroupsView, 'members'>;
  /** The groups view's progress: a group message waits (bounded) until its membership is applied. */
  readonly groupsProgress: ProjectionProgress;
  readonly sink: PushJobSink;
  /** Messages older than this when projected get no push. */
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

export const PUSH_PROJECTION = 'push';
const GROUP_WAIT_MS = 2000;

/** The jobs of each open batch, published when it commits. */
export const pending = new WeakMap<KvTx, PushJob[]>();

/** Publishes a batch's jobs before its checkpoint (shared with the call push projection). */
export class PushTarget extends KvProjectionTarget {
  constructor(
    kv: KvStore,
    private readonly sink: PushJobSink,
  ) {
    super(kv, []);
  }

  override async commit(
    name: string,
    tx: KvTx,
    seq: number,
    parked: readonly ParkedCommit[],
    fence?: number,
  ): Promise<void> {
    const jobs = pending.get(tx);
    if (jobs !== undefined && jobs.length > 0) await this.sink(jobs);
    await super.commit(name, tx, seq, parked, fence);
  }
}

export function pushProjection(deps: PushProjectionDeps): Projection<KvTx> {
  const now = deps.now ?? Date.now;

  async function jobsFor(
    tx: KvTx,
    userId: string,
    onlyDevice: string,
    base: Omit<PushJob, 'jobId' | 'userId' | 'deviceId'>,
    senderUserId: string,
  ): Promise<void> {
    for (const device of await deps.tokens.ofUser(userId)) {
      if (onlyDevice !== '' && device.deviceId !== onlyDevice) continue;
      if (deps.online.isOnline(userId, device.deviceId)) {
        pushJobsQueued.inc({ outcome: 'online' });
        continue;
      }
      const job: PushJob = {
        ...base,
        jobId: derivedId('push', String(base.seq), userId, device.deviceId),
        userId,
        deviceId: device.deviceId,
        ...(device.showSender ? { senderUserId } : {}),
      };
      let jobs = pending.get(tx);
      if (jobs === undefined) pending.set(tx, (jobs = []));
      jobs.push(job);
      pushJobsQueued.inc({ outcome: 'queued' });
    }
  }

  /** The jobs of one message: none when it is too old to be news (a late or replayed message). */
  function fresh(at: number): boolean {
    if (now() - at <= deps.maxAgeMs) return true;
    pushJobsQueued.inc({ outcome: 'stale' });
    return false;
  }

  return defineProjection<ConversationEvent | GroupEvent, KvTx>({
    name: PUSH_PROJECTION,
    stream: STREAMS.messages,
    target: new PushTarget(deps.kv, deps.sink),
    on: {
      MessageSent: async ({ data: d }, commit, tx) => {
        if (!fresh(d.at)) return;
        if (d.recipientUserId === d.senderUserId) return; // notes to oneself wake nobody
        const base = {
          kind: 'message' as const,
          conversationId: d.conversationId,
          group: false,
          seq: commit.seq,
          at: d.at,
        };
        await jobsFor(tx, d.recipientUserId, d.recipientDeviceId, base, d.senderUserId);
      },
      GroupMessageSent: async ({ data: d }, commit, tx) => {
        if (!fresh(d.at)) return;
        await deps.groupsProgress.waitFor(commit.seq, GROUP_WAIT_MS);
        const base = { kind: 'message' as const, conversationId: d.groupId, group: true, seq: commit.seq, at: d.at };
        for (const member of await deps.groups.members(d.groupId)) {
          if (member.userId !== d.senderUserId) await jobsFor(tx, member.userId, '', base, d.senderUserId);
        }
      },
    },
  });
}
