/**
 * A person at a terminal: every `guardyn` command answers `--help` and `-h` with exit 0, its
 * usage, each of its options and an example, before reading any configuration or reaching
 * any server; an unknown option says where the options are (`--help`) and exits 2.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROLES } from './app.ts';
import { VIEW_NAMES } from './rebuild.ts';
import { REBUILD_TARGETS, ROLE_NAMES } from './cli-help.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function guardyn(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env = { ...process.env, GUARDYN_MESSAGING__NATS_URL: 'nats://127.0.0.1:1', ...extraEnv };
  const r = spawnSync(process.execPath, [path.join(root, 'bin/guardyn.js'), ...args], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The options each command's help must name (what the command's code parses). */
const OPTIONS: Record<string, string[]> = {
  up: ['--log-format'],
  serve: ['--log-format', 'auth', 'messaging', 'presence', 'projections', 'media', 'notifications', 'all'],
  rebuild: ['--verify', '--switch', '--log-format', 'users', 'sessions', 'timeline', 'conversations'],
  bench: ['--duration', '--warmup', '--concurrency', '--processes', '--payload', '--rounds', 'send', 'baselines'],
  replay: ['--stream', '--subject', '--from', '--to', '--format', '--out', '--manifest'],
  audit: ['verify', 'as-of', 'report', '--stream', '--from', '--to', '--require-checkpoints', '--json', '--out'],
};

describe('guardyn <command> --help', () => {
  for (const [command, options] of Object.entries(OPTIONS)) {
    for (const flag of ['--help', '-h']) {
      it(`${command} ${flag}: exit 0, usage, every option, an example`, () => {
        // A configuration that would stop any real start: help must not read it.
        const r = guardyn(command === 'audit' ? [command, 'verify', flag] : [command, flag], {
          GUARDYN_NATS__PORT: 'not-a-port',
        });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^guardyn ${command}: `));
        assert.match(r.stdout, /\nusage:\n {2}guardyn /);
        assert.match(r.stdout, /\nexamples?:\n {2}\S/);
        for (const option of options)
          assert.ok(r.stdout.includes(option), `${command} --help names ${option}:\n${r.stdout}`);
        assert.equal(r.stderr, '');
      });
    }
  }

  it('names the roles and views the code has', () => {
    assert.deepEqual([...ROLE_NAMES], [...ROLES]);
    assert.deepEqual([...REBUILD_TARGETS], [...VIEW_NAMES, 'all']);
  });

  it('guardyn --help lists every command', () => {
    const r = guardyn(['--help']);
    assert.equal(r.code, 0);
    for (const command of Object.keys(OPTIONS)) assert.match(r.stdout, new RegExp(`\\n {2}${command} +\\S`));
  });
});

describe('an unknown option names --help', () => {
  const cases: Array<[string[], RegExp]> = [
    [['replay', '--bogus'], /Unknown option '--bogus'/],
    [['audit', 'verify', '--bogus'], /Unknown option '--bogus'/],
    [['up', '--bogus'], /up: unknown option --bogus/],
    [['serve', 'auth', '--bogus'], /serve: unknown option --bogus/],
    [['rebuild', 'users', '--bogus'], /rebuild: unknown option --bogus/],
    [['bench', '--bogus'], /bench: /],
    [['bench', 'send', 'stray'], /bench: unexpected argument "stray"/],
    [['rebuild', 'users', '--switch'], /--switch goes with --verify/],
    [['up', '--log-format=loud'], /--log-format=loud must be one of auto, pretty, json/],
  ];
  for (const [args, said] of cases) {
    it(`guardyn ${args.join(' ')}: exit 2, the mistake and where the options are`, () => {
      const r = guardyn(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, said);
      assert.match(r.stderr, new RegExp(`guardyn ${args[0]} --help`));
    });
  }
});
