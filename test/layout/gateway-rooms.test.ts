/**
 * The gateways' rooms and the one wiring place (docs/adr/0310-one-wiring-record-and-gateway-rooms.md):
 *
 * - gateways/ never imports stores/ or the projection runtime, projections/ never imports
 *   gateways/, and no import cycle (of modules, or of folders) touches gateways/ or bin/: checked
 *   by dependency-cruiser with the repository's own rules (.dependency-cruiser.cjs), with no
 *   known-violations baseline to hide behind;
 * - every gRPC service has its own folder, gateways/grpc/<service>/, beside the shared server
 *   machinery of gateways/grpc/, and what every transport shares is in gateways/shared/;
 * - no gateway builds a view or its own copy of a process-wide part (device delivery, typing
 *   limits, stream slots, auth throttles): bin/ builds them once (bin/wiring.ts, bin/app.ts) and
 *   hands each service the ones it uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Violation {
  readonly type?: string;
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string; readonly severity: string };
  readonly cycle?: readonly { readonly name: string }[];
}

/** Every violation of the repository's import rules among these folders, the baseline ignored. */
async function violations(folders: readonly string[]): Promise<Violation[]> {
  const bin = path.join(root, 'node_modules', '.bin', 'depcruise');
  const { stdout } = await promisify(execFile)(
    bin,
    ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...folders],
    { cwd: root, maxBuffer: 256 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const show = (v: Violation) =>
  `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

const SERVICES = ['auth', 'messaging', 'presence', 'media', 'call'] as const;

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) yield* sourceFiles(rel);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield rel;
  }
}

test('gateways import neither stores nor the projection runtime, projections no gateway, and no cycle touches gateways/ or bin/', {
  timeout: 300_000,
}, async () => {
  const found = await violations(['gateways', 'bin', 'projections']);
  const touches = (v: Violation, folder: string) =>
    v.from.startsWith(folder) || v.to.startsWith(folder) || (v.cycle ?? []).some((c) => c.name.startsWith(folder));
  const broken = found.filter(
    (v) =>
      ['gateways-not-stores', 'gateways-not-projection-runtime', 'projections-not-gateways'].includes(v.rule.name) ||
      (['no-module-cycle', 'no-folder-cycle'].includes(v.rule.name) && (touches(v, 'gateways') || touches(v, 'bin/'))),
  );
  assert.deepEqual(broken.map(show), []);
});

test('each gRPC service has its own folder; the shared server machinery and gateways/shared/ stay beside them', () => {
  for (const service of SERVICES) {
    const dir = path.join(root, 'gateways', 'grpc', service);
    assert.ok(fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory(), `gateways/grpc/${service}/ exists`);
    assert.ok(
      fs.readdirSync(dir).some((f) => f.endsWith('.ts')),
      `gateways/grpc/${service}/ holds the service's code`,
    );
  }
  const loose = fs
    .readdirSync(path.join(root, 'gateways', 'grpc'))
    .filter((f) => f.endsWith('.ts') && SERVICES.some((s) => f === `${s}.ts` || f.startsWith(`${s}-`)));
  assert.deepEqual(loose, [], 'service files left in gateways/grpc/ instead of their folder');
  for (const shared of ['errors.ts', 'auth-context.ts', 'validation.ts']) {
    assert.ok(fs.existsSync(path.join(root, 'gateways', 'shared', shared)), `gateways/shared/${shared}`);
  }
});

test('no gateway builds a view or its own copy of a process-wide part', () => {
  /** What only bin/ builds: views, and the parts one process shares between its gateways. */
  const BUILT_IN_BIN =
    /\bnew\s+(\w+View|DeviceDelivery|TypingSender|AuthLimits|StreamSlots)\s*\(|\bStreamSlots\.configured\s*\(/g;
  const offenders: string[] = [];
  for (const file of sourceFiles('gateways')) {
    // The one definition of a part may construct itself (a static factory).
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(BUILT_IN_BIN)) {
      const part = m[1] ?? 'StreamSlots';
      const defines = new RegExp(`\\bexport\\s+class\\s+${part}\\b`).test(text);
      if (!defines) offenders.push(`${file}: ${m[0]}`);
    }
  }
  assert.deepEqual(offenders, [], 'build these once in bin/ (bin/wiring.ts, bin/app.ts) and pass them in');
});
