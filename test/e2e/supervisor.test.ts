/**
 * `guardyn up` keeps Guardyn serving in two processes (the views, the gateways): SIGKILL one serving
 * process (or the nats-server) and the supervisor starts it, and only it, again within 2 s, and clients
 * are served again; SIGTERM
 * to the supervisor stops everything it started.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_ENV, tempDataDir, uniqueName } from '../support/guardyn.ts';
import { serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';
import { freePort } from '../../runtime/free-port.ts';
import { servePidFile } from '../../bin/supervisor.ts';
import { encodeMessage } from '../../gateways/grpc-web/frames.ts';

const GUARDYN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'guardyn.js');

interface LogLine {
  readonly time: number;
  readonly msg: string;
  readonly unit?: string;
  readonly childPid?: number;
  readonly serverPid?: number;
  readonly restarts?: number;
  readonly reason?: string;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The pid of the process listening on a local TCP port (from /proc/net/tcp and the fds of /proc/<pid>). */
async function listensIn(port: number): Promise<number | undefined> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const rows = fs.existsSync(table) ? fs.readFileSync(table, 'utf8').split('\n').slice(1) : [];
    for (const row of rows) {
      const f = row.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A') inodes.add(f[9]!);
    }
  }
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(pid);
      } catch {
        // gone
      }
    }
  }
  return undefined;
}

describe('guardyn up supervises its serving processes', () => {
  let up: ChildProcess;
  let dataDir: string;
  let auth: ServiceClient;
  let ports: { auth: number; media: number; http: number };
  const lines: LogLine[] = [];
  const find = (pred: (l: LogLine) => boolean) => lines.find(pred);

  before(async () => {
    dataDir = tempDataDir();
    const [nats, a, m, p, media, mediaHttp, ws, http] = await Promise.all(Array.from({ length: 8 }, () => freePort()));
    const env = {
      ...process.env,
      ...TEST_ENV,
      GUARDYN_LOG_LEVEL: 'info',
      GUARDYN_DATA_DIR: dataDir,
      GUARDYN_MESSAGING__NATS_URL: '',
      GUARDYN_NATS__PORT: String(nats),
      GUARDYN_AUTH__PORT: String(a),
      GUARDYN_MESSAGING__PORT: String(m),
      GUARDYN_PRESENCE__PORT: String(p),
      GUARDYN_MEDIA__PORT: String(media),
      GUARDYN_MEDIA__HTTP_PORT: String(mediaHttp),
      GUARDYN_MESSAGING__WEBSOCKET_PORT: String(ws),
      GUARDYN_NOTIFICATIONS__PORT: String(http),
    };
    up = spawn(process.execPath, [GUARDYN, 'up'], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: up.stdout! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    });
    ports = { auth: a!, media: media!, http: http! };
    auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${a}`);
  });
  after(async () => {
    auth?.close();
    if (up !== undefined && up.exitCode === null && up.signalCode === null) up.kill('SIGKILL');
    // The children of a failed run, found in the log, and only while their environment names this
    // test's data dir (a pid may have been reused by someone else's process since).
    const ours = (pid: number) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`GUARDYN_DATA_DIR=${dataDir}`);
      } catch {
        return false;
      }
    };
    for (const l of lines)
      for (const pid of [l.childPid, l.serverPid]) if (pid !== undefined && ours(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const register = async (): Promise<boolean> => {
    const r = await auth.Register!({ username: uniqueName('supervised'), password: 'correct horse battery' }).catch(
      () => undefined,
    );
    return r?.['result'] === 'success';
  };

  it('runs its roles in two serving processes, both serving, each with its pid file', async () => {
    const ready = await until('both serving processes to be ready', 180_000, () => {
      if (up.exitCode !== null) throw new Error(`guardyn up exited with ${up.exitCode}`);
      const views = find((l) => l.msg === 'process ready' && l.unit === 'serve-views');
      const gateways = find((l) => l.msg === 'process ready' && l.unit === 'serve-gateways');
      return views !== undefined && gateways !== undefined
        ? { views: views.childPid!, gateways: gateways.childPid! }
        : undefined;
    });
    assert.notEqual(ready.views, ready.gateways);
    for (const pid of [ready.views, ready.gateways]) {
      assert.notEqual(pid, up.pid);
      assert.ok(alive(pid), `process ${pid} runs`);
    }
    assert.equal(Number(fs.readFileSync(servePidFile(dataDir, 'views'), 'utf8')), ready.views);
    assert.equal(Number(fs.readFileSync(servePidFile(dataDir, 'gateways'), 'utf8')), ready.gateways);
    // Every gRPC service is in the gateways process (gRPC-Web dispatches there in-process); the views process projects.
    await until('a first registration', 60_000, async () => ((await register()) ? true : undefined));
    assert.equal(await listensIn(ports.auth), ready.gateways);
    assert.equal(await listensIn(ports.media), ready.gateways);
    // gRPC-Web on the gateways' notifications port reaches MediaService.
    const web = await fetch(`http://127.0.0.1:${ports.http}/guardyn.media.MediaService/GetMediaMetadata`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc-web+proto' },
      body: new Uint8Array(encodeMessage(Buffer.alloc(0))),
    });
    assert.equal(web.status, 200, 'MediaService is routed by the gateways process');
    const body = Buffer.from(await web.arrayBuffer()).toString('latin1');
    const status = web.headers.get('grpc-status') ?? /grpc-status:\s*(\d+)/.exec(body)?.[1];
    assert.ok(
      status !== undefined && status !== '12' && status !== '14',
      `MediaService answered (grpc-status ${status})`,
    );
    // The gateways learn the views' progress from the store: a registered user is found once projected.
    const name = uniqueName('projected');
    const registered = await auth.Register!({ username: name, password: 'correct horse battery' });
    assert.equal(registered['result'], 'success');
    // Login finds the user in the users view, which the other process projects.
    await until('a login of the new user', 60_000, async () => {
      const login = await auth.Login!({ username: name, password: 'correct horse battery', device_type: 'ios' }).catch(
        () => undefined,
      );
      return login?.['result'] === 'success' ? true : undefined;
    });
  });

  it('a killed serving process is restarted within 2 s, alone: the other keeps its pid and serves on', async () => {
    const viewsPid = Number(fs.readFileSync(servePidFile(dataDir, 'views'), 'utf8'));
    const pid = Number(fs.readFileSync(servePidFile(dataDir, 'gateways'), 'utf8'));
    const killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
    const died = await until('the supervisor to see the death', 30_000, () =>
      find((l) => l.msg === 'process died: starting it again' && l.childPid === pid),
    );
    assert.equal(died.reason, 'killed by SIGKILL');
    assert.equal(died.unit, 'serve-gateways');
    const restarted = await until('the restart', 30_000, () =>
      find((l) => l.msg === 'process started' && l.unit === 'serve-gateways' && l.restarts === 1),
    );
    assert.ok(restarted.time - killedAt <= 2000, `restarted ${restarted.time - killedAt} ms after the kill`);
    assert.notEqual(restarted.childPid, pid);

    await until('a registration after the restart', 120_000, async () => ((await register()) ? true : undefined));
    assert.equal(Number(fs.readFileSync(servePidFile(dataDir, 'gateways'), 'utf8')), restarted.childPid);
    // Only the killed process was started again.
    assert.ok(alive(viewsPid), 'the views process still runs');
    assert.equal(Number(fs.readFileSync(servePidFile(dataDir, 'views'), 'utf8')), viewsPid);
    assert.equal(
      find((l) => l.msg === 'process died: starting it again' && l.unit === 'serve-views'),
      undefined,
      'the views process did not die',
    );
    assert.equal(
      find((l) => l.msg === 'process started' && l.unit === 'serve-views' && l.restarts !== 0),
      undefined,
      'the views process was not started again',
    );

    // And the other way round: the views process killed, the gateways keep their pid.
    const gatewaysPid = restarted.childPid!;
    process.kill(viewsPid, 'SIGKILL');
    const again = await until('the views restart', 30_000, () =>
      find((l) => l.msg === 'process ready' && l.unit === 'serve-views' && l.restarts === 1),
    );
    assert.notEqual(again.childPid, viewsPid);
    assert.ok(alive(gatewaysPid), 'the gateways process still runs');
    assert.equal(
      find((l) => l.msg === 'process started' && l.unit === 'serve-gateways' && l.restarts === 2),
      undefined,
    );
    assert.equal(await listensIn(ports.media), gatewaysPid);
    assert.ok(up.exitCode === null && up.signalCode === null, 'the supervisor still runs');
  });

  it('starts the local nats-server again on the same port when it dies; the serving process reconnects', async () => {
    const nats = find((l) => l.msg === 'local nats-server started')!;
    const killedAt = Date.now();
    process.kill(nats.serverPid!, 'SIGKILL');
    const died = await until('the supervisor to see the nats-server die', 30_000, () =>
      find((l) => l.msg === 'process died: starting it again' && l.unit === 'nats-server'),
    );
    assert.equal(died.reason, 'killed by SIGKILL');
    const again = await until('the nats-server restart', 30_000, () =>
      find((l) => l.msg === 'process started' && l.unit === 'nats-server' && l.restarts === 1),
    );
    assert.ok(again.time - killedAt <= 2000, `restarted ${again.time - killedAt} ms after the kill`);
    await until('a registration after the nats-server restart', 120_000, async () =>
      (await register()) ? true : undefined,
    );
  });

  it('stops everything it started on SIGTERM', async () => {
    const serving = lines.filter((l) => l.msg === 'process started').map((l) => l.childPid!);
    const nats = lines.filter((l) => l.msg === 'local nats-server started').at(-1)?.serverPid;
    assert.ok(nats !== undefined && alive(nats), 'the local nats-server runs');
    const exit = new Promise<number | null>((resolve) => up.once('exit', (code) => resolve(code)));
    up.kill('SIGTERM');
    assert.equal(await exit, 0);
    for (const pid of [...serving, nats]) assert.equal(alive(pid), false, `process ${pid} is gone`);
    for (const group of ['views', 'gateways'])
      assert.equal(fs.existsSync(servePidFile(dataDir, group)), false, `no pid file of ${group} is left`);
  });
});

describe('guardyn up and serve: bad input', () => {
  it('serve with an unknown role is refused naming it, and starts nothing', () => {
    const r = spawnSync(process.execPath, [GUARDYN, 'serve', 'auth,bogus'], {
      encoding: 'utf8',
      env: { ...process.env, GUARDYN_DATA_DIR: tempDataDir() },
      timeout: 60_000,
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not "bogus"/);
    assert.match(r.stderr, /comma-separated, or all/);
  });

  it('serve with an unknown role or an unknown option is refused naming it', () => {
    for (const [args, message] of [
      [['auth,bogus'], /not "bogus"/],
      [['auth', '--besides=media'], /unknown option --besides=media/],
    ] as const) {
      const r = spawnSync(process.execPath, [GUARDYN, 'serve', ...args], {
        encoding: 'utf8',
        env: { ...process.env, GUARDYN_DATA_DIR: tempDataDir() },
        timeout: 60_000,
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
    }
  });

  it('a first start that fails (a port taken) is not retried: up exits 1 and leaves nothing running', async () => {
    const dataDir = tempDataDir();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = (taken.address() as net.AddressInfo).port;
      const [nats, m, p, media, mediaHttp, ws, http] = await Promise.all(Array.from({ length: 7 }, () => freePort()));
      const env = {
        ...process.env,
        ...TEST_ENV,
        GUARDYN_LOG_LEVEL: 'info',
        GUARDYN_DATA_DIR: dataDir,
        GUARDYN_MESSAGING__NATS_URL: '',
        GUARDYN_NATS__PORT: String(nats),
        GUARDYN_AUTH__PORT: String(port),
        GUARDYN_MESSAGING__PORT: String(m),
        GUARDYN_PRESENCE__PORT: String(p),
        GUARDYN_MEDIA__PORT: String(media),
        GUARDYN_MEDIA__HTTP_PORT: String(mediaHttp),
        GUARDYN_MESSAGING__WEBSOCKET_PORT: String(ws),
        GUARDYN_NOTIFICATIONS__PORT: String(http),
      };
      const child = spawn(process.execPath, [GUARDYN, 'up'], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      assert.equal(code, 1, out.slice(-2000));
      assert.match(out, /ended before it was ready/);
      const pids = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine)
        .flatMap((l) => [l.childPid, l.serverPid])
        .filter((x): x is number => x !== undefined);
      assert.ok(pids.length >= 2, 'the nats-server and the serving process were started');
      for (const pid of pids) assert.equal(alive(pid), false, `process ${pid} is gone`);
    } finally {
      taken.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
