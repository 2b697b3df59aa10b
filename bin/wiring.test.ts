/**
 * The wiring record (bin/wiring.ts): every query view of projections/ is built once, over the
 * stores it is given, and the record cannot be changed afterwards (one instance per process).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStores, type EmbeddedStores } from '../stores/embedded.ts';
import { sessionsKeys } from '../projections/sessions/schema.ts';
import { buildViews } from './wiring.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The view classes projections/ declares (`export class XView` in a queries.ts). */
function declaredViews(): string[] {
  const out: string[] = [];
  for (const dir of fs.readdirSync(path.join(root, 'projections'), { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const file = path.join(root, 'projections', dir.name, 'queries.ts');
    if (!fs.existsSync(file)) continue;
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/export class (\w+View)\b/g)) out.push(m[1]!);
  }
  return out.sort();
}

describe('the wiring record', () => {
  let dir: string;
  let stores: EmbeddedStores;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-wiring-'));
    stores = await openEmbeddedStores(dir);
  });
  after(async () => {
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds every view projections/ declares, one instance each', () => {
    const views = buildViews(stores);
    const built = Object.values(views).map((v: object) => v.constructor.name);
    assert.deepEqual([...built].sort(), declaredViews());
    assert.equal(new Set(Object.values(views)).size, built.length, 'no view instance serves twice under two names');
  });

  it('reads the stores it was given', async () => {
    const views = buildViews(stores);
    assert.equal(await views.sessions.applied(), 0, 'an empty sessions view has applied nothing');
    await stores.kv.put(sessionsKeys.checkpoint, Buffer.from('42'));
    assert.equal(await views.sessions.applied(), 42, 'the sessions view reads the store it was built over');
    assert.equal(await views.users.byId('00000000-0000-4000-8000-000000000000'), undefined);
  });

  it('cannot be changed once built', () => {
    const views = buildViews(stores);
    assert.throws(() => {
      (views as unknown as Record<string, unknown>)['users'] = undefined;
    }, TypeError);
  });
});
