/**
 * The conversation aggregate (subject messages.conv.<conversationId>): a 1:1
 * conversation between two users, the messages sent in it, and what happens to
 * them afterwards (read receipts, deletions for everyone, hiding for one user,
 * clearing the history for one user). The server stores and relays ciphertext
 * as given; it never sees plaintext.
 *
 * What the decider knows: the participants (every commit names them, so the
 * state resumes from the last commit alone), the newest message id, and a
 * bounded memo of the receipts, deletions and hidings it folded itself. Facts
 * about older messages (sender, time, whether already read, deleted or hidden)
 * come from the conversations view's message index and travel in the command
 * (`MessageFacts`); the use cases read them only after the view has applied the
 * aggregate's last commit, and the memo covers what was committed after that.
 * See docs/adr/0027-receipts-and-deletions-decide-on-facts-from-the-view.md.
 */
import { left, right } from 'fp-ts/lib/Either.js';
import {
  ChatCleared,
  ConversationStarted,
  MessageDeleted,
  MessageHiddenForUser,
  MessageSent,
  MessagesRead,
  type MessageTypeName,
} from '../../streams/events/messages.ts';
import { directConversationId, legacyDirectConversationId } from '../../runtime/ids.ts';
import { subjects } from '../../streams/subjects.ts';
import { setBounded } from '../../runtime/bounded-map.ts';
import type { EventOf } from '../../streams/events/registry.ts';
import { domainError, fold, type Decider } from '../handler/decider.ts';

export type ConversationEvent = EventOf<
  | typeof ConversationStarted
  | typeof MessageSent
  | typeof MessagesRead
  | typeof MessageDeleted
  | typeof MessageHiddenForUser
  | typeof ChatCleared
>;

/** The id of the 1:1 conversation of two users (the contract's UUIDv5; runtime/ids.ts). */
export { directConversationId };

/**
 * The subject the conversation `conversationId` of users `a` and `b` was kept on before
 * its id followed the contract (`messages.conv.<legacy id>`): the command handler reads the
 * conversation's state there while its own subject has no commit (HandleRequest.formerSubject).
 * Undefined when `conversationId` is not the id of that pair.
 */
export function formerSubjectOf(conversationId: string, a: string, b: string): string | undefined {
  if (directConversationId(a, b) !== conversationId) return undefined;
  return subjects.conversation(legacyDirectConversationId(a, b));
}

export interface ConversationPlace {
  readonly conversationId: string;
  readonly subject: string;
  readonly formerSubject: string;
}

/** Places of recently used pairs: two hashes and two subject checks per SendMessage otherwise. */
const recentPlaces = new Map<string, ConversationPlace>();
const RECENT_PLACES = 10_000;

/**
 * Where the conversation of two users is kept: its id, its subject and its former subject
 * (the same object for the same pair, in either order; remembered for recent pairs).
 */
export function directConversationPlace(a: string, b: string): ConversationPlace {
  const key = a < b ? `${a} ${b}` : `${b} ${a}`;
  let place = recentPlaces.get(key);
  if (place === undefined) {
    const conversationId = directConversationId(a, b);
    place = {
      conversationId,
      subject: subjects.conversation(conversationId),
      formerSubject: subjects.conversation(legacyDirectConversationId(a, b)),
    };
    setBounded(recentPlaces, key, place, RECENT_PLACES);
  }
  return place;
}

/** What a client sends with a message: stored and relayed exactly as given. */
export interface MessagePayload {
  readonly encryptedContent: Uint8Array;
  readonly messageType: MessageTypeName;
  readonly clientMessageId: string;
  readonly clientTimestamp: { readonly seconds: number; readonly nanos: number } | null;
  readonly mediaId: string;
  readonly x3dhPrekey: string;
}

export interface SendMessage extends MessagePayload {
  readonly kind: 'SendMessage';
  readonly conversationId: string;
  readonly messageId: string;
  readonly senderUserId: string;
  readonly senderDeviceId: string;
  readonly recipientUserId: string;
  readonly recipientDeviceId: string;
  readonly at: number;
}

/** What the conversations view knows of a stored message, handed to the decider. */
export interface MessageFacts {
  readonly messageId: string;
  readonly conversationId: string;
  /** Stream sequence of the commit holding the message (its timeline position). */
  readonly seq: number;
  readonly senderUserId: string;
  readonly recipientUserId: string;
  /** Server time the message was accepted, ms. */
  readonly at: number;
  /** Read by its recipient. */
  readonly read: boolean;
  /** Deleted for everyone. */
  readonly deleted: boolean;
  /** Users who hid it for themselves. */
  readonly hiddenFor: readonly string[];
}

/** The recipient read messages (MarkAsRead). Messages already read or deleted are left out of the receipt. */
export interface MarkMessagesRead {
  readonly kind: 'MarkMessagesRead';
  readonly conversationId: string;
  readonly readerUserId: string;
  readonly readerDeviceId: string;
  readonly messages: readonly MessageFacts[];
  readonly at: number;
}

/** DeleteMessage: for everyone (sender only, within the window) or hidden for the caller. */
export interface DeleteMessage {
  readonly kind: 'DeleteMessage';
  readonly conversationId: string;
  readonly userId: string;
  readonly message: MessageFacts;
  readonly forEveryone: boolean;
  /** How long after sending the sender may delete for everyone, ms. */
  readonly windowMs: number;
  readonly at: number;
}

/** ClearChat: hide every message up to `uptoSeq` for the caller. */
export interface ClearChat {
  readonly kind: 'ClearChat';
  readonly conversationId: string;
  readonly userId: string;
  /** The subject's last sequence the request was prepared on. */
  readonly uptoSeq: number;
  /** `lastMessageId` of the state the request was prepared on: no message may have come since. */
  readonly expectLastMessageId: string | null;
  readonly at: number;
}

export type ConversationCommand = SendMessage | MarkMessagesRead | DeleteMessage | ClearChat;

export interface ConversationState {
  readonly started: boolean;
  readonly participants: readonly string[];
  /** The newest message folded; null when unknown (resumed from a commit without a message) or none. */
  readonly lastMessageId: string | null;
  /** Recently folded receipts (message ids), bounded. */
  readonly recentlyRead: ReadonlySet<string>;
  /** Recently folded deletions for everyone (message ids), bounded. */
  readonly recentlyDeleted: ReadonlySet<string>;
  /** Recently folded hidings (`<userId>/<messageId>`), bounded. */
  readonly recentlyHidden: ReadonlySet<string>;
}

/** How many ids each memo keeps: far more than one request can race with. */
export const MEMO_SIZE = 1024;

/** Returned by ClearChat when a message arrived after the request was prepared: prepare again. */
export const CLEAR_RACED = 'a message arrived while clearing: try again';

const EMPTY: ReadonlySet<string> = new Set();

function remember(set: ReadonlySet<string>, items: Iterable<string>): ReadonlySet<string> {
  const next = new Set(set);
  for (const item of items) {
    next.delete(item);
    next.add(item);
  }
  while (next.size > MEMO_SIZE) next.delete(next.values().next().value!);
  return next;
}

const isRead = (state: ConversationState, m: MessageFacts) => m.read || state.recentlyRead.has(m.messageId);
const isDeleted = (state: ConversationState, m: MessageFacts) => m.deleted || state.recentlyDeleted.has(m.messageId);
const isHiddenFor = (state: ConversationState, m: MessageFacts, userId: string) =>
  m.hiddenFor.includes(userId) || state.recentlyHidden.has(`${userId}/${m.messageId}`);

export const isParticipant = (state: ConversationState, userId: string) =>
  state.started && state.participants.includes(userId);

function decideSend(command: SendMessage, state: ConversationState) {
  if (command.conversationId !== directConversationId(command.senderUserId, command.recipientUserId)) {
    return left(domainError('FORBIDDEN', 'the conversation is not between sender and recipient', 'conversation_id'));
  }
  if (state.started && !state.participants.includes(command.senderUserId)) {
    return left(domainError('FORBIDDEN', 'the sender is not part of this conversation'));
  }
  const { kind: _kind, ...message } = command;
  const sent: ConversationEvent = { type: 'MessageSent', data: message };
  if (state.started) return right([sent]);
  return right([
    {
      type: 'ConversationStarted',
      data: {
        conversationId: command.conversationId,
        participants: [command.senderUserId, command.recipientUserId].sort(),
        at: command.at,
      },
    } as ConversationEvent,
    sent,
  ]);
}

function decideRead(command: MarkMessagesRead, state: ConversationState) {
  const notFound = domainError('NOT_FOUND', 'message not found', 'message_ids');
  if (!isParticipant(state, command.readerUserId)) return left(notFound);
  const fresh: string[] = [];
  const seen = new Set<string>();
  for (const m of command.messages) {
    if (m.conversationId !== command.conversationId) return left(notFound);
    if (m.recipientUserId !== command.readerUserId) {
      return m.senderUserId === command.readerUserId
        ? left(
            domainError(
              'FORBIDDEN',
              'only the recipient can mark a message as read; the caller sent it',
              'message_ids',
            ),
          )
        : left(notFound);
    }
    if (seen.has(m.messageId)) continue;
    seen.add(m.messageId);
    // A message to oneself was never unread; a deleted one has nothing left to read.
    if (m.senderUserId === m.recipientUserId || isRead(state, m) || isDeleted(state, m)) continue;
    fresh.push(m.messageId);
  }
  if (fresh.length === 0) return right([]);
  return right([
    {
      type: 'MessagesRead',
      data: {
        conversationId: command.conversationId,
        participants: [...state.participants],
        readerUserId: command.readerUserId,
        readerDeviceId: command.readerDeviceId,
        messageIds: fresh,
        at: command.at,
      },
    } as ConversationEvent,
  ]);
}

function decideDelete(command: DeleteMessage, state: ConversationState) {
  const m = command.message;
  if (!isParticipant(state, command.userId) || m.conversationId !== command.conversationId) {
    return left(domainError('NOT_FOUND', 'message not found', 'message_id'));
  }
  const participants = [...state.participants];
  if (!command.forEveryone) {
    if (isHiddenFor(state, m, command.userId)) return right([]);
    return right([
      {
        type: 'MessageHiddenForUser',
        data: {
          conversationId: command.conversationId,
          participants,
          messageId: m.messageId,
          messageSeq: m.seq,
          userId: command.userId,
          at: command.at,
        },
      } as ConversationEvent,
    ]);
  }
  if (m.senderUserId !== command.userId) {
    return left(domainError('FORBIDDEN', 'only the sender may delete a message for everyone', 'delete_for_everyone'));
  }
  if (isDeleted(state, m)) return right([]);
  if (command.at - m.at > command.windowMs) {
    const hours = Math.round((command.windowMs / 3_600_000) * 10) / 10;
    return left(
      domainError(
        'FORBIDDEN',
        `a message can be deleted for everyone only within ${hours} h of sending it`,
        'delete_for_everyone',
      ),
    );
  }
  return right([
    {
      type: 'MessageDeleted',
      data: {
        conversationId: command.conversationId,
        participants,
        messageId: m.messageId,
        messageSeq: m.seq,
        deletedBy: command.userId,
        forEveryone: true,
        at: command.at,
      },
    } as ConversationEvent,
  ]);
}

function decideClear(command: ClearChat, state: ConversationState) {
  if (!isParticipant(state, command.userId))
    return left(domainError('NOT_FOUND', 'conversation not found', 'conversation_id'));
  if (state.lastMessageId !== command.expectLastMessageId)
    return left(domainError('CONFLICT', CLEAR_RACED, 'conversation_id'));
  return right([
    {
      type: 'ChatCleared',
      data: {
        conversationId: command.conversationId,
        participants: [...state.participants],
        userId: command.userId,
        uptoSeq: command.uptoSeq,
        at: command.at,
      },
    } as ConversationEvent,
  ]);
}

const initialState: ConversationState = {
  started: false,
  participants: [],
  lastMessageId: null,
  recentlyRead: EMPTY,
  recentlyDeleted: EMPTY,
  recentlyHidden: EMPTY,
};

function participantsOf(events: readonly ConversationEvent[]): readonly string[] | undefined {
  for (const e of events) {
    if (e.type === 'MessageSent') return [e.data.senderUserId, e.data.recipientUserId].sort();
    return e.data.participants;
  }
  return undefined;
}

export const conversationDecider: Decider<ConversationCommand, ConversationEvent, ConversationState> = {
  initialState,
  decide(command, state) {
    switch (command.kind) {
      case 'SendMessage':
        return decideSend(command, state);
      case 'MarkMessagesRead':
        return decideRead(command, state);
      case 'DeleteMessage':
        return decideDelete(command, state);
      case 'ClearChat':
        return decideClear(command, state);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ConversationStarted':
        return { ...state, started: true, participants: event.data.participants };
      case 'MessageSent':
        return { ...state, lastMessageId: event.data.messageId };
      case 'MessagesRead':
        return { ...state, recentlyRead: remember(state.recentlyRead, event.data.messageIds) };
      case 'MessageDeleted':
        return { ...state, recentlyDeleted: remember(state.recentlyDeleted, [event.data.messageId]) };
      case 'MessageHiddenForUser':
        return {
          ...state,
          recentlyHidden: remember(state.recentlyHidden, [`${event.data.userId}/${event.data.messageId}`]),
        };
      default:
        return state;
    }
  },
  fromLastCommit(events) {
    // Every commit of a conversation names both participants.
    const participants = participantsOf(events);
    if (participants === undefined) return undefined;
    return fold(conversationDecider, { ...initialState, started: true, participants }, events);
  },
};
