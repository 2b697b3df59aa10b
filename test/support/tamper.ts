/**
 * Tampering with a stream through the JetStream API, for audit tests. The
 * truth streams refuse message deletes and purges, so the faithful attack is a
 * wholesale rewrite: read every message, delete the stream, create it again
 * with the same configuration, and publish the (altered) messages back with
 * their headers.
 */
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { chainHash, GENESIS } from '../../streams/hash-chain.ts';
import { HEADER } from '../../streams/envelope.ts';

export interface RawMessage {
  subject: string;
  data: Uint8Array;
  headers: Map<string, string>;
}

export async function readAll(nc: NatsConnection, stream: string): Promise<RawMessage[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream);
  const out: RawMessage[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.direct.getMessage(stream, { seq }).catch(() => null);
    if (!m) continue;
    const headers = new Map<string, string>();
    for (const [k, v] of m.header ?? [])
      if (
        !k.startsWith('Nats-Expected') &&
        !k.startsWith('Nats-Stream') &&
        !k.startsWith('Nats-Sequence') &&
        !k.startsWith('Nats-Time-Stamp') &&
        !k.startsWith('Nats-Subject') &&
        !k.startsWith('Nats-Last-Sequence') &&
        !k.startsWith('Nats-Num-Pending')
      )
        headers.set(k, v[0] ?? '');
    out.push({ subject: m.subject, data: new Uint8Array(m.data), headers });
  }
  return out;
}

/**
 * Rewrites `stream` as `transform` returns it. With `rechain`, the hash chain is
 * recomputed over the result (an attacker who knows the scheme), so only signed
 * checkpoints can tell.
 */
export async function rewriteStream(
  nc: NatsConnection,
  stream: string,
  transform: (messages: RawMessage[]) => RawMessage[],
  options: { rechain?: boolean } = {},
): Promise<void> {
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const { config } = await jsm.streams.info(stream);
  const messages = transform(await readAll(nc, stream));
  await jsm.streams.delete(stream);
  await jsm.streams.add(config);
  const last = new Map<string, string>();
  for (const m of messages) {
    const h = natsHeaders();
    for (const [k, v] of m.headers) if (k !== 'Nats-Msg-Id') h.set(k, v);
    if (options.rechain) {
      const prev = last.get(m.subject) ?? GENESIS;
      const hash = chainHash(prev, m.subject, m.data);
      h.set(HEADER.prev, prev);
      h.set(HEADER.hash, hash);
      last.set(m.subject, hash);
    }
    await js.publish(m.subject, m.data, { headers: h });
  }
}

/** A copy of a message's body with one byte flipped at `offset` from the end. */
export function flipByte(data: Uint8Array, fromEnd = 1): Uint8Array {
  const copy = new Uint8Array(data);
  copy[copy.length - fromEnd] = copy[copy.length - fromEnd]! ^ 0x01;
  return copy;
}
