/**
 * The process-level policy, in a child process each: an unhandled rejection is
 * logged with an incident id and the process keeps running; an uncaught exception
 * is logged (fatal, incident id) and the process exits with 70 for its supervisor.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const GUARDS = fileURLToPath(new URL('./process-guards.ts', import.meta.url));
const LOGGER = fileURLToPath(new URL('./logger.ts', import.meta.url));

function run(body: string): { status: number | null; lines: Array<Record<string, unknown>>; stdout: string } {
  const script = `import { installProcessGuards } from ${JSON.stringify(GUARDS)};
import { createLogger } from ${JSON.stringify(LOGGER)};
installProcessGuards(createLogger('info'));
${body}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: r.status, lines, stdout: r.stdout };
}

describe('process guards', () => {
  it('an unhandled rejection is logged with an incident id and the process keeps serving', () => {
    const r = run(`Promise.reject(new Error('missed catch'));
setTimeout(() => { console.log('still serving'); process.exit(0); }, 200);`);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /still serving/);
    const line = r.lines.find(
      (l) => l['msg'] !== undefined && String(l['msg']).startsWith('unhandled promise rejection'),
    );
    assert.ok(line, r.stdout);
    assert.match(String(line['incident']), /^[0-9a-f-]{36}$/);
    assert.equal(line['level'], 50);
  });

  it('an uncaught exception is logged (fatal, incident id) and the process exits 70', () => {
    const r = run(`setTimeout(() => { throw new Error('state unknown'); }, 10);
setTimeout(() => { console.log('still serving'); process.exit(0); }, 2000);`);
    assert.equal(r.status, 70);
    assert.doesNotMatch(r.stdout, /still serving/);
    const line = r.lines.find((l) => l['level'] === 60);
    assert.ok(line, r.stdout);
    assert.match(String(line['incident']), /^[0-9a-f-]{36}$/);
  });

  it('a thrown non-Error is logged by its kind only', () => {
    const r = run(`Promise.reject({ password: 'secret' });
setTimeout(() => process.exit(0), 200);`);
    assert.doesNotMatch(r.stdout, /secret/);
    assert.ok(r.lines.some((l) => l['thrown'] === 'object Object'));
  });
});
