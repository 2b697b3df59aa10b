/**
 * The analysts' commands end to end, as a user runs them: `guardyn replay`,
 * `guardyn audit verify|as-of|report` in child processes against a test
 * nats-server, over a log written with signed checkpoints by the audit task.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { productionStoresEnv } from '../support/guardyn.ts';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { flipByte, rewriteStream } from '../support/tamper.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { loadConfig } from '../../runtime/config.ts';
import { EventLog } from '../../streams/log.ts';
import { eventRegistry } from '../../streams/events/index.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { startAuditTasks } from '../../audit/tasks.ts';
import { seedConversations, T0 } from '../../audit/fixtures.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('guardyn replay and audit (CLI)', () => {
  let nats: TestNatsServer;
  let log: EventLog;
  let dataDir: string;
  let env: Record<string, string>;

  const guardyn = (...args: string[]): Promise<Run> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(root, 'bin/guardyn.js'), ...args], {
        env: { ...process.env, ...env },
        cwd: dataDir,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  before(async () => {
    nats = await withNatsServer();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-audit-cli-'));
    // The stores a Guardyn on this data dir would use (production stores of its own in `npm run test:production`).
    env = {
      ...productionStoresEnv(dataDir),
      GUARDYN_MESSAGING__NATS_URL: nats.url,
      GUARDYN_DATA_DIR: dataDir,
      GUARDYN_LOG_LEVEL: 'silent',
    };
    log = await EventLog.connect(nats.url, eventRegistry, silentLogger);
    await log.ensureStreams();
    await seedConversations(log, 3, 4);
    // The audit task of a running Guardyn, with the embedded default key (generated in the data dir).
    const tasks = await startAuditTasks(
      loadConfig(env),
      log,
      [{ view: 'timeline', stream: STREAMS.messages, applied: async () => 10 }],
      silentLogger,
      true,
    );
    await tasks.flush();
    await tasks.stop();
  });
  after(async () => {
    await log?.close();
    await nats?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('verify passes on a clean log and names the checkpoints it checked', async () => {
    const r = await guardyn('audit', 'verify');
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /verified 12 commits/);
    assert.match(r.stdout, /MESSAGES: 12 commits \(seq 1\.\.12\), checkpoints 1 verified of 1/);
    assert.match(r.stdout, /OK: no break found/);
    // All in the reading thread, and over three worker threads: the same report.
    for (const threads of ['0', '3']) {
      const t = await guardyn('audit', 'verify', '--threads', threads);
      assert.equal(t.code, 0, t.stderr + t.stdout);
      assert.match(t.stdout, /MESSAGES: 12 commits \(seq 1\.\.12\), checkpoints 1 verified of 1/);
    }
  });

  it('replay writes the same output and digest twice, with a manifest beside it', async () => {
    const digests = [];
    for (const n of [1, 2]) {
      const out = path.join(dataDir, `out-${n}.csv`);
      const r = await guardyn(
        'replay',
        '--stream',
        'MESSAGES',
        '--format',
        'csv',
        '--out',
        out,
        '--from',
        '1',
        '--to',
        '2999-12-31T00:00:00Z',
      );
      assert.equal(r.code, 0, r.stderr);
      const manifest = JSON.parse(fs.readFileSync(`${out}.manifest.json`, 'utf8'));
      assert.equal(manifest.output.events, 15);
      assert.deepEqual(manifest.inputs.streams, ['MESSAGES']);
      assert.equal(manifest.window.from, 1);
      assert.ok(manifest.code.gitCommit === null || /^[0-9a-f]{40}$/.test(manifest.code.gitCommit));
      digests.push([manifest.output.sha256, fs.readFileSync(out)]);
    }
    assert.equal(digests[0]![0], digests[1]![0]);
    assert.deepEqual(digests[0]![1], digests[1]![1]);
  });

  it('replay to stdout writes only events there (manifest and logs on stderr, no progress bar when piped)', async () => {
    const r = await guardyn('replay', '--stream', 'MESSAGES', '--subject', 'messages.conv.conv2');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 5);
    assert.ok(lines.every((l) => l.subject === 'messages.conv.conv2'));
    const manifest = JSON.parse(r.stderr.trim().split('\n').pop()!);
    assert.equal(manifest.output.events, 5);
    assert.doesNotMatch(r.stderr, /\r/);
  });

  it('as-of prints the state of an aggregate at a moment', async () => {
    const r = await guardyn('audit', 'as-of', 'conversation:conv1', new Date(T0 + 5500).toISOString());
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    // conv1 started at T0+2s (with m0), m1 at T0+5s.
    assert.equal(out.commits, 2);
    assert.equal(out.state.lastMessageId, 'conv1-m1');
    assert.deepEqual(out.state.participants, ['conv1-alice', 'conv1-bob']);
  });

  it('report writes one self-contained HTML file with charts', async () => {
    const out = path.join(dataDir, 'report.html');
    const r = await guardyn('audit', 'report', '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const html = fs.readFileSync(out, 'utf8');
    assert.equal((html.match(/<svg /g) ?? []).length, 4);
    assert.match(html, /MessageSent/);
    assert.match(html, /Projection lag/);
    assert.doesNotMatch(html, /<script|<link|src=|href=|@import|url\(/i);
  });

  it('bad arguments get clear errors and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['replay'], /--stream is required/],
      [['replay', '--stream', 'MESSAGES', '--format', 'xml'], /--format "xml" must be one of jsonl, csv/],
      [['replay', '--stream', 'MESSAGES', '--threads', 'two'], /--threads "two" must be a whole number from 0 to 64/],
      [['replay', '--stream', 'MESSAGES', '--threads', '65'], /--threads "65" must be a whole number from 0 to 64/],
      [['replay', '--stream', 'MESSAGES', '--from', 'yesterday'], /--from "yesterday" is neither a sequence/],
      [['replay', '--stream', 'MESSAGES', '--from', '9', '--to', '3'], /--from is after --to/],
      [
        ['replay', '--stream', 'MESSAGES', '--subject', 'messages..x'],
        /--subject "messages..x" is not a subject filter/,
      ],
      [['replay', '--stream', 'NOPE'], /--stream NOPE: there is no such stream/],
      [['replay', '--stream', 'MESSAGES', '--colour'], /Unknown option '--colour'/],
      [['audit'], /audit needs one of verify, as-of, report/],
      [['audit', 'verify', '--stream', 'NOPE'], /--stream NOPE: there is no such stream/],
      [['audit', 'verify', '--from', '12:00'], /--from "12:00" is neither a sequence/],
      [['audit', 'verify', '--threads', 'two'], /--threads "two" must be a whole number from 0 to 64/],
      [['audit', 'verify', '--threads', '65'], /--threads "65" must be a whole number from 0 to 64/],
      [['audit', 'verify', '--threads=-1'], /--threads "-1" must be a whole number from 0 to 64/],
      [['audit', 'as-of', 'wallet:1', '2025-01-01T00:00:00Z'], /must be one of conversation:<id>/],
      [['audit', 'as-of', 'conversation:c1', '42'], /must be an ISO 8601 time/],
      [['audit', 'report'], /--out <file.html> is required/],
    ];
    for (const [args, message] of cases) {
      const r = await guardyn(...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  it('verify exits non-zero and names stream, subject and sequence after tampering', async () => {
    await rewriteStream(log.nc, STREAMS.messages, (ms) =>
      ms.map((m, i) => (i === 7 ? { ...m, data: flipByte(m.data) } : m)),
    );
    const r = await guardyn('audit', 'verify', '--stream', 'MESSAGES');
    assert.equal(r.code, 1, r.stdout);
    assert.match(
      r.stdout,
      /BROKEN: first break in stream MESSAGES, subject messages\.conv\.conv1, seq 8: hash-mismatch/,
    );
    const inThread = await guardyn('audit', 'verify', '--stream', 'MESSAGES', '--threads', '0');
    assert.equal(inThread.code, 1, inThread.stdout);
    assert.equal(inThread.stdout.replace(/in [\d.]+ s \(\d+\/s\)/, ''), r.stdout.replace(/in [\d.]+ s \(\d+\/s\)/, ''));
    // The checkpoint signs the chain hashes, which the change left alone: the chain caught it.
    assert.match(r.stdout, /checkpoints 1 verified of 1/);
    // A rewrite that recomputes the chain is caught by the signed checkpoint.
    await rewriteStream(log.nc, STREAMS.messages, (ms) => ms, { rechain: true });
    const again = await guardyn('audit', 'verify', '--stream', 'MESSAGES');
    assert.equal(again.code, 1, again.stdout);
    assert.match(
      again.stdout,
      /BROKEN: first break in stream MESSAGES, subject messages\.conv\.conv1, seq 2: checkpoint-mismatch: .*rewritten between seq 2 and 11/,
    );
  });
});
