/**
 * What participants do to a 1:1 conversation after messages were sent:
 * MarkAsRead (read receipts), DeleteMessage (for everyone, or hidden for the
 * caller) and ClearChat (the caller's history). Each becomes one commit on the
 * conversation's subject, decided by `conversationDecider`.
 *
 * The decisions need facts about older messages (who sent them, when, whether
 * already read, deleted or hidden). They come from the conversations view's
 * message index, read only after the view has applied the aggregate's last
 * commit (a bounded wait), so together with the decider's memo of its own
 * recent commits they are complete; see docs/adr/0027-receipts-and-deletions-decide-on-facts-from-the-view.md.
 */
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { EventLog } from '../../streams/log.ts';
import { legacyDirectConversationId, newId } from '../../runtime/ids.ts';
import type { Loaded } from '../handler/aggregate-cache.ts';
import {
  CLEAR_RACED,
  conversationDecider,
  formerSubjectOf,
  type ConversationCommand,
  type ConversationEvent,
  type ConversationState,
  type MessageFacts,
} from './decider.ts';
import { domainError, type DomainError } from '../handler/decider.ts';
import type { CommandHandler } from '../handler/handler.ts';
import type { RequestMeta } from '../request-meta.ts';
import type { ViewProgress } from '../view-progress.ts';
import type { ConversationReads, IndexedMessage } from './reads.ts';

export interface ConversationActionDeps {
  readonly handler: CommandHandler;
  readonly log: EventLog;
  readonly conversations: ConversationReads;
  /** Progress of the conversations view (the message index the facts come from); undefined: no waiting. */
  readonly conversationsProgress: ViewProgress | undefined;
  /** How long a command waits for the view to catch up before deciding on its facts. */
  readonly factsWaitMs: number;
}

/** The consistency token and time of what was committed. */
export interface ActionCommitted {
  readonly at: number;
  readonly stream: string;
  /** Sequence of the last commit made (or of the aggregate's last commit when nothing changed). */
  readonly seq: number;
}

export interface MarkAsReadInput {
  readonly readerUserId: string;
  readonly readerDeviceId: string;
  readonly messageIds: readonly string[];
}

export interface MarkedAsRead extends ActionCommitted {
  /** Messages newly marked read (already read ones count 0). */
  readonly marked: number;
}

export interface DeleteMessageInput {
  readonly userId: string;
  readonly deviceId: string;
  readonly messageId: string;
  /** When given, the message must belong to it. */
  readonly conversationId: string | undefined;
  readonly forEveryone: boolean;
  /** How long after sending the sender may delete for everyone, ms. */
  readonly windowMs: number;
}

export interface ClearChatInput {
  readonly userId: string;
  readonly deviceId: string;
  readonly conversationId: string;
}

export interface ChatClearedResult extends ActionCommitted {
  /** Messages the caller no longer sees. */
  readonly cleared: number;
}

/** ClearChat prepares again this often when messages keep arriving meanwhile. */
const CLEAR_ATTEMPTS = 5;

const subjectOf = (conversationId: string) => subjects.conversation(conversationId);

/** Index records of the messages; on a miss, waits (bounded) for the view to reach the stream's end and looks again. */
async function lookup(
  deps: ConversationActionDeps,
  messageIds: readonly string[],
): Promise<Map<string, IndexedMessage>> {
  const found = new Map<string, IndexedMessage>();
  const read = async (ids: readonly string[]) =>
    (await deps.conversations.messagesById(ids)).forEach((r, i) => r && found.set(ids[i]!, r));
  await read(messageIds);
  const missing = messageIds.filter((id) => !found.has(id));
  if (missing.length > 0 && deps.conversationsProgress !== undefined) {
    // A message the client got a moment ago may not be indexed yet. Read again after the wait
    // even when the view had caught up by the time of the check: it may have caught up after the
    // first read (with a networked store that window is wide enough to be hit).
    const last = await deps.log.lastSeq(STREAMS.messages);
    await deps.conversationsProgress.waitFor(last, deps.factsWaitMs);
    await read(missing);
  }
  return found;
}

/** The subject of a conversation's commits before its id followed the contract, from the pair of users of one of its messages. */
const formerOf = (conversationId: string, r: { senderUserId: string; recipientUserId?: string | undefined }) =>
  r.recipientUserId === undefined ? undefined : formerSubjectOf(conversationId, r.senderUserId, r.recipientUserId);

/** The aggregate as of now, once the view has applied its last commit (or the wait ran out). */
async function prepare(
  deps: ConversationActionDeps,
  conversationId: string,
  formerSubject: string | undefined,
): Promise<Loaded<ConversationState>> {
  const loaded = await deps.handler.load(
    STREAMS.messages,
    subjectOf(conversationId),
    conversationDecider,
    formerSubject,
  );
  if (loaded.seq > 0) await deps.conversationsProgress?.waitFor(loaded.seq, deps.factsWaitMs);
  return loaded;
}

function factsOf(messageId: string, r: IndexedMessage, participants: readonly string[]): MessageFacts {
  return {
    messageId,
    conversationId: r.conversationId,
    seq: r.seq,
    senderUserId: r.senderUserId,
    recipientUserId: r.recipientUserId ?? participants.find((p) => p !== r.senderUserId) ?? r.senderUserId,
    at: r.at,
    read: r.readAt !== undefined,
    deleted: r.deleted === true,
    hiddenFor: r.hiddenFor ?? [],
  };
}

function commit(
  deps: ConversationActionDeps,
  command: ConversationCommand & { readonly conversationId: string; readonly at: number },
  formerSubject: string | undefined,
  name: string,
  actor: { userId: string; deviceId: string },
  meta: RequestMeta,
) {
  return deps.handler.handle({
    stream: STREAMS.messages,
    subject: subjectOf(command.conversationId),
    formerSubject,
    decider: conversationDecider,
    command,
    meta: {
      commandId: newId(),
      command: name,
      correlationId: meta.correlationId,
      causationId: meta.correlationId,
      actor,
      at: command.at,
    },
  });
}

/**
 * MarkAsRead: only the recipient of every named message may mark them (the
 * sender: FORBIDDEN; a message the caller is not part of, or an unknown id:
 * NOT_FOUND, field message_ids). Every message is checked before anything is
 * committed; then one receipt per conversation.
 */
export async function markAsRead(
  deps: ConversationActionDeps,
  input: MarkAsReadInput,
  meta: RequestMeta,
): Promise<Either<DomainError, MarkedAsRead>> {
  const ids = [...new Set(input.messageIds)];
  const notFound = domainError('NOT_FOUND', 'message not found', 'message_ids');
  const indexed = await lookup(deps, ids);
  const byConversation = new Map<string, string[]>();
  for (const id of ids) {
    const r = indexed.get(id);
    if (r === undefined) return left(notFound);
    const list = byConversation.get(r.conversationId);
    if (list) list.push(id);
    else byConversation.set(r.conversationId, [id]);
  }
  const at = Date.now();
  const loadedOf = new Map<string, Loaded<ConversationState>>();
  const formerSubjects = new Map<string, string | undefined>();
  for (const [conversationId, messageIds] of byConversation) {
    formerSubjects.set(conversationId, formerOf(conversationId, indexed.get(messageIds[0]!)!));
    loadedOf.set(conversationId, await prepare(deps, conversationId, formerSubjects.get(conversationId)));
  }
  // The facts as of the caught-up view, then a dry run of every decision before committing any.
  const fresh = await deps.conversations.messagesById(ids);
  const freshById = new Map(ids.map((id, i) => [id, fresh[i] ?? indexed.get(id)!]));
  const commands = [...byConversation].map(([conversationId, messageIds]) => {
    const loaded = loadedOf.get(conversationId)!;
    return {
      loaded,
      command: {
        kind: 'MarkMessagesRead' as const,
        conversationId,
        readerUserId: input.readerUserId,
        readerDeviceId: input.readerDeviceId,
        at,
        messages: messageIds.map((id) => factsOf(id, freshById.get(id)!, loaded.state.participants)),
      },
    };
  });
  for (const { loaded, command } of commands) {
    const dry = conversationDecider.decide(command, loaded.state);
    if (isLeft(dry)) return dry;
  }
  let marked = 0;
  let seq = 0;
  for (const { command } of commands) {
    const result = await commit(
      deps,
      command,
      formerSubjects.get(command.conversationId),
      'MarkAsRead',
      { userId: input.readerUserId, deviceId: input.readerDeviceId },
      meta,
    );
    if (isLeft(result)) return result;
    for (const e of result.right.events as readonly ConversationEvent[])
      if (e.type === 'MessagesRead') marked += e.data.messageIds.length;
    seq = Math.max(seq, result.right.seq);
  }
  return right({ marked, at, stream: STREAMS.messages, seq });
}

/**
 * The answer when a message the caller can see is named with a conversation
 * (or group) that is not its own; `field` names the request's conversation field.
 */
export const notInConversation = (field: string): DomainError =>
  domainError(
    'NOT_FOUND',
    `message not found in the ${field} given: leave ${field} empty or name the message's own conversation`,
    field,
  );

/**
 * DeleteMessage: for everyone (the sender only, within the window; the
 * message becomes a tombstone for both), or hidden for the caller only.
 * Deleting again is answered as done, without a new commit.
 */
export async function deleteMessage(
  deps: ConversationActionDeps,
  input: DeleteMessageInput,
  meta: RequestMeta,
): Promise<Either<DomainError, ActionCommitted>> {
  const notFound = domainError('NOT_FOUND', 'message not found', 'message_id');
  const indexed = (await lookup(deps, [input.messageId])).get(input.messageId);
  if (indexed === undefined) return left(notFound);
  // The conversation id of the request may also be the pair's id from before the contract's rule.
  const legacyId =
    indexed.recipientUserId === undefined
      ? undefined
      : legacyDirectConversationId(indexed.senderUserId, indexed.recipientUserId);
  const formerSubject = formerOf(indexed.conversationId, indexed);
  const loaded = await prepare(deps, indexed.conversationId, formerSubject);
  if (
    input.conversationId !== undefined &&
    input.conversationId !== indexed.conversationId &&
    input.conversationId !== legacyId
  ) {
    // The caller's own message named with another conversation: the conversation is what is wrong.
    // Anyone else learns nothing about the message (the same answer as for an unknown id).
    return left(loaded.state.participants.includes(input.userId) ? notInConversation('conversation_id') : notFound);
  }
  const record = (await deps.conversations.messageById(input.messageId)) ?? indexed;
  const at = Date.now();
  const result = await commit(
    deps,
    {
      kind: 'DeleteMessage',
      conversationId: indexed.conversationId,
      userId: input.userId,
      message: factsOf(input.messageId, record, loaded.state.participants),
      forEveryone: input.forEveryone,
      windowMs: input.windowMs,
      at,
    },
    formerSubject,
    'DeleteMessage',
    { userId: input.userId, deviceId: input.deviceId },
    meta,
  );
  if (isLeft(result)) return result;
  return right({ at, stream: result.right.stream, seq: result.right.seq });
}

/**
 * ClearChat: every message so far disappears for the caller only. The clear
 * covers exactly the messages of the state it was prepared on: when a message
 * arrives in between, the decider refuses and the clear is prepared again.
 * `cleared` is what the caller saw before (tombstones included, hidden ones not).
 */
export async function clearChat(
  deps: ConversationActionDeps,
  input: ClearChatInput,
  meta: RequestMeta,
): Promise<Either<DomainError, ChatClearedResult>> {
  const participants = (await deps.conversations.conversation(input.conversationId))?.participants ?? [];
  const formerSubject =
    participants.length === 0
      ? undefined
      : formerSubjectOf(input.conversationId, participants[0]!, participants[1] ?? participants[0]!);
  for (let attempt = 1; ; attempt++) {
    const loaded = await prepare(deps, input.conversationId, formerSubject);
    const { state } = loaded;
    if (!state.started || !state.participants.includes(input.userId))
      return left(domainError('NOT_FOUND', 'conversation not found', 'conversation_id'));
    const member = await deps.conversations.member(input.userId, input.conversationId);
    const cleared = member === undefined || member.lastSeq > loaded.seq ? 0 : (member.visible ?? 0);
    const at = Date.now();
    const result = await commit(
      deps,
      {
        kind: 'ClearChat',
        conversationId: input.conversationId,
        userId: input.userId,
        uptoSeq: loaded.seq,
        expectLastMessageId: state.lastMessageId,
        at,
      },
      formerSubject,
      'ClearChat',
      { userId: input.userId, deviceId: input.deviceId },
      meta,
    );
    if (isLeft(result)) {
      if (result.left.message === CLEAR_RACED && attempt < CLEAR_ATTEMPTS) continue;
      return result;
    }
    return right({ cleared, at, stream: result.right.stream, seq: result.right.seq });
  }
}
