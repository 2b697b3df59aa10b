/**
 * The audit reads a commit's envelope with the event log's own definition (streams/envelope.ts
 * readEnvelope): a body the log refuses is malformed for the audit too, and one the log reads
 * is read by the audit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCommit } from '../streams/envelope.ts';
import { eventRegistry } from '../streams/events/index.ts';
import { decodeRecords } from './records.ts';

const ENVELOPE = {
  v: 1,
  commandId: 'cmd-1',
  command: 'StartConversation',
  correlationId: 'corr-1',
  causationId: 'cause-1',
  actor: { userId: 'u1', deviceId: 'd1' },
  at: 1_700_000_000_000,
  events: [] as unknown[],
};

const message = (body: unknown) => ({
  seq: 7,
  subject: 'messages.conv.c1',
  data: Buffer.from(JSON.stringify(body)),
  timeMs: 1_700_000_000_000,
});

/** Whether the event log reads the body (decodeCommit throws a CommitDecodeError when not). */
function logReads(body: unknown): boolean {
  try {
    decodeCommit({ ...message(body), header: () => '' }, 'MESSAGES', eventRegistry);
    return true;
  } catch {
    return false;
  }
}

describe('audit records: the commit envelope', () => {
  it('a body of an unknown envelope version is malformed, as the event log says', () => {
    const body = { ...ENVELOPE, v: 9 };
    assert.equal(logReads(body), false);
    const decoded = decodeRecords(message(body), 'MESSAGES', eventRegistry, () => true);
    assert.deepEqual(decoded.records, []);
    assert.deepEqual(
      decoded.malformed.map((m) => [m.seq, m.error]),
      [[7, 'no valid commit envelope']],
    );
  });

  it('agrees with the event log on every envelope field', () => {
    const bodies: Record<string, unknown> = {
      good: ENVELOPE,
      'system actor': { ...ENVELOPE, actor: null },
      'no version': { ...ENVELOPE, v: undefined },
      'version 2': { ...ENVELOPE, v: 2 },
      'commandId a number': { ...ENVELOPE, commandId: 5 },
      'actor without device': { ...ENVELOPE, actor: { userId: 'u1' } },
      'at a string': { ...ENVELOPE, at: 'now' },
      'events not a list': { ...ENVELOPE, events: {} },
      'event without version': { ...ENVELOPE, events: [{ type: 'MessagesRead', data: {} }] },
      'an array': [ENVELOPE],
    };
    for (const [name, body] of Object.entries(bodies)) {
      const decoded = decodeRecords(message(body), 'MESSAGES', eventRegistry, () => true);
      const auditReads = !decoded.malformed.some((m) => m.error === 'no valid commit envelope');
      assert.equal(auditReads, logReads(body), `${name}: the audit and the event log disagree`);
    }
  });
});
