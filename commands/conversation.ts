/**
 * The conversation aggregate (subject messages.conv.<conversationId>): a 1:1
 * conversation between two users and the messages sent in it. The server
 * stores and relays ciphertext as given; it never sees plaintext.
 */
import * as t from 'io-ts';
import { left, right } from 'fp-ts/lib/Either.js';
import { ConversationStarted, MessageSent, type MessageTypeName } from '../streams/events/messages.ts';
import { derivedId } from '../runtime/ids.ts';
import { domainError, type Decider } from './decider.ts';

export type ConversationEvent =
  | { type: 'ConversationStarted'; data: t.TypeOf<typeof ConversationStarted.codec> }
  | { type: 'MessageSent'; data: t.TypeOf<typeof MessageSent.codec> };

const recentConversationIds = new Map<string, string>();
const RECENT_CONVERSATION_IDS = 10_000;

/** The id of the 1:1 conversation of two users: the same whichever of them asks (remembered for recent pairs). */
export function directConversationId(a: string, b: string): string {
  const pair = a < b ? `${a}|${b}` : `${b}|${a}`;
  let id = recentConversationIds.get(pair);
  if (id === undefined) {
    id = a < b ? derivedId('direct', a, b) : derivedId('direct', b, a);
    if (recentConversationIds.size >= RECENT_CONVERSATION_IDS) recentConversationIds.delete(recentConversationIds.keys().next().value!);
    recentConversationIds.set(pair, id);
  }
  return id;
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

export type ConversationCommand = SendMessage;

export interface ConversationState {
  readonly started: boolean;
  readonly participants: readonly string[];
}

export const conversationDecider: Decider<ConversationCommand, ConversationEvent, ConversationState> = {
  initialState: { started: false, participants: [] },
  decide(command, state) {
    const participants = [command.senderUserId, command.recipientUserId].sort();
    if (command.conversationId !== directConversationId(command.senderUserId, command.recipientUserId)) {
      return left(domainError('FORBIDDEN', 'the conversation is not between sender and recipient', 'conversation_id'));
    }
    if (state.started && !state.participants.includes(command.senderUserId)) {
      return left(domainError('FORBIDDEN', 'the sender is not part of this conversation'));
    }
    const { kind: _kind, ...message } = command;
    const sent: ConversationEvent = { type: 'MessageSent', data: message };
    if (state.started) return right([sent]);
    return right([{ type: 'ConversationStarted', data: { conversationId: command.conversationId, participants, at: command.at } }, sent]);
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ConversationStarted':
        return { ...state, started: true, participants: event.data.participants };
      default:
        return state;
    }
  },
  fromLastCommit(events) {
    // Every commit of a conversation names both participants.
    for (const e of events) {
      if (e.type === 'ConversationStarted') return { started: true, participants: e.data.participants };
      if (e.type === 'MessageSent') return { started: true, participants: [e.data.senderUserId, e.data.recipientUserId].sort() };
    }
    return undefined;
  },
};
