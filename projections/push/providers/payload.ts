/**
 * What a push carries: only what the app needs to fetch, never content. No
 * ciphertext, no message id, no sender unless the recipient opted in (then the
 * sender's username, looked up when the push is sent).
 */
import type { PushJob } from '../../../streams/push-jobs.ts';

export function pushData(job: PushJob, senderName: string | undefined): Record<string, string> {
  if (job.kind === 'call') {
    // A ringing call: which call (the app fetches it over the call service), nothing of its media or caller.
    const call: Record<string, string> = { type: 'call', call_id: job.conversationId, seq: String(job.seq) };
    if (senderName !== undefined) call['sender_name'] = senderName;
    return call;
  }
  const data: Record<string, string> = {
    type: 'message',
    conversation_id: job.conversationId,
    group: job.group ? '1' : '0',
    seq: String(job.seq),
  };
  if (senderName !== undefined) data['sender_name'] = senderName;
  return data;
}
