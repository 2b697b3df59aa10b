/**
 * `npm run bench -- history`: does a long history page as fast as a new one?
 * One conversation with `--messages` rows (1,000,000 by default; every 10th a
 * tombstone, every 7th hidden for the reader) beside a conversation of 200
 * rows, in the timeline view of the embedded store. Interleaved, the same
 * reads on both: the newest page (50), a page deep in the history by cursor,
 * and a time window. Each long-history figure is reported beside the new
 * conversation's as a ratio (1.0: as fast).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStores } from '../stores/embedded.ts';
import type { TimelineRow } from '../stores/timeline/port.ts';
import { messageRecord, type MessageRecord } from '../projections/timeline/schema.ts';
import { TimelineView } from '../projections/timeline/queries.ts';
import { describeMachine } from './machine.ts';
import { parsePositiveInt, printReport, type BenchArgs } from './run.ts';
import { LatencyRecorder, nowNs, summarize, type Stats } from './stats.ts';

const READER = 'reader-user';
const PEER = 'peer-user';
const PAGE = 50;
const T0 = Date.UTC(2026, 0, 1);

function row(partition: string, seq: number, content: Buffer): TimelineRow {
  const deleted = seq % 10 === 0;
  const record: MessageRecord = {
    messageId: `${partition}-${seq}`,
    conversationId: partition,
    senderUserId: seq % 2 ? READER : PEER,
    senderDeviceId: 'd1',
    recipientUserId: seq % 2 ? PEER : READER,
    recipientDeviceId: '',
    encryptedContent: deleted ? new Uint8Array(0) : content,
    messageType: 'TEXT',
    clientMessageId: `c${seq}`,
    clientTimestamp: null,
    mediaId: '',
    x3dhPrekey: '',
    at: T0 + seq * 1000,
    seq,
    deleted,
    ...(seq % 7 === 0 ? { hiddenFor: [READER] } : {}),
  };
  return { partition, position: seq, time: record.at, value: messageRecord.encode(record) };
}

export async function benchHistory(a: BenchArgs): Promise<void> {
  const total = parsePositiveInt(a.raw['messages'] ?? '1000000', 'messages');
  const rounds = parsePositiveInt(a.raw['reads'] ?? '2000', 'reads');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-history-'));
  const stores = await openEmbeddedStores(dir);
  try {
    const content = Buffer.alloc(a.payloadBytes, 1);
    const fillStarted = Date.now();
    for (let from = 1; from <= total; from += 10_000) {
      const batch: TimelineRow[] = [];
      for (let seq = from; seq < from + 10_000 && seq <= total; seq++) batch.push(row('long', seq, content));
      await stores.timeline.write(batch);
    }
    const fillSeconds = (Date.now() - fillStarted) / 1000;
    const small: TimelineRow[] = [];
    for (let seq = 1; seq <= 200; seq++) small.push(row('new', seq, content));
    await stores.timeline.write(small);

    const view = new TimelineView(stores.timeline);
    const viewer = { userId: READER, clearedUpto: 0 };
    type Read = (partition: string, size: number) => Promise<unknown>;
    const reads: [string, Read][] = [
      ['newest page', (p) => view.visiblePage(p, viewer, { limit: PAGE })],
      [
        'page by cursor, mid-history',
        (p, size) => view.visiblePage(p, viewer, { limit: PAGE, before: Math.floor(size / 2) }),
      ],
      [
        'time window (one hour), mid-history',
        (p, size) => {
          const mid = T0 + Math.floor(size / 2) * 1000;
          return view.visiblePage(p, viewer, { limit: PAGE, fromTime: mid - 3_600_000, toTime: mid });
        },
      ],
    ];
    const rows: Stats[] = [];
    const after: string[] = [`filled ${total.toLocaleString('en-US')} rows in ${fillSeconds.toFixed(1)} s`];
    for (const [name, read] of reads) {
      const long = new LatencyRecorder();
      const fresh = new LatencyRecorder();
      let longNs = 0;
      let freshNs = 0;
      for (let i = 0; i < rounds; i++) {
        // Interleaved, so both see the same machine.
        let t = nowNs();
        await read('long', total);
        let d = nowNs() - t;
        long.record(d);
        longNs += d;
        t = nowNs();
        await read('new', 200);
        d = nowNs() - t;
        fresh.record(d);
        freshNs += d;
      }
      const l = summarize(long, {
        name: `${name}: ${total.toLocaleString('en-US')} messages`,
        wallSeconds: longNs / 1e9,
      });
      const f = summarize(fresh, { name: `${name}: 200 messages (baseline)`, wallSeconds: freshNs / 1e9 });
      rows.push(l, f);
      after.push(`${name}: long/new throughput ratio ${(l.rate / f.rate).toFixed(2)}`);
    }
    printReport({
      title: 'history',
      machine: describeMachine(),
      settings: [
        `embedded timeline (LMDB); every 10th message a tombstone, every 7th hidden for the reader; pages of ${PAGE}; ${rounds} reads each`,
      ],
      rows,
      after,
    });
  } finally {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
