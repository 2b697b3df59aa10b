/**
 * A verify worker thread (audit/verify-pool.ts): reads each batch of commits the reading thread
 * hands it, in stream order, and checks with audit/chain-check.ts the chains of the subjects it owns
 * (worker 0 also the checkpoints' range digests). It tells the reading thread when it is done with a
 * batch, and at a stream's end sends its findings.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ownerOf, StreamChecker, type StreamBreak } from './chain-check.ts';
import type { FromWorker, ToWorker, VerifyWorkerData } from './verify-pool.ts';

const port = parentPort;
if (port !== null) {
  const d = workerData as VerifyWorkerData;
  const { index, workers } = d;
  const digests = index === 0;
  let checker: StreamChecker | undefined;
  let breaks: StreamBreak[] = [];
  let more = 0;
  const report = (b: StreamBreak) => {
    if (breaks.length < d.maxBreaks) breaks.push(b);
    else more++;
  };
  /** A subject's bytes as the reading thread's string (UTF-8; ASCII decoded as latin1, which is cheaper). */
  const subjectAt = (b: Buffer, start: number, end: number): string => {
    for (let i = start; i < end; i++) if (b[i]! >= 0x80) return b.toString('utf8', start, end);
    return b.toString('latin1', start, end);
  };
  port.on('message', (m: ToWorker) => {
    switch (m.t) {
      case 'begin':
        checker = new StreamChecker(
          {
            checkpoints: m.checkpoints,
            digests,
            windowFrom: m.windowFrom,
            prevHeader: d.prevHeader,
            hashHeader: d.hashHeader,
          },
          report,
        );
        breaks = [];
        more = 0;
        return;
      case 'batch': {
        const c = checker!;
        const buf = Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
        const { seqs, lens } = m;
        let p = 0;
        for (let i = 0; i < m.count; i++) {
          const subjectEnd = p + lens[3 * i]!;
          const end = subjectEnd + lens[3 * i + 1]!;
          const own = workers === 1 || ownerOf(buf, p, subjectEnd, workers) === index;
          const subject = own || digests ? subjectAt(buf, p, subjectEnd) : '';
          c.commit(seqs[i]!, subject, buf.subarray(subjectEnd, end), lens[3 * i + 2]!, own);
          p = end;
        }
        port.postMessage({ t: 'done' } satisfies FromWorker);
        return;
      }
      case 'one': {
        const bytes = Buffer.from(m.subject, 'utf8');
        const own = workers === 1 || ownerOf(bytes, 0, bytes.length, workers) === index;
        const raw = Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength);
        checker!.commit(m.seq, own || digests ? m.subject : '', raw, m.bodyStart, own);
        return;
      }
      case 'end': {
        const c = checker!;
        c.end(m.endSeq, m.windowOpenEnded);
        port.postMessage({
          t: 'result',
          anchored: c.anchored,
          checked: c.checked,
          outside: c.outside,
          breaks,
          more,
        } satisfies FromWorker);
        checker = undefined;
        return;
      }
    }
  });
  port.postMessage('ready');
}
