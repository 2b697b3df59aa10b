/**
 * Who may see a media object: its owner, and every current participant of the
 * conversation or group it belongs to: the one named when it was uploaded,
 * and the one of the message that carries it (when that message was sent by
 * the owner: attaching someone else's media id to a message grants nothing).
 *
 * Membership is read from the conversation and group aggregates (the same
 * state their deciders use), not from a view, so a member just added sees the
 * media at once and one just removed no longer does.
 */
import { STREAMS, subjects } from '../../streams/subjects.ts';
import type { MediaRecord } from './decider.ts';
import type { CommandHandler } from '../handler/handler.ts';
import { conversationDecider, formerSubjectOf, isParticipant } from '../conversation/decider.ts';
import { groupDecider } from '../group/decider.ts';

export interface MediaAccessDeps {
  readonly handler: CommandHandler;
  /** The conversation or group a message carrying the media was sent to, by whom. */
  readonly attachmentOf: (mediaId: string) => Promise<{ conversationId: string; senderUserId: string } | undefined>;
  /**
   * The participants of a 1:1 conversation (the conversations view), to find the history of a
   * conversation kept under its former id (commands/conversation/decider.ts, formerSubjectOf). Absent:
   * only conversations with a commit under the contract's id count.
   */
  readonly conversationParticipants?: ((conversationId: string) => Promise<readonly string[] | undefined>) | undefined;
}

type Membership = Pick<MediaAccessDeps, 'handler' | 'conversationParticipants'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `userId` takes part in the conversation or group `id`. */
export async function takesPart(deps: Membership, id: string, userId: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const { handler } = deps;
  let conversation = await handler.load(STREAMS.messages, subjects.conversation(id), conversationDecider);
  if (!conversation.state.started && deps.conversationParticipants !== undefined) {
    const [a, b] = (await deps.conversationParticipants(id)) ?? [];
    const former = a === undefined ? undefined : formerSubjectOf(id, a, b ?? a);
    if (former !== undefined)
      conversation = await handler.load(STREAMS.messages, subjects.conversation(id), conversationDecider, former);
  }
  if (isParticipant(conversation.state, userId)) return true;
  if (conversation.state.started) return false;
  const group = await handler.load(STREAMS.messages, subjects.group(id), groupDecider);
  return group.state.created && group.state.members.has(userId);
}

export async function mayRead(deps: MediaAccessDeps, media: MediaRecord, userId: string): Promise<boolean> {
  if (media.ownerUserId === userId) return true;
  if (media.conversationId !== '' && (await takesPart(deps, media.conversationId, userId))) return true;
  const attached = await deps.attachmentOf(media.thumbnailOf !== '' ? media.thumbnailOf : media.mediaId);
  return (
    attached !== undefined &&
    attached.senderUserId === media.ownerUserId &&
    attached.conversationId !== media.conversationId &&
    (await takesPart(deps, attached.conversationId, userId))
  );
}
