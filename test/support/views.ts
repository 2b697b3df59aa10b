/**
 * Reads whole views of a test Guardyn's data dir (through the stores it is configured with,
 * test/support/stores.ts), for comparing a live view with a rebuild.
 */
import { openTestStores } from './stores.ts';

export interface ViewDump {
  readonly kv: string[];
  readonly timeline: string[];
}

export async function dumpViews(dataDir: string, partitions: readonly string[]): Promise<ViewDump> {
  const stores = await openTestStores(dataDir);
  try {
    const kv: string[] = [];
    let start: Uint8Array = new Uint8Array(0);
    for (;;) {
      const rows = await stores.kv.scan({ start, end: new Uint8Array([0xff, 0xff, 0xff, 0xff]), limit: 1000 });
      for (const r of rows) kv.push(`${Buffer.from(r.key).toString('hex')}=${Buffer.from(r.value).toString('hex')}`);
      if (rows.length < 1000) break;
      start = Buffer.concat([rows[rows.length - 1]!.key, Buffer.from([0])]);
    }
    const timeline: string[] = [];
    for (const p of [...partitions].sort()) {
      let before: number | undefined;
      for (;;) {
        const page = await stores.timeline.page(p, { limit: 1000, ...(before === undefined ? {} : { before }) });
        for (const r of page.rows)
          timeline.push(`${p}/${r.position}/${r.time}=${Buffer.from(r.value).toString('hex')}`);
        if (page.next === undefined) break;
        before = page.next;
      }
    }
    return { kv, timeline };
  } finally {
    await stores.close();
  }
}

/**
 * Copies the per-user data keys (stores/data-keys.ts) from one data dir's
 * configured key-value store to another's. They are the one thing in that store not
 * derived from the log, so a rebuild into a new store needs them first.
 */
export async function copyDataKeys(fromDataDir: string, toDataDir: string): Promise<number> {
  const prefix = Buffer.from('datakeys\u0000');
  const end = Buffer.from('datakeys\u0001');
  const from = await openTestStores(fromDataDir);
  const to = await openTestStores(toDataDir);
  try {
    const rows = await from.kv.scan({ start: prefix, end, limit: 10240 });
    if (rows.length > 0) await to.kv.batch(rows.map((r) => ({ key: r.key, value: r.value })));
    return rows.length;
  } finally {
    await from.close();
    await to.close();
  }
}
