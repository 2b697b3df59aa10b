/**
 * coturn in `guardyn up`: when it is started (auto, on, off), what stops the start, and a real
 * start with the generated secret (owner-only, not on the command line) that coturn then checks.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../runtime/config.ts';
import { freePort } from '../runtime/free-port.ts';
import { turnSecretFile } from '../runtime/turn-secret.ts';
import { turnCredentials } from '../gateways/calls/turn.ts';
import { capturedLogger, LEVEL } from '../test/support/log-capture.ts';
import { TURNSERVER } from '../test/support/turn.ts';
import { coturnRunDir, turnUnitOf } from './turn-unit.ts';

const none = () => undefined;

describe('coturn as a unit of guardyn up', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is started when a turnserver is found, and not when GUARDYN_TURN__ENABLED=0', () => {
    const { logger } = capturedLogger();
    assert.equal(turnUnitOf(loadConfig({}), logger, () => '/usr/bin/turnserver')?.name, 'coturn');
    assert.equal(
      turnUnitOf(loadConfig({ GUARDYN_TURN__ENABLED: '0' }), logger, () => '/usr/bin/turnserver'),
      undefined,
    );
  });

  it('auto without a turnserver: warns how to install one and starts without', () => {
    const { logger, lines } = capturedLogger();
    assert.equal(turnUnitOf(loadConfig({}), logger, none), undefined);
    const warning = lines.find((l) => l.level === LEVEL.warn);
    assert.match(String(warning?.msg), /no turnserver found.*ops\/install-coturn\.sh/);
  });

  it('GUARDYN_TURN__ENABLED=1 or a GUARDYN_TURN__BIN that does not exist stops the start, naming the variable', () => {
    const { logger } = capturedLogger();
    assert.throws(
      () => turnUnitOf(loadConfig({ GUARDYN_TURN__ENABLED: '1' }), logger, none),
      (err: Error) => err instanceof ConfigError && /GUARDYN_TURN__ENABLED=1 but no turnserver/.test(err.message),
    );
    assert.throws(
      () => turnUnitOf(loadConfig({ GUARDYN_TURN__BIN: '/nonexistent/turnserver' }), logger, none),
      (err: Error) =>
        err instanceof ConfigError && /GUARDYN_TURN__BIN="\/nonexistent\/turnserver" does not exist/.test(err.message),
    );
  });

  it('starts coturn on loopback with a generated secret it shares with the call service, kept out of the process list', {
    skip: TURNSERVER === undefined ? 'no turnserver (bash ops/install-coturn.sh)' : false,
  }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-turn-unit-'));
    dirs.push(dataDir);
    const port = await freePort();
    const min = 49152 + Math.floor(Math.random() * 15_000);
    const config = loadConfig({
      GUARDYN_DATA_DIR: dataDir,
      GUARDYN_TURN__BIN: TURNSERVER,
      GUARDYN_TURN__PORT: String(port),
      GUARDYN_TURN__MIN_PORT: String(min),
      GUARDYN_TURN__MAX_PORT: String(min + 100),
    });
    const { logger, lines } = capturedLogger();
    const unit = turnUnitOf(config, logger)!;
    let spawnedPid = 0;
    const running = await unit.start((pid) => (spawnedPid = pid), new AbortController().signal);
    try {
      assert.equal(running.pid, spawnedPid);
      assert.ok(
        lines.some(
          (l) =>
            l.msg === 'TURN server (coturn) listening' &&
            l.listen === `127.0.0.1:${port}` &&
            l.tls === 'off' &&
            l.allowLoopbackPeers === false,
        ),
      );
      const secretFile = turnSecretFile(dataDir);
      assert.equal(fs.statSync(secretFile).mode & 0o777, 0o600);
      const secret = fs.readFileSync(secretFile, 'utf8').trim();
      assert.ok(secret.length >= 32);
      const conf = fs.readFileSync(path.join(coturnRunDir(dataDir), 'turnserver.conf'), 'utf8');
      assert.equal(fs.statSync(path.join(coturnRunDir(dataDir), 'turnserver.conf')).mode & 0o777, 0o600);
      assert.match(conf, new RegExp(`^static-auth-secret=${secret}$`, 'm'));
      assert.match(conf, /^listening-ip=127\.0\.0\.1$/m);
      assert.match(conf, /^denied-peer-ip=10\.0\.0\.0-10\.255\.255\.255$/m);
      assert.doesNotMatch(conf, /allow-loopback-peers/);
      assert.doesNotMatch(fs.readFileSync(`/proc/${running.pid}/cmdline`, 'utf8'), new RegExp(secret));
      // coturn accepts a TURN REST credential signed with that secret and refuses a forged one, and
      // refuses to relay to loopback peers (no allow-loopback-peers by default): turnutils_uclient
      // allocates, then asks for a channel to a peer on 127.0.0.1.
      const uclient = path.join(path.dirname(TURNSERVER!), 'turnutils_uclient');
      if (fs.existsSync(uclient)) {
        const allocate = (user: string, pass: string) => {
          const r = spawnSync(
            uclient,
            ['-p', String(port), '-u', user, '-w', pass, '-n', '1', '-m', '1', '-y', '-e', '127.0.0.1', '127.0.0.1'],
            { encoding: 'utf8', timeout: 30_000 },
          );
          return `${r.stdout}${r.stderr}`;
        };
        const good = turnCredentials(secret, 'user-1', 300, [], Date.now());
        const allowed = allocate(good.username, good.password);
        assert.doesNotMatch(allowed, /Cannot complete Allocation/);
        assert.match(allowed, /403 \(Forbidden IP\)/, 'a loopback peer is refused');
        assert.match(
          allocate(
            good.username,
            turnCredentials('another-secret-of-some-length', 'user-1', 300, [], Date.now()).password,
          ),
          /Cannot complete Allocation/,
        );
      }
    } finally {
      await running.stop();
    }
    const exit = await running.exited;
    assert.ok(exit.code !== null || exit.signal !== null);
    // A second start (a restart by the supervisor) keeps the same secret.
    const again = fs.readFileSync(turnSecretFile(dataDir), 'utf8');
    const second = await unit.start(() => undefined, new AbortController().signal);
    await second.stop();
    assert.equal(fs.readFileSync(turnSecretFile(dataDir), 'utf8'), again);
  });
});
