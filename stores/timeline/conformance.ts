/**
 * The conformance suite of the timeline port: every TimelineStore adapter
 * (LMDB, ScyllaDB) runs these same tests. They check port semantics only.
 *
 * `open` is called once, before the tests; the suite closes the store after
 * them. Every test uses partitions and checkpoint names of its own (unique per
 * run), so the store may hold other data and may be shared with other suites.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  MAX_PAGE_LIMIT,
  TimelineFenced,
  type Page,
  type PageOptions,
  type TimelineRow,
  type TimelineStore,
} from './port.ts';

/** A row's fields in a form assert.deepEqual compares across Buffer and Uint8Array. */
interface RowView {
  readonly partition: string;
  readonly position: number;
  readonly time: number;
  readonly value: string;
}

const view = (row: TimelineRow): RowView => ({
  partition: row.partition,
  position: row.position,
  time: row.time,
  value: Buffer.from(row.value).toString('hex'),
});
const positions = (page: Page): number[] => page.rows.map((r) => r.position);
const valueOf = (partition: string, position: number): Uint8Array =>
  new TextEncoder().encode(`${partition}#${position}`);
const row = (partition: string, position: number, time = 1_700_000_000_000 + position): TimelineRow => ({
  partition,
  position,
  time,
  value: valueOf(partition, position),
});
/** Positions from high down to low, inclusive. */
const descending = (high: number, low: number): number[] => Array.from({ length: high - low + 1 }, (_, i) => high - i);

export interface TimelineConformanceOptions {
  /** The adapter orders writes by TimelineRow.version (ScyllaDB): run the versioned-write tests. */
  readonly versionedWrites?: boolean;
}

export function timelineConformance(
  name: string,
  open: () => Promise<TimelineStore>,
  options: TimelineConformanceOptions = {},
): void {
  describe(`TimelineStore conformance: ${name}`, () => {
    let store: TimelineStore;
    const run = randomUUID();
    let names = 0;

    /** A partition or checkpoint name no other test uses. */
    function fresh(kind: string): string {
      names += 1;
      return `tl-conformance-${kind}-${run}-${names}`;
    }

    /** Follows `next` cursors from the newest row until the last page, checking each page's size. */
    async function walk(partition: string, options: PageOptions): Promise<{ rows: TimelineRow[]; pages: number }> {
      const rows: TimelineRow[] = [];
      let pages = 0;
      let cursor: number | undefined;
      for (;;) {
        const page = await store.page(partition, cursor === undefined ? options : { ...options, before: cursor });
        pages += 1;
        assert.ok(
          page.rows.length <= options.limit,
          `page ${pages} holds ${page.rows.length} rows, above the limit ${options.limit}`,
        );
        rows.push(...page.rows);
        if (page.next === undefined) return { rows, pages };
        assert.equal(page.rows.length, options.limit, 'a page with a next cursor is full');
        assert.equal(page.next, page.rows[page.rows.length - 1]!.position, 'next is the last position of the page');
        if (pages > 10_000) throw new Error('paging does not end');
        cursor = page.next;
      }
    }

    before(async () => {
      store = await open();
    });
    after(async () => {
      await store?.close();
    });

    it('pages rows newest first by position, whatever the write order', async () => {
      const p = fresh('p');
      await store.write([row(p, 3), row(p, 1)]);
      await store.write([row(p, 2)]);
      const page = await store.page(p, { limit: 10 });
      assert.deepEqual(page.rows.map(view), [row(p, 3), row(p, 2), row(p, 1)].map(view));
      assert.equal(page.next, undefined);
    });

    it('gets one row by position, undefined when absent', async () => {
      const p = fresh('p');
      await store.write([{ partition: p, position: 7, time: 0, value: Uint8Array.of(0, 0xff, 1) }]);
      const got = await store.get(p, 7);
      assert.deepEqual(got && view(got), { partition: p, position: 7, time: 0, value: '00ff01' });
      assert.equal(await store.get(p, 8), undefined);
      assert.equal(await store.get(fresh('p'), 7), undefined);
    });

    it('gets and pages every row after one write each, in any position order', async () => {
      const p = fresh('p');
      // Each write alone, the middle position first, then a lower and a higher one, then between.
      for (const position of [10, 5, 20, 7, 15]) await store.write([row(p, position, 1_700_000_000_000 + position)]);
      for (const position of [5, 7, 10, 15, 20])
        assert.deepEqual(view((await store.get(p, position))!), view(row(p, position)), `row ${position}`);
      assert.deepEqual(
        (await store.page(p, { limit: 10 })).rows.map((r) => r.position),
        [20, 15, 10, 7, 5],
      );
      assert.deepEqual(
        (await store.page(p, { limit: 10, before: 10 })).rows.map((r) => r.position),
        [7, 5],
      );
    });

    it('an unknown partition has an empty page and no cursor', async () => {
      const page = await store.page(fresh('p'), { limit: 5 });
      assert.deepEqual(page.rows, []);
      assert.equal(page.next, undefined);
    });

    it('cursor paging visits 250 rows in pages of 7 exactly once, newest first', async () => {
      const p = fresh('p');
      const all = descending(250, 1).map((n) => row(p, n));
      for (let i = 0; i < all.length; i += 60) await store.write(all.slice(i, i + 60));
      const { rows, pages } = await walk(p, { limit: 7 });
      assert.deepEqual(
        rows.map((r) => r.position),
        descending(250, 1),
      );
      assert.deepEqual(rows.map(view), all.map(view));
      assert.equal(pages, Math.ceil(250 / 7));
    });

    it('has no next cursor when the last page is exactly full', async () => {
      const p = fresh('p');
      await store.write(descending(14, 1).map((n) => row(p, n)));
      const first = await store.page(p, { limit: 7 });
      assert.deepEqual(positions(first), descending(14, 8));
      assert.equal(first.next, 8);
      const second = await store.page(p, { limit: 7, before: first.next! });
      assert.deepEqual(positions(second), descending(7, 1));
      assert.equal(second.next, undefined);
    });

    it('before is exclusive, works between and above positions, and skips gaps', async () => {
      const p = fresh('p');
      await store.write([10, 20, 30, 40].map((n) => row(p, n)));
      assert.deepEqual(positions(await store.page(p, { limit: 10, before: 30 })), [20, 10]);
      assert.deepEqual(positions(await store.page(p, { limit: 10, before: 25 })), [20, 10]);
      assert.deepEqual(positions(await store.page(p, { limit: 10, before: 1_000_000 })), [40, 30, 20, 10]);
      assert.deepEqual(positions(await store.page(p, { limit: 10, before: 10 })), []);
      const paged = await store.page(p, { limit: 1, before: 40 });
      assert.deepEqual(positions(paged), [30]);
      assert.equal(paged.next, 30);
    });

    it('overwrites a row written again at the same position', async () => {
      const p = fresh('p');
      await store.write([{ partition: p, position: 5, time: 100, value: Uint8Array.of(1) }]);
      await store.write([{ partition: p, position: 5, time: 200, value: Uint8Array.of(2, 2) }]);
      const got = await store.get(p, 5);
      assert.deepEqual(got && view(got), { partition: p, position: 5, time: 200, value: '0202' });
      const page = await store.page(p, { limit: 10 });
      assert.deepEqual(page.rows.map(view), [{ partition: p, position: 5, time: 200, value: '0202' }]);
    });

    it('filters by time: fromTime inclusive, toTime exclusive', async () => {
      const p = fresh('p');
      await store.write(descending(10, 1).map((n) => row(p, n, 1000 + n * 10)));
      assert.deepEqual(positions(await store.page(p, { limit: 100, fromTime: 1050 })), descending(10, 5));
      assert.deepEqual(positions(await store.page(p, { limit: 100, toTime: 1050 })), descending(4, 1));
      assert.deepEqual(positions(await store.page(p, { limit: 100, fromTime: 1030, toTime: 1070 })), descending(6, 3));
      assert.deepEqual(positions(await store.page(p, { limit: 100, fromTime: 1070, toTime: 1030 })), []);
      assert.deepEqual(positions(await store.page(p, { limit: 100, fromTime: 1035, toTime: 1036 })), []);
    });

    it('pages time-filtered rows with the cursor, and ends without a cursor though older rows exist', async () => {
      const p = fresh('p');
      // Times are not in position order: a row's time is its position scrambled.
      const timeOf = (n: number): number => 1_000_000 + ((n * 37) % 101) * 1000;
      await store.write(descending(100, 1).map((n) => row(p, n, timeOf(n))));
      const fromTime = 1_000_000 + 20 * 1000;
      const toTime = 1_000_000 + 70 * 1000;
      const expected = descending(100, 1).filter((n) => timeOf(n) >= fromTime && timeOf(n) < toTime);
      assert.ok(expected.length > 20 && expected.length < 80, 'the filter keeps some rows and drops others');
      const { rows } = await walk(p, { limit: 3, fromTime, toTime });
      assert.deepEqual(
        rows.map((r) => r.position),
        expected,
      );

      // Only the newest rows match: the last matching page has no cursor, however many older rows follow.
      const q = fresh('p');
      await store.write(descending(50, 1).map((n) => row(q, n, n <= 45 ? 1 : 1000 + n)));
      const page = await store.page(q, { limit: 5, fromTime: 1000 });
      assert.deepEqual(positions(page), descending(50, 46));
      assert.equal(page.next, undefined);
      const partial = await store.page(q, { limit: 4, fromTime: 1000 });
      assert.deepEqual(positions(partial), descending(50, 47));
      assert.equal(partial.next, 47);
    });

    it('answers every time window exactly over hours of rows written out of time order, in several batches', async () => {
      const p = fresh('p');
      // 400 rows over ~7 hours; times scrambled against positions, with some rows far out of order.
      const base = 1_700_000_000_000;
      const timeOf = (n: number): number => base + ((n * 7919) % 400) * 61_000 + (n % 13 === 0 ? -3_600_000 : 0);
      const all = descending(400, 1);
      for (let i = 0; i < 4; i++) await store.write(all.filter((n) => n % 4 === i).map((n) => row(p, n, timeOf(n))));
      const windows: [number | undefined, number | undefined][] = [
        [undefined, base + 30 * 61_000],
        [base + 200 * 61_000, undefined],
        [base + 100 * 61_000, base + 110 * 61_000],
        [base - 3_600_000, base],
        [base + 399 * 61_000, base + 400 * 61_000 + 1],
        [base + 1_000 * 61_000, undefined],
        [undefined, base - 7_200_000],
        [base + 50_000, base + 50_001],
      ];
      for (const [fromTime, toTime] of windows) {
        const expected = all.filter(
          (n) => (fromTime === undefined || timeOf(n) >= fromTime) && (toTime === undefined || timeOf(n) < toTime),
        );
        const options = {
          limit: 7,
          ...(fromTime === undefined ? {} : { fromTime }),
          ...(toTime === undefined ? {} : { toTime }),
        };
        const { rows } = await walk(p, options);
        assert.deepEqual(
          rows.map((r) => r.position),
          expected,
          `window ${fromTime} .. ${toTime}`,
        );
      }
    });

    it('keeps partitions apart, even when one name extends another', async () => {
      const p = fresh('p');
      const names = [p, `${p}x`, `${p}-1`, `${p}\u00e9`];
      for (const [i, partition] of names.entries()) await store.write([row(partition, 1 + i), row(partition, 100)]);
      for (const [i, partition] of names.entries()) {
        const page = await store.page(partition, { limit: 10 });
        assert.deepEqual(page.rows.map(view), [row(partition, 100), row(partition, 1 + i)].map(view));
      }
      await store.dropPartition(p);
      assert.deepEqual((await store.page(p, { limit: 10 })).rows, []);
      for (const partition of names.slice(1)) assert.equal((await store.page(partition, { limit: 10 })).rows.length, 2);
    });

    it('checkpoint is 0 when unknown and the last position written otherwise', async () => {
      const name = fresh('checkpoint');
      assert.equal(await store.checkpoint(name), 0);
      await store.write([], { name, position: 5 });
      assert.equal(await store.checkpoint(name), 5);
      const p = fresh('p');
      await store.write([row(p, 9)], { name, position: 9 });
      assert.equal(await store.checkpoint(name), 9);
      await store.write([], { name, position: 3 });
      assert.equal(await store.checkpoint(name), 3);
      await store.write([], { name, position: 0 });
      assert.equal(await store.checkpoint(name), 0);
      await store.write([row(p, 10)]);
      assert.equal(await store.checkpoint(name), 0, 'a write without a checkpoint leaves it alone');
      assert.equal(await store.checkpoint(fresh('checkpoint')), 0);
    });

    it('a write with a bad row makes neither its rows nor its checkpoint visible', async () => {
      const p = fresh('p');
      const name = fresh('checkpoint');
      await store.write([row(p, 1)], { name, position: 1 });
      const bad: TimelineRow[] = [
        { ...row(p, 2), position: -1 },
        { ...row(p, 2), position: 0 },
        { ...row(p, 2), position: 2.5 },
        { ...row(p, 2), partition: '' },
      ];
      for (const badRow of bad) {
        await assert.rejects(
          store.write([row(p, 2), row(p, 3), badRow], { name, position: 3 }),
          RangeError,
          JSON.stringify({ ...badRow, value: undefined }),
        );
      }
      await assert.rejects(store.write([row(p, 2)], { name: '', position: 2 }), RangeError);
      await assert.rejects(store.write([row(p, 2)], { name, position: -1 }), RangeError);
      assert.deepEqual(positions(await store.page(p, { limit: 10 })), [1]);
      assert.equal(await store.get(p, 2), undefined);
      assert.equal(await store.checkpoint(name), 1);
    });

    it('dropPartition removes every row of the partition, and the partition can be written again', async () => {
      const p = fresh('p');
      await store.write(descending(30, 1).map((n) => row(p, n)));
      await store.dropPartition(p);
      assert.deepEqual((await store.page(p, { limit: 100 })).rows, []);
      assert.equal(await store.get(p, 15), undefined);
      await store.dropPartition(p);
      await store.dropPartition(fresh('p'));
      await store.write([row(p, 31)]);
      assert.deepEqual(positions(await store.page(p, { limit: 100 })), [31]);
    });

    // Versioned writes (TimelineRow.version): adapters whose writes are not atomic with the fence (ScyllaDB).
    const versioned = (t: { skip: (why: string) => void }): boolean => {
      if (options.versionedWrites === true) return true;
      t.skip('this adapter orders writers by an atomic fence instead of versions');
      return false;
    };
    const text = (r: TimelineRow | undefined): string | undefined =>
      r === undefined ? undefined : Buffer.from(r.value).toString();
    const at = (
      partition: string,
      position: number,
      version: number,
      value: string,
      time = 1_700_000_000_000 + position,
    ): TimelineRow => ({ partition, position, time, value: new TextEncoder().encode(value), version });

    it("versioned writes: a stale owner's late write with an older version replaces neither a newer row nor the checkpoint", async (t) => {
      if (!versioned(t)) return;
      const p = fresh('p');
      const name = fresh('checkpoint');
      // The new owner has applied up to 40: row 7 rewritten (a deletion for everyone, say) at 40, row 8 written at 30.
      await store.write([at(p, 7, 40, 'tombstone@40'), at(p, 8, 30, 'row8@30')], { name, position: 40, version: 40 });
      // The stale owner's batch, current as of 20, arrives late: it wrote row 7 and row 9 and its checkpoint.
      await store.write([at(p, 7, 20, 'row7@20'), at(p, 8, 20, 'row8@20'), at(p, 9, 20, 'row9@20')], {
        name,
        position: 20,
        version: 20,
      });
      assert.equal(text(await store.get(p, 7)), 'tombstone@40');
      assert.equal(text(await store.get(p, 8)), 'row8@30');
      assert.equal(text(await store.get(p, 9)), 'row9@20', 'a row nobody newer wrote lands');
      assert.deepEqual((await store.page(p, { limit: 10 })).rows.map(text), ['row9@20', 'row8@30', 'tombstone@40']);
      assert.equal(await store.checkpoint(name), 40, 'the checkpoint did not move back');
      // A newer write replaces them.
      await store.write([at(p, 7, 41, 'row7@41')], { name, position: 41, version: 41 });
      assert.equal(text(await store.get(p, 7)), 'row7@41');
      assert.equal(await store.checkpoint(name), 41);
      // A row written without a version is older than every versioned one.
      await store.write([{ ...row(p, 7), version: undefined }]);
      assert.equal(text(await store.get(p, 7)), 'row7@41');
    });

    it('versioned writes: writers racing with many versions leave each row and the checkpoint at the highest', async (t) => {
      if (!versioned(t)) return;
      const p = fresh('p');
      const name = fresh('checkpoint');
      const versions = Array.from({ length: 24 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
      await Promise.all(
        versions.map((v) =>
          store.write(
            [1, 2, 3].map((n) => at(p, n, v, `v${v}`)),
            { name, position: v, version: v },
          ),
        ),
      );
      assert.deepEqual((await store.page(p, { limit: 10 })).rows.map(text), ['v24', 'v24', 'v24']);
      assert.equal(await store.checkpoint(name), 24);
    });

    it('versioned writes: after dropPartition a rebuild writes the same versions again and they are seen', async (t) => {
      if (!versioned(t)) return;
      const p = fresh('p');
      const name = fresh('checkpoint');
      await store.write([at(p, 1, 5, 'first'), at(p, 2, 5, 'first')], { name, position: 5, version: 5 });
      await store.dropPartition(p);
      await store.write([], { name, position: 0, version: 0 });
      assert.equal(await store.checkpoint(name), 0, 'a reset checkpoint replaces a higher one of before the reset');
      await store.write([at(p, 1, 3, 'again')], { name, position: 3, version: 3 });
      assert.deepEqual((await store.page(p, { limit: 10 })).rows.map(text), ['again']);
      assert.equal(await store.checkpoint(name), 3);
    });

    it("fencing: a claim with a newer epoch refuses the older owner's writes, and an older claim is refused", async (t) => {
      if (store.claimCheckpoint === undefined) return t.skip('no owner epochs on this adapter');
      const p = fresh('p');
      const name = fresh('checkpoint');
      assert.equal(await store.claimCheckpoint(name, 10), 0);
      await store.write([at(p, 1, 4, 'owner10')], { name, position: 4, version: 4, fence: 10 });
      assert.equal(await store.claimCheckpoint(name, 12), 4);
      await assert.rejects(
        store.write([at(p, 2, 6, 'owner10')], { name, position: 6, version: 6, fence: 10 }),
        TimelineFenced,
      );
      assert.equal(await store.get(p, 2), undefined);
      assert.equal(await store.checkpoint(name), 4);
      assert.equal(await store.claimCheckpoint(name, 11), undefined);
      await store.write([at(p, 2, 6, 'owner12')], { name, position: 6, version: 6, fence: 12 });
      assert.equal(text(await store.get(p, 2)), 'owner12');
      assert.equal(await store.checkpoint(name), 6);
    });

    it('versioned writes: a bad version is refused with a RangeError and nothing changes', async (t) => {
      if (!versioned(t)) return;
      const p = fresh('p');
      const name = fresh('checkpoint');
      for (const version of [-1, 1.5, Number.NaN]) {
        await assert.rejects(
          store.write([at(p, 1, version, 'bad')], { name, position: 1 }),
          RangeError,
          `row version ${version}`,
        );
        await assert.rejects(
          store.write([at(p, 1, 1, 'bad')], { name, position: 1, version }),
          RangeError,
          `checkpoint version ${version}`,
        );
      }
      assert.equal(await store.get(p, 1), undefined);
      assert.equal(await store.checkpoint(name), 0);
    });

    it('round-trips 256 KiB values and exact times', async () => {
      const p = fresh('p');
      const big = new Uint8Array(256 * 1024).map((_, i) => (i * 13 + 5) & 0xff);
      const times = [0, 1_700_000_000_123, 4_102_444_800_000];
      await store.write(times.map((time, i) => ({ partition: p, position: i + 1, time, value: big })));
      const page = await store.page(p, { limit: 10 });
      assert.deepEqual(
        page.rows.map((r) => r.time),
        [...times].reverse(),
      );
      for (const r of page.rows) assert.ok(Buffer.from(r.value).equals(big), `value of position ${r.position}`);
      const got = await store.get(p, 2);
      assert.ok(got && Buffer.from(got.value).equals(big));
    });

    it('holds its own copy of written values', async () => {
      const p = fresh('p');
      const value = Uint8Array.of(1, 2, 3);
      const written = store.write([{ partition: p, position: 1, time: 1, value }]);
      value[0] = 99;
      await written;
      const got = await store.get(p, 1);
      assert.deepEqual(got && view(got).value, '010203');
    });

    it('rejects bad page, get and drop arguments with a RangeError', async () => {
      const p = fresh('p');
      await store.write([row(p, 1)]);
      for (const limit of [0, -1, MAX_PAGE_LIMIT + 1, 1.5, Number.NaN]) {
        await assert.rejects(store.page(p, { limit }), RangeError, `limit ${limit}`);
      }
      for (const before of [0, -1, 1.5]) {
        await assert.rejects(store.page(p, { limit: 10, before }), RangeError, `before ${before}`);
      }
      await assert.rejects(store.page('', { limit: 10 }), RangeError);
      for (const position of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1]) {
        await assert.rejects(store.get(p, position), RangeError, `position ${position}`);
      }
      await assert.rejects(store.get('', 1), RangeError);
      await assert.rejects(store.dropPartition(''), RangeError);
      await assert.rejects(store.checkpoint(''), RangeError);
      assert.deepEqual(positions(await store.page(p, { limit: MAX_PAGE_LIMIT })), [1]);
    });
  });
}
