/**
 * A person at a terminal gets readable log lines, a pipe gets JSON: `auto` (the default of
 * GUARDYN_LOG_FORMAT) chooses by whether stdout is a terminal; `pretty` and `json` force one.
 * The terminal case runs the logger under a pseudo-terminal (util-linux `script`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseLogFormat } from './logger.ts';
import { loadConfig, ConfigError } from './config.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = `import { createLogger } from './runtime/logger.ts';
import { loadConfig } from './runtime/config.ts';
const c = loadConfig();
createLogger('info', 'guardyn', c.logFormat).info({ user: 'u1', password: 'hunter2' }, 'hello from the logger');`;
const nodeArgs = ['--import', 'tsx', '--input-type=module', '-e', CHILD];
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

function run(format: string | undefined, terminal: boolean): string {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['GUARDYN_LOG_FORMAT'];
  if (format !== undefined) env['GUARDYN_LOG_FORMAT'] = format;
  const quote = (a: string) => `'${a.replaceAll("'", "'\\''")}'`;
  const r = terminal
    ? spawnSync('script', ['-qec', [process.execPath, ...nodeArgs].map(quote).join(' '), '/dev/null'], {
        cwd: root,
        env,
        encoding: 'utf8',
        timeout: 120_000,
      })
    : spawnSync(process.execPath, nodeArgs, { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the colour codes of a terminal
  return r.stdout.replace(/\r/g, '').replace(/\x1b\[[0-9;]*m/g, '');
}

function isJsonLine(out: string): boolean {
  const line = out.trim().split('\n').at(-1) ?? '';
  try {
    return (JSON.parse(line) as { msg?: string }).msg === 'hello from the logger';
  } catch {
    return false;
  }
}

describe('log format', () => {
  it('auto is pretty on a terminal and JSON otherwise; pretty and json force it', () => {
    assert.equal(chooseLogFormat('auto', true), 'pretty');
    assert.equal(chooseLogFormat('auto', false), 'json');
    assert.equal(chooseLogFormat('json', true), 'json');
    assert.equal(chooseLogFormat('pretty', false), 'pretty');
  });

  it('GUARDYN_LOG_FORMAT: auto by default, a bad value stops the start naming it', () => {
    assert.equal(loadConfig({}).logFormat, 'auto');
    assert.equal(loadConfig({ GUARDYN_LOG_FORMAT: 'JSON' }).logFormat, 'json');
    assert.throws(
      () => loadConfig({ GUARDYN_LOG_FORMAT: 'loud' }),
      (e: Error) =>
        e instanceof ConfigError && /GUARDYN_LOG_FORMAT="loud" must be one of auto, pretty, json/.test(e.message),
    );
  });

  it('a pipe gets one JSON object a line, secrets redacted', () => {
    const out = run(undefined, false);
    assert.ok(isJsonLine(out), out);
    assert.ok(!out.includes('hunter2'));
  });

  it('a terminal gets readable lines (level, message, fields), secrets redacted', {
    skip: hasScript ? false : 'no `script` (util-linux) for a pseudo-terminal',
  }, () => {
    const out = run(undefined, true);
    assert.ok(!isJsonLine(out), `expected readable lines, got JSON:\n${out}`);
    assert.match(out, /INFO.*\(guardyn\): hello from the logger/);
    assert.match(out, /user: "u1"/);
    assert.match(out, /password: "\[redacted\]"/);
    assert.ok(!out.includes('hunter2'));
  });

  it('GUARDYN_LOG_FORMAT=json on a terminal gives JSON; =pretty in a pipe gives readable lines', {
    skip: hasScript ? false : 'no `script` (util-linux)',
  }, () => {
    assert.ok(isJsonLine(run('json', true)));
    const piped = run('pretty', false);
    assert.ok(!isJsonLine(piped));
    assert.match(piped, /INFO.*hello from the logger/);
  });
});
