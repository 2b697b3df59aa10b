/**
 * The conformance suite of the ordered key-value port: every KvStore adapter
 * (LMDB, TiKV) runs these same tests. They check port semantics only.
 *
 * `open` is called once, before the tests; the suite closes the store after
 * them. Every test writes under a key prefix of its own (unique per run), so
 * the store may hold other data and may be shared with other suites.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { prefixEnd, utf8 } from './keys.ts';
import { MAX_SCAN_LIMIT, type Bytes, type KvEntry, type KvStore } from './port.ts';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const hex = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : Buffer.from(value).toString('hex');
const hexEntries = (entries: readonly KvEntry[]): [string, string][] =>
  entries.map((e) => [hex(e.key)!, hex(e.value)!]);
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const counterValue = (n: number): Uint8Array => utf8(String(n));
const counterOf = (value: Bytes | undefined): number =>
  value === undefined ? 0 : Number(Buffer.from(value).toString('utf8'));

export interface KvConformanceOptions {
  /** The adapter honours KvWrite.version (and says so with `versionedWrites`): run the versioned-write tests. */
  readonly versionedWrites?: boolean;
}

export function kvConformance(name: string, open: () => Promise<KvStore>, options: KvConformanceOptions = {}): void {
  describe(`KvStore conformance: ${name}`, () => {
    let store: KvStore;
    const run = randomUUID();
    let tests = 0;

    /** A key prefix no other test (of this or another run) uses, nor extends. */
    function freshPrefix(): Uint8Array {
      tests += 1;
      return utf8(`kv-conformance/${run}/${String(tests).padStart(4, '0')}/`);
    }
    /** Keys under a prefix, each the prefix followed by the given bytes. */
    const under =
      (prefix: Uint8Array) =>
      (...tail: number[]) =>
        concat(prefix, bytes(...tail));
    const scanAll = (prefix: Uint8Array, reverse = false) =>
      store.scan({ start: prefix, end: prefixEnd(prefix), limit: MAX_SCAN_LIMIT, reverse });

    before(async () => {
      store = await open();
    });
    after(async () => {
      await store?.close();
    });

    it('gets what was put, nothing once deleted, and deletes missing keys quietly', async () => {
      const k = under(freshPrefix());
      assert.equal(await store.get(k(1)), undefined);
      await store.put(k(1), bytes(10, 20));
      assert.equal(hex(await store.get(k(1))), '0a14');
      await store.delete(k(1));
      assert.equal(await store.get(k(1)), undefined);
      await store.delete(k(2));
      assert.equal(await store.get(k(2)), undefined);
    });

    it('overwrites a value, including with a shorter one', async () => {
      const k = under(freshPrefix());
      await store.put(k(1), bytes(1, 2, 3));
      await store.put(k(1), bytes(9));
      assert.equal(hex(await store.get(k(1))), '09');
    });

    it('getMany answers in the order of the keys, undefined where absent, repeats included', async () => {
      const k = under(freshPrefix());
      await store.put(k(1), bytes(0x11));
      await store.put(k(2), bytes(0x22));
      const values = await store.getMany([k(2), k(3), k(1), k(2)]);
      assert.deepEqual(values.map(hex), ['22', undefined, '11', '22']);
      assert.deepEqual(await store.getMany([]), []);
    });

    it('keeps keys and values with 0x00 and 0xff bytes apart and intact', async () => {
      const k = under(freshPrefix());
      const keys = [k(0x00), k(0x00, 0x00), k(0x00, 0xff), k(0xff), k(0xff, 0xff), k(0xff, 0x00)];
      const everyByte = new Uint8Array(256).map((_, i) => i);
      for (const [i, key] of keys.entries()) await store.put(key, concat(bytes(i), everyByte));
      for (const [i, key] of keys.entries()) assert.equal(hex(await store.get(key)), hex(concat(bytes(i), everyByte)));
    });

    it('holds its own copy of written bytes', async () => {
      const k = under(freshPrefix());
      const key = k(1);
      const value = bytes(1, 2, 3);
      const written = store.put(key, value);
      value[0] = 99;
      key[key.length - 1] = 2;
      await written;
      assert.equal(hex(await store.get(k(1))), '010203');
      assert.equal(await store.get(k(2)), undefined);
      const read = (await store.get(k(1)))!;
      read[0] = 77;
      assert.equal(hex(await store.get(k(1))), '010203');

      const batchKey = k(3);
      const batchValue = bytes(3, 3);
      const expected = bytes(1, 2, 3);
      const batched = store.batch([{ key: batchKey, value: batchValue }], [{ key: k(1), expected }]);
      batchKey[batchKey.length - 1] = 4;
      batchValue[0] = 99;
      expected[0] = 99;
      assert.equal(await batched, true);
      assert.equal(hex(await store.get(k(3))), '0303');
      assert.equal(await store.get(k(4)), undefined);

      const next = bytes(5);
      const swapping = store.compareAndSwap(k(5), null, next);
      next[0] = 99;
      assert.equal((await swapping).swapped, true);
      assert.equal(hex(await store.get(k(5))), '05');
    });

    it('scans in unsigned byte order: a key before its extensions, 0x80 and above after 0x7f', async () => {
      const prefix = freshPrefix();
      const k = under(prefix);
      const ordered = [
        k(0x01),
        k(0x01, 0x00),
        k(0x01, 0xff),
        k(0x02),
        k(0x7f),
        k(0x80),
        k(0x80, 0x00),
        k(0xfe),
        k(0xff),
        k(0xff, 0xff),
      ];
      const shuffled = [6, 2, 9, 0, 4, 8, 1, 7, 3, 5].map((i) => ordered[i]!);
      for (const key of shuffled) await store.put(key, key.subarray(prefix.length));
      const forward = await scanAll(prefix);
      assert.deepEqual(
        forward.map((e) => hex(e.key)),
        ordered.map(hex),
      );
      assert.deepEqual(
        forward.map((e) => hex(e.value)),
        ordered.map((key) => hex(key.subarray(prefix.length))),
      );
      const backward = await scanAll(prefix, true);
      assert.deepEqual(
        backward.map((e) => hex(e.key)),
        [...ordered].reverse().map(hex),
      );
    });

    it('scans from start inclusive to end exclusive, in both directions', async () => {
      const k = under(freshPrefix());
      for (const b of [1, 2, 3, 4, 5]) await store.put(k(b), bytes(b));
      const forward = await store.scan({ start: k(2), end: k(4), limit: 100 });
      assert.deepEqual(hexEntries(forward), [
        [hex(k(2)), '02'],
        [hex(k(3)), '03'],
      ]);
      const backward = await store.scan({ start: k(2), end: k(4), limit: 100, reverse: true });
      assert.deepEqual(hexEntries(backward), [
        [hex(k(3)), '03'],
        [hex(k(2)), '02'],
      ]);
      // Bounds that fall between keys.
      const between = await store.scan({ start: k(1, 0), end: k(3, 0), limit: 100 });
      assert.deepEqual(
        between.map((e) => hex(e.key)),
        [hex(k(2)), hex(k(3))],
      );
      const betweenBackward = await store.scan({ start: k(1, 0), end: k(3, 0), limit: 100, reverse: true });
      assert.deepEqual(
        betweenBackward.map((e) => hex(e.key)),
        [hex(k(3)), hex(k(2))],
      );
    });

    it('scans nothing when start is not below end', async () => {
      const k = under(freshPrefix());
      await store.put(k(1), bytes(1));
      await store.put(k(2), bytes(2));
      assert.deepEqual(await store.scan({ start: k(1), end: k(1), limit: 10 }), []);
      assert.deepEqual(await store.scan({ start: k(2), end: k(1), limit: 10 }), []);
      assert.deepEqual(await store.scan({ start: k(2), end: k(1), limit: 10, reverse: true }), []);
    });

    it('stops at the limit: the smallest keys forward, the largest reverse', async () => {
      const prefix = freshPrefix();
      const k = under(prefix);
      for (let b = 1; b <= 10; b++) await store.put(k(b), bytes(b));
      const first = await store.scan({ start: prefix, end: prefixEnd(prefix), limit: 3 });
      assert.deepEqual(
        first.map((e) => hex(e.value)),
        ['01', '02', '03'],
      );
      const last = await store.scan({ start: prefix, end: prefixEnd(prefix), limit: 3, reverse: true });
      assert.deepEqual(
        last.map((e) => hex(e.value)),
        ['0a', '09', '08'],
      );
      const one = await store.scan({ start: prefix, end: prefixEnd(prefix), limit: 1 });
      assert.deepEqual(
        one.map((e) => hex(e.value)),
        ['01'],
      );
    });

    it('pages through a range with the limit, every key once', async () => {
      const prefix = freshPrefix();
      const k = under(prefix);
      const written: string[] = [];
      for (let b = 0; b < 30; b++) {
        await store.put(k(b * 8), bytes(b));
        written.push(hex(k(b * 8))!);
      }
      const seen: string[] = [];
      let start = prefix;
      for (;;) {
        const page = await store.scan({ start, end: prefixEnd(prefix), limit: 7 });
        assert.ok(page.length <= 7);
        seen.push(...page.map((e) => hex(e.key)!));
        if (page.length < 7) break;
        start = concat(page[page.length - 1]!.key, bytes(0));
      }
      assert.deepEqual(seen, written);
    });

    it('a batch writes and deletes together', async () => {
      const k = under(freshPrefix());
      await store.put(k(1), bytes(1));
      await store.put(k(2), bytes(2));
      const ok = await store.batch([
        { key: k(1), value: null },
        { key: k(3), value: bytes(3) },
        { key: k(2), value: bytes(22) },
      ]);
      assert.equal(ok, true);
      assert.deepEqual((await store.getMany([k(1), k(2), k(3)])).map(hex), [undefined, '16', '03']);
    });

    it('a batch whose conditions hold commits everything and resolves true', async () => {
      const k = under(freshPrefix());
      await store.put(k(1), bytes(1));
      await store.put(k(2), bytes(2));
      const ok = await store.batch(
        [
          { key: k(1), value: bytes(11) },
          { key: k(2), value: null },
          { key: k(3), value: bytes(33) },
        ],
        [
          { key: k(1), expected: bytes(1) },
          { key: k(4), expected: null },
        ],
      );
      assert.equal(ok, true);
      assert.deepEqual((await store.getMany([k(1), k(2), k(3)])).map(hex), ['0b', undefined, '21']);
    });

    it('a batch with a failing condition writes nothing and resolves false', async () => {
      const k = under(freshPrefix());
      await store.put(k(1), bytes(1));
      await store.put(k(2), bytes(2));
      const writes = [
        { key: k(1), value: bytes(11) },
        { key: k(2), value: null },
        { key: k(3), value: bytes(33) },
      ];
      // One condition holds, one does not.
      assert.equal(
        await store.batch(writes, [
          { key: k(1), expected: bytes(1) },
          { key: k(2), expected: bytes(99) },
        ]),
        false,
      );
      // The stored value only starts like the expected one.
      assert.equal(await store.batch(writes, [{ key: k(1), expected: bytes(1, 0) }]), false);
      // Expected absent, but present.
      assert.equal(await store.batch(writes, [{ key: k(2), expected: null }]), false);
      // Expected a value, but absent.
      assert.equal(await store.batch(writes, [{ key: k(5), expected: bytes(5) }]), false);
      assert.deepEqual((await store.getMany([k(1), k(2), k(3)])).map(hex), ['01', '02', undefined]);
    });

    it('concurrent batches that each expect a key absent: exactly one commits', async () => {
      const k = under(freshPrefix());
      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.batch(
            [
              { key: k(0), value: bytes(i) },
              { key: k(1, i), value: bytes(i) },
            ],
            [{ key: k(0), expected: null }],
          ),
        ),
      );
      assert.equal(claims.filter(Boolean).length, 1);
      const winner = claims.indexOf(true);
      assert.equal(hex(await store.get(k(0))), hex(bytes(winner)));
      const marks = await store.scan({ start: k(1), end: k(2), limit: 100 });
      assert.deepEqual(
        marks.map((e) => hex(e.key)),
        [hex(k(1, winner))],
      );
    });

    it('compareAndSwap creates, refuses, replaces and deletes, reporting the previous value', async () => {
      const k = under(freshPrefix());
      assert.deepEqual(await store.compareAndSwap(k(1), bytes(7), bytes(8)).then(show), {
        swapped: false,
        previous: undefined,
      });
      assert.equal(await store.get(k(1)), undefined);

      assert.deepEqual(await store.compareAndSwap(k(1), null, bytes(1)).then(show), {
        swapped: true,
        previous: undefined,
      });
      assert.deepEqual(await store.compareAndSwap(k(1), null, bytes(2)).then(show), { swapped: false, previous: '01' });
      assert.deepEqual(await store.compareAndSwap(k(1), bytes(9), bytes(2)).then(show), {
        swapped: false,
        previous: '01',
      });
      assert.deepEqual(await store.compareAndSwap(k(1), bytes(1, 0), bytes(2)).then(show), {
        swapped: false,
        previous: '01',
      });
      assert.equal(hex(await store.get(k(1))), '01');

      assert.deepEqual(await store.compareAndSwap(k(1), bytes(1), bytes(2, 2)).then(show), {
        swapped: true,
        previous: '01',
      });
      assert.equal(hex(await store.get(k(1))), '0202');

      assert.deepEqual(await store.compareAndSwap(k(1), bytes(2, 2), null).then(show), {
        swapped: true,
        previous: '0202',
      });
      assert.equal(await store.get(k(1)), undefined);
    });

    it('concurrent compare-and-swap increments lose no update', async () => {
      const k = under(freshPrefix());
      const counter = k(1);
      const loops = 50;
      let swaps = 0;
      const increment = async (): Promise<void> => {
        for (let attempt = 0; attempt < 10_000; attempt++) {
          const current = await store.get(counter);
          const result = await store.compareAndSwap(counter, current ?? null, counterValue(counterOf(current) + 1));
          if (result.swapped) {
            swaps += 1;
            return;
          }
          assert.notEqual(hex(result.previous), hex(current), 'a failed swap reports the value that was there');
        }
        throw new Error('increment never succeeded');
      };
      await Promise.all(Array.from({ length: loops }, increment));
      assert.equal(swaps, loops);
      assert.equal(counterOf(await store.get(counter)), loops);
    });

    it('round-trips values up to 1 MiB', async () => {
      const prefix = freshPrefix();
      const k = under(prefix);
      const big = new Uint8Array(1024 * 1024).map((_, i) => (i * 31 + 7) & 0xff);
      await store.put(k(1), big);
      await store.batch([{ key: k(2), value: big }]);
      const got = await store.get(k(1));
      assert.equal(got?.length, big.length);
      assert.ok(Buffer.from(got!).equals(big));
      const scanned = await scanAll(prefix);
      assert.equal(scanned.length, 2);
      for (const entry of scanned) assert.ok(Buffer.from(entry.value).equals(big));
    });

    // Versioned writes (KvWrite.version): adapters that honour them (TiKV).
    const versioned = (t: { skip: (why: string) => void }): boolean => {
      if (options.versionedWrites !== true) {
        t.skip('this adapter orders writers by an atomic fence instead of versions');
        return false;
      }
      return true;
    };

    it('versioned writes: a late write with an older version does not replace a newer row, nor does the same version', async (t) => {
      if (!versioned(t)) return;
      const k = under(freshPrefix());
      assert.equal(
        await store.batch([
          { key: k(1), value: bytes(20), version: 20 },
          { key: k(9), value: utf8('20'), version: 20 },
        ]),
        true,
      );
      // A stale owner's batch of commit 15 arrives after the newer one: nothing of it replaces a newer row.
      await store.batch([
        { key: k(1), value: bytes(15), version: 15 },
        { key: k(2), value: bytes(15), version: 15 },
        { key: k(9), value: utf8('15'), version: 15 },
      ]);
      assert.deepEqual((await store.getMany([k(1), k(2), k(9)])).map(hex), ['14', '0f', hex(utf8('20'))]);
      await store.batch([{ key: k(1), value: bytes(99), version: 20 }]);
      assert.equal(hex(await store.get(k(1))), '14', 'the same version does not replace the row');
      await store.batch([{ key: k(1), value: bytes(21), version: 21 }]);
      assert.equal(hex(await store.get(k(1))), '15', 'a newer version does');
      // A value written without a version is older than any versioned one.
      await store.put(k(3), bytes(1));
      await store.batch([{ key: k(3), value: bytes(0), version: 0 }]);
      assert.equal(hex(await store.get(k(3))), '00');
      assert.deepEqual(hexEntries(await store.scan({ start: k(1), end: k(4), limit: 10 })), [
        [hex(k(1))!, '15'],
        [hex(k(2))!, '0f'],
        [hex(k(3))!, '00'],
      ]);
    });

    it('versioned writes: a versioned delete reads as absent and keeps an older put from bringing the key back', async (t) => {
      if (!versioned(t)) return;
      const prefix = freshPrefix();
      const k = under(prefix);
      await store.batch([
        { key: k(1), value: bytes(1), version: 10 },
        { key: k(2), value: bytes(2), version: 10 },
      ]);
      await store.batch([{ key: k(1), value: null, version: 12 }]);
      assert.equal(await store.get(k(1)), undefined);
      await store.batch([{ key: k(1), value: bytes(11), version: 11 }]);
      assert.equal(await store.get(k(1)), undefined, 'the stale put of version 11 stays deleted');
      assert.deepEqual(hexEntries(await scanAll(prefix)), [[hex(k(2))!, '02']]);
      assert.deepEqual(hexEntries(await scanAll(prefix, true)), [[hex(k(2))!, '02']]);
      await store.batch([{ key: k(1), value: bytes(13), version: 13 }]);
      assert.equal(hex(await store.get(k(1))), '0d', 'a newer put after the delete lands');
    });

    it('versioned writes: concurrent writers of many versions leave every key at its highest version', async (t) => {
      if (!versioned(t)) return;
      const k = under(freshPrefix());
      const versions = Array.from({ length: 30 }, (_, i) => i + 1).sort(() => Math.random() - 0.5);
      // Each "owner" writes the same five rows and a checkpoint at its own version, all at once, in a random order.
      await Promise.all(
        versions.map((v) =>
          store.batch([
            ...[1, 2, 3, 4, 5].map((r) => ({ key: k(r), value: bytes(v), version: v })),
            { key: k(0), value: utf8(String(v)), version: v },
          ]),
        ),
      );
      assert.deepEqual((await store.getMany([1, 2, 3, 4, 5].map((r) => k(r)))).map(hex), Array(5).fill('1e'));
      assert.equal(counterOf(await store.get(k(0))), 30, 'the checkpoint never moved backwards');
    });

    it('versioned writes: a bad version is refused with a RangeError and nothing changes', async (t) => {
      if (!versioned(t)) return;
      const k = under(freshPrefix());
      await store.batch([{ key: k(1), value: bytes(1), version: 5 }]);
      for (const version of [-1, 1.5, Number.NaN, 2 ** 53]) {
        await assert.rejects(
          store.batch([
            { key: k(2), value: bytes(2) },
            { key: k(1), value: bytes(9), version },
          ]),
          RangeError,
          `version ${version}`,
        );
      }
      assert.deepEqual((await store.getMany([k(1), k(2)])).map(hex), ['01', undefined]);
      assert.equal(store.versionedWrites, true, 'the adapter declares versionedWrites');
    });

    it('rejects an empty key with a RangeError and changes nothing', async () => {
      const k = under(freshPrefix());
      const empty = bytes();
      await store.put(k(1), bytes(1));
      await assert.rejects(store.get(empty), RangeError);
      await assert.rejects(store.getMany([k(1), empty]), RangeError);
      await assert.rejects(store.put(empty, bytes(1)), RangeError);
      await assert.rejects(store.delete(empty), RangeError);
      await assert.rejects(store.compareAndSwap(empty, null, bytes(1)), RangeError);
      await assert.rejects(
        store.batch([
          { key: k(2), value: bytes(2) },
          { key: k(1), value: null },
          { key: empty, value: bytes(3) },
        ]),
        RangeError,
      );
      await assert.rejects(store.batch([{ key: k(2), value: bytes(2) }], [{ key: empty, expected: null }]), RangeError);
      assert.deepEqual((await store.getMany([k(1), k(2)])).map(hex), ['01', undefined]);
    });

    it('rejects a scan limit outside 1..10240 and an empty end with a RangeError', async () => {
      const prefix = freshPrefix();
      const k = under(prefix);
      await store.put(k(1), bytes(1));
      const end = prefixEnd(prefix);
      for (const limit of [0, -1, MAX_SCAN_LIMIT + 1, 1.5, Number.NaN]) {
        await assert.rejects(store.scan({ start: prefix, end, limit }), RangeError, `limit ${limit}`);
      }
      await assert.rejects(store.scan({ start: prefix, end: bytes(), limit: 10 }), RangeError);
      assert.equal((await store.scan({ start: prefix, end, limit: MAX_SCAN_LIMIT })).length, 1);
      assert.equal(hex(await store.get(k(1))), '01');
    });
  });
}

function show(result: { swapped: boolean; previous: Bytes | undefined }): {
  swapped: boolean;
  previous: string | undefined;
} {
  return { swapped: result.swapped, previous: hex(result.previous) };
}
