/**
 * The five streams and how they are kept. The truth (ACCOUNTS, MESSAGES, MEDIA)
 * is never trimmed and refuses deletes and purges, so the record analysts
 * replay is complete. PRESENCE and NOTIFICATIONS are bounded.
 */
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { STREAMS, type StreamName } from './subjects.ts';

export type StreamSpec = Pick<
  StreamConfig,
  | 'name'
  | 'subjects'
  | 'retention'
  | 'storage'
  | 'discard'
  | 'max_age'
  | 'max_msgs_per_subject'
  | 'duplicate_window'
  | 'allow_direct'
  | 'deny_delete'
  | 'deny_purge'
  | 'num_replicas'
  | 'description'
> & { readonly name: StreamName };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Retries of one command are deduplicated by Nats-Msg-Id within this window. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

function truth(name: StreamName, subjects: string[], description: string, replicas: number): StreamSpec {
  return {
    name,
    subjects,
    description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: 0,
    max_msgs_per_subject: -1,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    allow_direct: true,
    deny_delete: true,
    deny_purge: true,
    num_replicas: replicas,
  };
}

export function streamSpecs(replicas = 1): StreamSpec[] {
  return [
    truth(STREAMS.accounts, ['accounts.>'], 'Guardyn accounts: users, usernames, devices, keys, sessions', replicas),
    truth(STREAMS.messages, ['messages.>'], 'Guardyn messages: conversations, groups, messages, receipts', replicas),
    truth(STREAMS.media, ['media.>'], 'Guardyn media: uploads, completions, deletions', replicas),
    // Only calls.call.>: calls.user.<userId> carries relayed call events and signals on core NATS, never stored.
    truth(
      STREAMS.calls,
      ['calls.call.>'],
      'Guardyn calls: lifecycle of one-to-one calls (never media or session descriptions)',
      replicas,
    ),
    {
      name: STREAMS.presence,
      subjects: ['presence.>'],
      description: 'Guardyn presence: latest statuses per user, bounded',
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(30 * DAY_MS),
      max_msgs_per_subject: 16,
      duplicate_window: nanos(2 * 60 * 1000),
      allow_direct: true,
      deny_delete: false,
      deny_purge: false,
      num_replicas: replicas,
    },
    {
      name: STREAMS.notifications,
      subjects: ['notifications.>'],
      description: 'Guardyn push jobs and outcomes (work queue)',
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      discard: DiscardPolicy.Old,
      max_age: nanos(7 * DAY_MS),
      max_msgs_per_subject: -1,
      duplicate_window: nanos(2 * 60 * 1000),
      allow_direct: false,
      deny_delete: false,
      deny_purge: false,
      num_replicas: replicas,
    },
    truth(STREAMS.audit, ['audit.>'], 'Guardyn audit: signed checkpoints of the hash chains', replicas),
  ];
}

/** The fields of `actual` that differ from the spec (empty when they match). */
export function specDifferences(spec: StreamSpec, actual: Partial<StreamConfig>): string[] {
  const diffs: string[] = [];
  for (const [field, want] of Object.entries(spec)) {
    if (field === 'description') continue;
    const got = (actual as Record<string, unknown>)[field];
    const same = Array.isArray(want)
      ? JSON.stringify([...want].sort()) === JSON.stringify([...((got as string[]) ?? [])].sort())
      : got === want;
    if (!same) diffs.push(`${field}: want ${JSON.stringify(want)}, server has ${JSON.stringify(got)}`);
  }
  return diffs;
}
