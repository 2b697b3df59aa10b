/**
 * Partitioned views: the views of the MESSAGES stream whose every key belongs to
 * one conversation or group split into N partitions by a stable hash of that id
 * (the subject's third token: messages.conv.<id>, messages.group.<id>). Each
 * partition is a projection of its own: its own name (`<view>-p<k>`), checkpoint
 * and owner, so two workers apply different partitions at the same time. Every
 * partition reads the whole stream and skips the commits of other partitions
 * (no decode, no projection; its checkpoint still moves past them), so the
 * partition's checkpoint is a position in the stream like an unpartitioned one
 * and the view has applied `seq` when every partition has.
 *
 * Which views split, and why (docs/adr/0054-partitioned-projections.md):
 * - timeline: rows keyed (conversation, seq);
 * - conversations: conversation record, members (user, conversation), recency
 *   (user, seq, conversation), message index (message id of that conversation);
 * - inbox: entries (user, seq) of the commit's own seq, group members (group, user);
 * - groups: group record, members (group, user), membership (user, group), message index.
 * Not split (single owner): media_attachments (keyed by media id, which two
 * conversations may both name: the last writer in stream order must win), and
 * the views of the other streams (keyed by user, device or media, whose commits
 * carry no conversation).
 */
import type { StoredCommit } from '../../streams/envelope.ts';
import { CONVERSATION_SUBJECT_PREFIX } from '../../streams/subjects.ts';
import { isLegacyConversationId } from '../../runtime/ids.ts';
import type { ParkedCommit, Projection } from './projection.ts';

export const PARTITIONED_VIEWS: readonly string[] = ['timeline', 'conversations', 'inbox', 'groups'];

/** FNV-1a (32 bit) of the UTF-8 bytes: stable across processes, versions and platforms. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The partition (0..n-1) of a MESSAGES subject: the hash of its conversation or group id.
 * A 1:1 conversation's commits from before its id followed the contract are on the subject
 * of its former id (runtime/ids.ts, isLegacyConversationId); they belong to the partition of
 * the id their events carry once upcast (the contract's), so a conversation's old and new
 * commits are applied by one partition, in stream order. `decode` gives that commit.
 */
export function partitionOfSubject(subject: string, n: number, decode?: () => StoredCommit | ParkedCommit): number {
  if (n <= 1) return 0;
  let id = subject.split('.')[2] ?? subject;
  if (decode !== undefined && subject.startsWith(CONVERSATION_SUBJECT_PREFIX) && isLegacyConversationId(id)) {
    const commit = decode();
    const carried =
      'events' in commit
        ? (commit.events[0]?.data as { conversationId?: unknown } | undefined)?.conversationId
        : undefined;
    if (typeof carried === 'string') id = carried;
  }
  return fnv1a(id) % n;
}

/** The name (checkpoint, parked records, lease) of partition `p` of `view`. */
export function partitionName(view: string, p: number): string {
  return `${view}-p${p}`;
}

/** Partition `p` of `n` of a view: the same projector and store, its own name, only its commits. */
export function partitionOf<Tx>(projection: Projection<Tx>, p: number, n: number): Projection<Tx> {
  if (!Number.isInteger(n) || n < 2 || !Number.isInteger(p) || p < 0 || p >= n)
    throw new RangeError(`partition ${p} of ${n} is not a partition`);
  return {
    name: partitionName(projection.name, p),
    stream: projection.stream,
    filterSubject: projection.filterSubject,
    target: projection.target,
    owns: (subject, decode) => partitionOfSubject(subject, n, decode) === p,
    project: (commit, tx) => projection.project(commit, tx),
  };
}

/** Whether `view` splits into `n` partitions (n >= 2 and a partitionable view). */
export function isPartitioned(view: string, n: number): boolean {
  return n >= 2 && PARTITIONED_VIEWS.includes(view);
}

/**
 * The projections that make up a view: the view itself, or its n partitions.
 * Rebuilds and workers go through here, so they write the same checkpoints.
 */
export function projectionsOf<Tx>(projection: Projection<Tx>, n: number): Projection<Tx>[] {
  if (!isPartitioned(projection.name, n)) return [projection];
  return Array.from({ length: n }, (_, p) => partitionOf(projection, p, n));
}

/** How far a view has come: the lowest checkpoint of its partitions. */
export async function viewCheckpoint<Tx>(projection: Projection<Tx>, n: number): Promise<number> {
  const parts = projectionsOf(projection, n);
  const seqs = await Promise.all(parts.map((p) => p.target.checkpoint(p.name)));
  return Math.min(...seqs);
}
