/**
 * `guardyn up` (npm start) runs coturn as a supervised child: listening on loopback once up is
 * ready, started again (same port, same secret) after it dies, and gone when up stops.
 * Skips (saying why) when no turnserver is installed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../../runtime/free-port.ts';
import { turnSecretFile } from '../../runtime/turn-secret.ts';
import { coturnRunDir } from '../../bin/turn-unit.ts';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startGuardynUp, type GuardynUpProcess } from '../support/guardyn-up.ts';
import { TURNSERVER, TURN_SKIP_REASON } from '../support/turn.ts';

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

describe('guardyn up supervises coturn', { skip: TURNSERVER === undefined ? TURN_SKIP_REASON : false }, () => {
  let nats: TestNatsServer;
  let up: GuardynUpProcess;
  let turnPort: number;

  before(async () => {
    nats = await withNatsServer();
    turnPort = await freePort();
    const min = 49152 + Math.floor(Math.random() * 15_000);
    up = await startGuardynUp(nats.url, {
      env: {
        GUARDYN_TURN__ENABLED: '1',
        GUARDYN_TURN__PORT: String(turnPort),
        GUARDYN_TURN__MIN_PORT: String(min),
        GUARDYN_TURN__MAX_PORT: String(min + 50),
      },
    });
  });
  after(async () => {
    await up?.stop();
    await nats?.stop();
  });

  it('listens on loopback with the generated secret, comes back after it dies, and stops with up', async () => {
    assert.equal(await accepts(turnPort), true, up.logTail());
    const pidFile = path.join(coturnRunDir(up.dataDir), 'turnserver.pid');
    await until('coturn wrote its pid', () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '');
    const first = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const secret = fs.readFileSync(turnSecretFile(up.dataDir), 'utf8');
    assert.match(
      fs.readFileSync(path.join(coturnRunDir(up.dataDir), 'turnserver.conf'), 'utf8'),
      /^listening-ip=127\.0\.0\.1$/m,
    );

    // coturn dies: the supervisor starts it again on the same port with the same secret.
    process.kill(first, 'SIGKILL');
    await until('coturn started again', async () => {
      const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0;
      return pid !== 0 && pid !== first && alive(pid) && (await accepts(turnPort));
    });
    const second = Number(fs.readFileSync(pidFile, 'utf8').trim());
    assert.equal(fs.readFileSync(turnSecretFile(up.dataDir), 'utf8'), secret);

    await up.stop();
    await until('coturn stopped with up', () => !alive(second));
    assert.equal(await accepts(turnPort), false);
  });
});
