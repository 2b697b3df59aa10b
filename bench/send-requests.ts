/**
 * Request factory for the SendMessage load: each call goes from one bench user
 * to one of its ten peers, so the load spreads over many conversations. The
 * payload is random ciphertext-like bytes of the run's size, the same for every
 * call (as in the echo baseline).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RequestBuilderFactory } from './load.ts';

export interface BenchUser {
  readonly id: string;
  readonly token: string;
}

export const PEERS_PER_USER = 10;

export const makeSendRequest: RequestBuilderFactory = (ctx) => {
  const users = ctx.arg as BenchUser[];
  const n = users.length;
  const content = randomBytes(ctx.payloadBytes);
  // Every run sends new messages: a repeated client_message_id would be answered as a resend.
  const run = randomUUID().slice(0, 8);
  return (i) => {
    const sender = users[i % n]!;
    const recipient = users[((i % n) + 1 + (Math.floor(i / n) % PEERS_PER_USER)) % n]!;
    return {
      access_token: sender.token,
      recipient_user_id: recipient.id,
      encrypted_content: content,
      message_type: 'TEXT',
      client_message_id: `bench-${run}-${i}`,
    };
  };
};
