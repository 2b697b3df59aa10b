/**
 * Request factory for the group load: members take turns sending to one group;
 * the first 8 bytes of each ciphertext carry the send time (ms since the epoch,
 * as a double) so receivers can time delivery.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestBuilderFactory } from './load.ts';

export interface GroupBenchArg {
  readonly groupId: string;
  readonly senders: readonly string[];
}

export const makeGroupSendRequest: RequestBuilderFactory = (ctx) => {
  const { groupId, senders } = ctx.arg as GroupBenchArg;
  const filler = randomBytes(Math.max(8, ctx.payloadBytes));
  const run = randomUUID().slice(0, 8);
  return (i) => {
    const content = Buffer.from(filler);
    content.writeDoubleBE(performance.timeOrigin + performance.now(), 0);
    return {
      access_token: senders[i % senders.length],
      group_id: groupId,
      encrypted_content: content,
      message_type: 'TEXT',
      client_message_id: `group-${run}-${i}`,
    };
  };
};
