import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { openEmbeddedStores, type EmbeddedStores } from '../../stores/embedded.ts';
import type { KvEntry, KvStore, ScanOptions } from '../../stores/kv/port.ts';
import { UsersView } from './queries.ts';
import { userRecord, usernameRecord, usersKeys } from './schema.ts';
import { searchCursor, searchUsers } from './search-users.ts';

/** Counts the rows every scan hands back, to show a search reads only its prefix's range. */
function counting(kv: KvStore): { kv: KvStore; scanned: () => number } {
  let rows = 0;
  const proxy = Object.create(kv) as KvStore;
  proxy.scan = async (options: ScanOptions): Promise<KvEntry[]> => {
    const r = await kv.scan(options);
    rows += r.length;
    return r;
  };
  return { kv: proxy, scanned: () => rows };
}

describe('searchUsers over the users view', () => {
  let dir: string;
  let stores: EmbeddedStores;
  const ids = new Map<string, string>();

  async function addUser(username: string, options: { indexOnly?: boolean } = {}): Promise<string> {
    const userId = `id-${username.toLowerCase()}`;
    ids.set(username, userId);
    const writes = [{ key: usersKeys.byName(username), value: usernameRecord.encode({ userId }) }];
    if (!options.indexOnly)
      writes.push({
        key: usersKeys.byId(userId),
        value: userRecord.encode({ userId, username, email: '', createdAt: 1, devices: [] }),
      });
    await stores.kv.batch(writes);
    return userId;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-search-'));
    stores = await openEmbeddedStores(dir);
    // 2,000 users outside the prefix on both sides, and the ones that match "ann".
    const filler = Array.from({ length: 1000 }, (_, i) => [`aaa_${i}`, `zzz_${i}`]).flat();
    for (const name of filler) await addUser(name);
    for (const name of ['ann', 'Anna', 'ANNE', 'annika_2', 'Ann_Marie', 'annz', 'ano', 'an', 'bann'])
      await addUser(name);
    await addUser('annabel', { indexOnly: true }); // a record that is gone (e.g. mid-deletion): skipped
  });
  after(async () => {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const names = async (query: string, caller = 'nobody', limit = 100, cursor = '') => {
    const r = await searchUsers(new UsersView(stores.kv), { query, callerUserId: caller, limit, cursor });
    assert.ok(isRight(r), JSON.stringify(r));
    return r.right;
  };

  test('matches the prefix case-insensitively, in lower-case name order, and nothing else', async () => {
    const r = await names('ANN');
    assert.deepEqual(
      r.users.map((u) => u.username),
      ['ann', 'Ann_Marie', 'Anna', 'ANNE', 'annika_2', 'annz'],
    );
    assert.equal(r.hasMore, false);
    assert.equal(r.nextCursor, '');
    assert.deepEqual(
      (await names('annz')).users.map((u) => u.username),
      ['annz'],
    );
    assert.deepEqual((await names('annzz')).users, []);
    assert.equal((await names('aaa_')).users.length, 100);
  });

  test('reads only the rows of the prefix range, however many users exist', async () => {
    const { kv, scanned } = counting(stores.kv);
    const r = await searchUsers(new UsersView(kv), { query: 'ann', callerUserId: 'x', limit: 2, cursor: '' });
    assert.ok(isRight(r));
    assert.ok(scanned() <= 4, `scanned ${scanned()} rows for a page of 2`);
  });

  test('pages without gap or repeat, and never lists the caller while keeping pages full', async () => {
    const caller = ids.get('Anna')!;
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor = '';
    for (;;) {
      const page = await names('ann', caller, 2, cursor);
      seen.push(...page.users.map((u) => u.username));
      sizes.push(page.users.length);
      if (!page.hasMore) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, ['ann', 'Ann_Marie', 'ANNE', 'annika_2', 'annz']);
    assert.deepEqual(sizes, [2, 2, 1]);
  });

  test('the page is full and has_more correct when skipped rows come in a run', async () => {
    // 'annabel' (no record) and the caller 'Anna' sit between 'Ann_Marie' and 'ANNE'.
    const caller = ids.get('Anna')!;
    const p1 = await names('ann', caller, 2);
    assert.deepEqual(
      p1.users.map((u) => u.username),
      ['ann', 'Ann_Marie'],
    );
    assert.equal(p1.hasMore, true);
    const p2 = await names('ann', caller, 1, p1.nextCursor);
    assert.deepEqual(
      p2.users.map((u) => u.username),
      ['ANNE'],
    );
    const last = await names('ann', caller, 3, p2.nextCursor);
    assert.deepEqual(
      last.users.map((u) => u.username),
      ['annika_2', 'annz'],
    );
    assert.equal(last.hasMore, false);
    // Exactly a page left: has_more is false.
    const exact = await names('anni', caller, 1);
    assert.deepEqual([exact.users.length, exact.hasMore], [1, false]);
  });

  test('refuses cursors it did not issue for this prefix', async () => {
    const view = new UsersView(stores.kv);
    for (const cursor of [
      'garbage',
      searchCursor.encode('zzz_1'),
      Buffer.from('v9:ann').toString('base64url'),
      searchCursor.encode('ANN'),
      'a'.repeat(65),
    ]) {
      const r = await searchUsers(view, { query: 'ann', callerUserId: 'x', limit: 5, cursor });
      assert.ok(isLeft(r), cursor);
      assert.deepEqual([r.left.code, r.left.field], ['INVALID_REQUEST', 'cursor']);
    }
    assert.equal(searchCursor.decode(searchCursor.encode('annz'), 'ann'), 'annz');
  });
});
