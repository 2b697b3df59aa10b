/**
 * The layout's first import rule (DESIGN.md): only `streams/` talks to NATS.
 * Every other file goes through the ports streams/ declares (the event log,
 * commit sources, core-NATS signals, the push queue), so nothing outside it
 * may import a `@nats-io/*` package. Benchmarks of raw NATS (`bench/`) are
 * the one standing exception.
 *
 * HARNESSES are test tools whose job is nats-server itself (starting one,
 * forming a cluster, rewriting a stream's raw messages to prove the audit
 * notices): going around the ports is their point. PENDING lists files still
 * importing NATS that another change moves behind streams/ ports. An entry of
 * either that no longer imports NATS fails the test too, so the lists only
 * shrink.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Top-level folders allowed to import NATS. */
const ALLOWED = new Set(['streams', 'bench']);
/** Never scanned: dependencies, build output, local servers and data. */
const SKIPPED = new Set(['node_modules', '.git', '.tmp', 'data', 'dist', 'coverage']);
const SOURCE = /\.(c|m)?(t|j)s$/;

/** Test tools that drive or tamper with nats-server itself, with why. */
const HARNESSES = new Map<string, string>([
  ['ops/nats/local-server.test.ts', 'tests the local nats-server install and its settings'],
  [
    'test/support/nats-cluster.ts',
    'starts a nats-server cluster and asks each node about its peers and stream leaders',
  ],
  ['test/support/tamper.ts', 'rewrites raw stream messages behind the event log, for the audit tests'],
  [
    'test/support/capture-envelopes.ts',
    'captures stored envelopes of every version as the samples the decoding tests read',
  ],
]);

/** Files another change moves behind streams/ ports (remove each entry with that change). */
const PENDING = new Set<string>([
  // The audit reads the log through streams/ (audit's own change).
  'audit/audit.test.ts',
  // The projection reader, its leases and rebuilds (the read path's change), and the test of its consumers.
  'test/e2e/projection-crash.test.ts',
]);

const excepted = (file: string) => HARNESSES.has(file) || PENDING.has(file);

/** A static import or re-export (`from` the package), a bare `import` of it, `import()` or `require()` of it. */
const NATS_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]@nats-io\//m;

export function importsNats(text: string): boolean {
  return NATS_IMPORT.test(text);
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const rel = path.relative(root, full).split(path.sep).join('/');
    if (entry.isDirectory()) {
      if (dir === root && ALLOWED.has(entry.name)) continue;
      yield* sourceFiles(full);
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield rel;
    }
  }
}

test('the import check sees every form of a NATS import', () => {
  const nats = ['@nats-io', ''].join('/'); // spelled apart, so this file does not import it
  assert.equal(importsNats(`import { connect } from '${nats}transport-node';`), true);
  assert.equal(importsNats(`import type {\n  JsMsg,\n} from "${nats}jetstream";`), true);
  assert.equal(importsNats(`export { Kvm } from '${nats}kv';`), true);
  assert.equal(importsNats(`const m = await import('${nats}jetstream');`), true);
  assert.equal(importsNats(`import '${nats}nats-core';`), true);
  assert.equal(importsNats(`import { natsSignals } from '../streams/signals.ts';`), false);
  assert.equal(importsNats(`// the NATS client (${nats}transport-node) lives in streams/`), false);
});

test('only streams/ (and bench/) import @nats-io packages', () => {
  const offenders = [...sourceFiles(root)].filter(
    (file) => !excepted(file) && importsNats(fs.readFileSync(path.join(root, file), 'utf8')),
  );
  assert.deepEqual(
    offenders,
    [],
    `these files import @nats-io outside streams/: use a port of streams/ instead (streams/signals.ts, streams/commit-follower.ts, …):\n  ${offenders.join('\n  ')}`,
  );
});

test('every excepted file still imports NATS (the lists only shrink)', () => {
  const stale = [...HARNESSES.keys(), ...PENDING].filter(
    (file) => !fs.existsSync(path.join(root, file)) || !importsNats(fs.readFileSync(path.join(root, file), 'utf8')),
  );
  assert.deepEqual(
    stale,
    [],
    `remove these from HARNESSES or PENDING in test/layout/nats-boundary.test.ts: they no longer import NATS`,
  );
});
