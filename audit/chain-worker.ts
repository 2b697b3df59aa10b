/**
 * A worker thread of `verify`: checks the chain links of its share of the
 * subjects (each subject always goes to the same worker, in stream order) with
 * verifyLinks, and answers with its breaks when told the read has ended.
 */
import { parentPort } from 'node:worker_threads';
import { GENESIS, verifyLinks, type ChainBreak } from '../streams/hash-chain.ts';

export interface LinkBatch {
  readonly kind: 'links';
  readonly anchoring: boolean;
  readonly seqs: number[];
  readonly subjects: string[];
  readonly prevs: string[];
  readonly hashes: string[];
  /** Body i is bodies[ends[i-1] .. ends[i]). */
  readonly ends: number[];
  readonly bodies: ArrayBuffer;
}

export interface WorkerResult {
  readonly breaks: ChainBreak[];
  readonly anchored: number;
}

const last = new Map<string, string>();
const breaks: ChainBreak[] = [];
let anchored = 0;

parentPort?.on('message', (msg: LinkBatch | { kind: 'end' }) => {
  if (msg.kind === 'end') {
    const result: WorkerResult = { breaks, anchored };
    parentPort!.postMessage(result);
    return;
  }
  const bodies = new Uint8Array(msg.bodies);
  let start = 0;
  for (let i = 0; i < msg.seqs.length; i++) {
    const subject = msg.subjects[i]!;
    const prev = msg.prevs[i]!;
    if (msg.anchoring && !last.has(subject) && prev !== GENESIS) {
      last.set(subject, prev);
      anchored++;
    }
    const end = msg.ends[i]!;
    for (const b of verifyLinks([{ seq: msg.seqs[i]!, subject, prev, hash: msg.hashes[i]!, body: bodies.subarray(start, end) }], last)) breaks.push(b);
    start = end;
  }
});
