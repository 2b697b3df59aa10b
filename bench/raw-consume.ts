/**
 * Raw ordered consume rate: the baseline for projection apply rate.
 *
 * Fills a fresh stream with N messages (untimed), then reads them all with an ordered consumer
 * (`js.consumers.get(stream)` with no name, `consume()`), timing messages per second from the
 * consumer's creation to the N-th message. Or, given an existing stream, reads its first N.
 */
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { cpuWindow, describeCpu } from './machine.ts';
import { nowNs, rateOnly, summarize } from './stats.ts';
import { createBenchStream, publishLoop, type BenchStream, type StatsWithCpu } from './raw-publish.ts';

export interface RawConsumeOptions {
  /** Messages to read; default 200 000 (about 3 s here). With `stream`, at most the stream's message count. */
  readonly messages?: number | undefined;
  /** Payload of the messages this function publishes itself; default 1024. */
  readonly payloadBytes?: number | undefined;
  /** consume()'s max_messages (pull batch / buffer); default 1000. */
  readonly maxMessages?: number | undefined;
  /** Read this existing stream instead of filling a fresh one (it is not deleted). */
  readonly stream?: string | undefined;
  /** Give up after this long (the figure then counts as failed); default 120 s. */
  readonly timeoutMs?: number | undefined;
  /** Row name; default `raw ordered consume`. */
  readonly name?: string | undefined;
  /** Processes whose CPU over the timed read is reported, e.g. `{ 'nats-server': pid }`. */
  readonly observePids?: Readonly<Record<string, number>> | undefined;
}

export async function measureRawConsume(natsUrl: string, opts: RawConsumeOptions = {}): Promise<StatsWithCpu> {
  const wanted = opts.messages ?? 200_000;
  const payloadBytes = opts.payloadBytes ?? 1024;
  const maxMessages = opts.maxMessages ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const name = opts.name ?? 'raw ordered consume';
  // The consumer's connection has the client's default options (as Guardyn's projections use);
  // the untimed fill uses its own connection with noAsyncTraces, which publishes about 2x faster.
  const nc = await connect({ servers: natsUrl, name: 'guardyn-bench-raw-consume' });
  let fillNc: NatsConnection | undefined;
  let own: BenchStream | undefined;
  try {
    const js = jetstream(nc, { timeout: 5000 });
    let streamName: string;
    let total: number;
    if (opts.stream !== undefined) {
      streamName = opts.stream;
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.info(streamName);
      total = Math.min(wanted, info.state.messages);
      if (total === 0) {
        return {
          ...summarize(undefined, {
            name,
            wallSeconds: 0,
            count: 0,
            errors: 1,
            errorSamples: [`stream ${streamName} is empty`],
          }),
          cpu: {},
        };
      }
    } else {
      fillNc = await connect({ servers: natsUrl, name: 'guardyn-bench-raw-consume-fill', noAsyncTraces: true });
      own = await createBenchStream(nc, 'con'); // on nc: deleted through it at the end
      streamName = own.name;
      let fillErrors = 0;
      let firstError = '';
      await publishLoop(jetstream(fillNc, { timeout: 5000 }), {
        prefix: own.prefix,
        subjects: 1000,
        payload: randomBytes(payloadBytes),
        window: 256,
        count: wanted,
        untilNs: nowNs() + timeoutMs * 1e6,
        onAck: () => {},
        onError: (e) => {
          fillErrors++;
          firstError ||= e instanceof Error ? e.message : String(e);
        },
      });
      if (fillErrors > 0) {
        return {
          ...summarize(undefined, {
            name,
            wallSeconds: 0,
            count: 0,
            errors: fillErrors,
            errorSamples: [`filling the stream: ${firstError}`],
          }),
          cpu: {},
        };
      }
      total = wanted;
      await fillNc.close();
    }

    const meter = cpuWindow(opts.observePids ?? {}, 'consumer');
    const t0 = nowNs();
    const consumer = await js.consumers.get(streamName); // no name → ordered consumer
    const messages = await consumer.consume({ max_messages: maxMessages });
    let n = 0;
    let bytes = 0;
    let lastSeq = 0;
    const timer = setTimeout(() => void messages.stop(), timeoutMs);
    try {
      for await (const m of messages) {
        bytes += m.data.length;
        lastSeq = m.seq;
        if (++n >= total) break;
      }
    } finally {
      clearTimeout(timer);
      messages.stop();
    }
    const seconds = (nowNs() - t0) / 1e9;
    const cpu = meter.stop();
    const note =
      `ordered consumer, max_messages ${maxMessages}, ${n} msgs of ${Math.round(bytes / Math.max(1, n))} B, ` +
      `last seq ${lastSeq}; ${describeCpu(cpu)}`;
    if (n < total) {
      const failed = summarize(undefined, {
        name,
        wallSeconds: seconds,
        count: n,
        errors: total - n,
        note,
        errorSamples: [`read only ${n} of ${total} messages within ${timeoutMs} ms`],
      });
      return { ...failed, cpu };
    }
    return { ...rateOnly(name, n, seconds, note), cpu };
  } finally {
    await own?.delete();
    if (fillNc !== undefined && !fillNc.isClosed()) await fillNc.close();
    await nc.close();
  }
}
