/**
 * Writes streams/testdata/envelope-v<N>.json: commits as the envelope of that version stored them
 * (the raw NATS header block and the body bytes, read back from a real JetStream stream), for
 * streams/envelope-versions.test.ts, which checks that every older version still decodes, replays
 * and verifies. Run once per envelope version, with the code that writes that version:
 *
 *   node --import tsx streams/testdata/capture-envelopes.ts 2
 *
 * Version 1 (all-JSON body, bytes as base64) is built here by hand: no code writes it any more.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withNatsServer } from '../../test/support/nats.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { EventLog } from '../log.ts';
import { eventRegistry } from '../events/index.ts';
import { STREAMS } from '../subjects.ts';
import { commitHeaders, HEADER, type Commit } from '../envelope.ts';
import { chainHash, GENESIS } from '../hash-chain.ts';
import { readWindow } from '../../audit/read.ts';
import { sampleCommits } from './envelope-samples.ts';

const version = Number(process.argv[2]);
if (![1, 2, 3].includes(version)) throw new Error('usage: capture-envelopes.ts <envelope version>');

/** The first body version: the whole commit as JSON, byte fields as base64. */
function jsonBody(commit: Commit): Uint8Array {
  return Buffer.from(JSON.stringify({
    v: 1, commandId: commit.commandId, command: commit.command, correlationId: commit.correlationId, causationId: commit.causationId,
    actor: commit.actor, at: commit.at, events: commit.events.map((e) => eventRegistry.encode(e)),
  }));
}

const nats = await withNatsServer();
const log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
try {
  await log.ensureStreams();
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const { stream, subject, commit } of sampleCommits()) {
    const head = heads.get(subject) ?? { seq: 0, hash: GENESIS };
    if (version === 1) {
      const body = jsonBody(commit);
      const hash = chainHash(head.hash, subject, body);
      const h = commitHeaders(commit, head.hash, hash);
      h.set(HEADER.msgId, commit.commandId);
      h.set('Nats-Expected-Stream', stream);
      h.set('Nats-Expected-Last-Subject-Sequence', String(head.seq));
      const ack = await log.js.publish(subject, body, { headers: h });
      heads.set(subject, { seq: ack.seq, hash });
    } else {
      const r = await log.append({ stream, subject, commit, expectedSeq: head.seq, prev: head.hash });
      if (r.kind !== 'appended') throw new Error('duplicate');
      heads.set(subject, { seq: r.seq, hash: r.hash });
    }
  }
  const out: { stream: string; subject: string; seq: number; headers: string; body: string }[] = [];
  for (const stream of [STREAMS.accounts, STREAMS.messages]) {
    await readWindow(log, { stream }, (m) => {
      // The header block exactly as it was stored and delivered (NATS/1.0 line, one header a line).
      const core = (m as unknown as { msg: { _rdata: Uint8Array; _msg: { hdr: number } } }).msg;
      const headers = Buffer.from(core._rdata.subarray(0, core._msg.hdr)).toString('latin1');
      out.push({ stream, subject: m.subject, seq: m.seq, headers, body: Buffer.from(m.data).toString('base64') });
    });
  }
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), `envelope-v${version}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ envelopeVersion: version, capturedAt: new Date().toISOString().slice(0, 10), messages: out }, null, 1)}\n`);
  console.log(`wrote ${out.length} commits to ${file}`);
} finally {
  await log.close();
  await nats.stop();
}
