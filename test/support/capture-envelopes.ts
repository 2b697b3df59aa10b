/**
 * Writes streams/testdata/envelope-v<N>.json: commits as the envelope of that version stored them
 * (the raw NATS header block and the body bytes, read back from a real JetStream stream), for
 * streams/envelope-versions.test.ts, which checks that every older version still decodes, replays
 * and verifies. Run once per envelope version, with the code that writes that version:
 *
 *   node --import tsx test/support/capture-envelopes.ts 3
 *
 * Versions 1 and 2 are rebuilt here as that code wrote them (version 1: all-JSON body, bytes as
 * base64; both: ten headers); the stored samples of 1 and 2 were captured before version 3 existed.
 * Version 3 is what EventLog.append writes now.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withNatsServer } from './nats.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { encodeBody, HEADER, type Commit } from '../../streams/envelope.ts';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { chainHash, GENESIS } from '../../streams/hash-chain.ts';
import { readWindow } from '../../audit/read.ts';
import { natsRangeReader } from '../../streams/range-reader.ts';
import { sampleCommits } from '../../streams/testdata/envelope-samples.ts';

const version = Number(process.argv[2]);
if (![1, 2, 3].includes(version)) throw new Error('usage: capture-envelopes.ts <envelope version>');

/** The first body version: the whole commit as JSON, byte fields as base64. */
function jsonBody(commit: Commit): Uint8Array {
  return Buffer.from(
    JSON.stringify({
      v: 1,
      commandId: commit.commandId,
      command: commit.command,
      correlationId: commit.correlationId,
      causationId: commit.causationId,
      actor: commit.actor,
      at: commit.at,
      events: commit.events.map((e) => eventRegistry.encode(e)),
    }),
  );
}

/** The ten headers of envelope versions 1 and 2, in the order that code set them. */
function legacyHeaders(commit: Commit, stream: string, expectedSeq: number, prev: string, hash: string) {
  const h = natsHeaders();
  h.set(HEADER.command, commit.command);
  h.set(HEADER.events, commit.events.map((e) => e.type).join(','));
  h.set(HEADER.correlationId, commit.correlationId);
  h.set(HEADER.causationId, commit.causationId);
  if (commit.actor) h.set(HEADER.actor, `${commit.actor.userId}/${commit.actor.deviceId}`);
  h.set(HEADER.prev, prev);
  h.set(HEADER.hash, hash);
  h.set(HEADER.msgId, commit.commandId);
  h.set('Nats-Expected-Stream', stream);
  h.set('Nats-Expected-Last-Subject-Sequence', String(expectedSeq));
  return h;
}

const nats = await withNatsServer();
const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
try {
  await log.ensureStreams();
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const { stream, subject, commit } of sampleCommits()) {
    const head = heads.get(subject) ?? { seq: 0, hash: GENESIS };
    if (version < 3) {
      const body = version === 1 ? jsonBody(commit) : encodeBody(commit, eventRegistry);
      const hash = chainHash(head.hash, subject, body);
      const ack = await log.js.publish(subject, body, {
        headers: legacyHeaders(commit, stream, head.seq, head.hash, hash),
      });
      heads.set(subject, { seq: ack.seq, hash });
    } else {
      const r = await log.append({ stream, subject, commit, expectedSeq: head.seq, prev: head.hash });
      if (r.kind !== 'appended') throw new Error('duplicate');
      heads.set(subject, { seq: r.seq, hash: r.hash });
    }
  }
  const out: { stream: string; subject: string; seq: number; headers: string; body: string }[] = [];
  for (const stream of [STREAMS.accounts, STREAMS.messages]) {
    await readWindow(natsRangeReader(log), { stream }, (m) => {
      // The header block exactly as it was stored and delivered (NATS/1.0 line, one header a line).
      const headers = Buffer.from(m.headerBlock).toString('latin1');
      out.push({ stream, subject: m.subject, seq: m.seq, headers, body: Buffer.from(m.data).toString('base64') });
    });
  }
  const file = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'streams',
    'testdata',
    `envelope-v${version}.json`,
  );
  fs.writeFileSync(
    file,
    `${JSON.stringify({ envelopeVersion: version, capturedAt: new Date().toISOString().slice(0, 10), messages: out }, null, 1)}\n`,
  );
  console.log(`wrote ${out.length} commits to ${file}`);
} finally {
  await log.close();
  await nats.stop();
}
