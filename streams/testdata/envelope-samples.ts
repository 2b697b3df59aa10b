/**
 * The commits stored in streams/testdata/envelope-v<N>.json (written by test/support/capture-envelopes.ts): two
 * conversations (one started with a message, messages with every byte value as ciphertext, a
 * read receipt, a deletion) and a system commit without an actor on ACCOUNTS. Deterministic, so
 * a test compares what it decodes from a stored sample with these.
 */
import type { Commit } from '../envelope.ts';
import { STREAMS, subjects } from '../subjects.ts';

export interface SampleCommit {
  readonly stream: string;
  readonly subject: string;
  readonly commit: Commit;
}

export const SAMPLE_T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const A = '0190a1b2-0000-7000-8000-00000000000a';
const B = '0190a1b2-0000-7000-8000-00000000000b';
const C = '0190a1b2-0000-7000-8000-00000000000c';

const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

function message(conversationId: string, n: number, from: string, to: string, at: number, content: Uint8Array) {
  return {
    type: 'MessageSent',
    data: {
      messageId: `${conversationId}-m${n}`,
      conversationId,
      senderUserId: from,
      senderDeviceId: 'dev-1',
      recipientUserId: to,
      recipientDeviceId: n % 2 ? 'dev-2' : '',
      encryptedContent: content,
      messageType: n % 2 ? 'IMAGE' : 'TEXT',
      clientMessageId: n % 2 ? `client-${n}` : '',
      clientTimestamp: n % 2 ? { seconds: 1767322800 + n, nanos: 5000 } : null,
      mediaId: n % 2 ? 'media-1' : '',
      x3dhPrekey: n === 0 ? 'prekey "quoted" é' : '',
      at,
    },
  };
}

const meta = (id: string, actor: { userId: string; deviceId: string } | null, at: number, command = 'SendMessage') => ({
  commandId: `cmd-${id}`,
  command,
  correlationId: `corr-${id}`,
  causationId: `cause-${id}`,
  actor,
  at,
});

export function sampleCommits(): SampleCommit[] {
  const c1 = 'conv-ab';
  const c2 = 'conv-ac';
  const t = (n: number) => SAMPLE_T0 + n * 1000;
  const conv = (id: string) => ({ stream: STREAMS.messages, subject: subjects.conversation(id) });
  return [
    {
      stream: STREAMS.accounts,
      subject: subjects.user(A),
      commit: {
        ...meta('claim', null, t(0), 'RegisterUser'),
        events: [{ type: 'UsernameClaimed', data: { userId: A, at: t(0) } }],
      },
    },
    {
      ...conv(c1),
      commit: {
        ...meta('s1', { userId: A, deviceId: 'dev-1' }, t(1)),
        events: [
          { type: 'ConversationStarted', data: { conversationId: c1, participants: [A, B], at: t(1) } },
          message(c1, 0, A, B, t(1), Buffer.from('first ciphertext')),
        ],
      },
    },
    {
      ...conv(c2),
      commit: {
        ...meta('s2', { userId: A, deviceId: 'dev-1' }, t(2)),
        events: [
          { type: 'ConversationStarted', data: { conversationId: c2, participants: [A, C], at: t(2) } },
          message(c2, 0, A, C, t(2), Buffer.alloc(0)),
        ],
      },
    },
    {
      ...conv(c1),
      commit: { ...meta('m1', { userId: B, deviceId: 'dev-2' }, t(3)), events: [message(c1, 1, B, A, t(3), allBytes)] },
    },
    {
      ...conv(c1),
      commit: {
        ...meta('r1', { userId: A, deviceId: 'dev-1' }, t(4), 'MarkMessagesRead'),
        events: [
          {
            type: 'MessagesRead',
            data: {
              conversationId: c1,
              participants: [A, B],
              readerUserId: A,
              readerDeviceId: 'dev-1',
              messageIds: [`${c1}-m1`],
              at: t(4),
            },
          },
        ],
      },
    },
    {
      ...conv(c1),
      commit: {
        ...meta('d1', { userId: B, deviceId: 'dev-2' }, t(5), 'DeleteMessage'),
        events: [
          {
            type: 'MessageDeleted',
            data: {
              conversationId: c1,
              participants: [A, B],
              messageId: `${c1}-m1`,
              messageSeq: 3,
              deletedBy: B,
              forEveryone: true,
              at: t(5),
            },
          },
        ],
      },
    },
    {
      ...conv(c2),
      commit: {
        ...meta('m2', { userId: C, deviceId: 'dev-3' }, t(6)),
        events: [message(c2, 2, C, A, t(6), Buffer.from([0xff, 0x00, 0x7b]))],
      },
    },
  ];
}
