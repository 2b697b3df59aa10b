/**
 * `npm run bench -- up [--duration=20s] [--concurrency=32]`: SendMessage against `guardyn up` itself
 * (npm start's layout: its serving processes, each named by its pid file), closed loop, and the CPU
 * each serving process used over the window: how the work spreads over the processes (and cores).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchWiring } from './wiring.ts';
import { REPO_ROOT } from '../runtime/repo-root.ts';
import { bearer, serviceClient } from '../gateways/grpc/client.ts';
import { benchEnv, freePort } from './guardyn-process.ts';
import { describeMachine, processCpuMs } from './machine.ts';
import { parseDurationMs, parsePositiveInt, printReport, startBenchNats, type BenchArgs } from './run.ts';
import { rateOnly } from './stats.ts';

export async function benchUp(a: BenchArgs, wiring: BenchWiring): Promise<void> {
  const { upGroups, servePidFile } = wiring;
  const durationMs = a.raw['duration'] ? parseDurationMs(a.raw['duration'], 'duration') : 20_000;
  const inFlight = parsePositiveInt(a.raw['concurrency'] ?? '32', 'concurrency');
  const nats = await startBenchNats();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-up-'));
  const [authPort, messagingPort, presencePort, mediaPort, mediaHttp, ws, http] = await Promise.all(
    Array.from({ length: 7 }, () => freePort()),
  );
  const env = {
    ...benchEnv(nats.server.url, dataDir, { cheapPasswords: true }),
    GUARDYN_AUTH__PORT: String(authPort),
    GUARDYN_MESSAGING__PORT: String(messagingPort),
    GUARDYN_PRESENCE__PORT: String(presencePort),
    GUARDYN_MEDIA__PORT: String(mediaPort),
    GUARDYN_MEDIA__HTTP_PORT: String(mediaHttp),
    GUARDYN_MESSAGING__WEBSOCKET_PORT: String(ws),
    GUARDYN_NOTIFICATIONS__PORT: String(http),
  };
  const up = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'guardyn.js'), 'up'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const kill = () => up.kill('SIGKILL');
  process.once('exit', kill);
  try {
    const last = upGroups.at(-1)!.name;
    const deadline = Date.now() + 120_000;
    while (
      !(
        fs.existsSync(servePidFile(dataDir, last)) &&
        (await fetch(`http://127.0.0.1:${http}/health`).then(
          (r) => r.status === 200,
          () => false,
        ))
      )
    ) {
      if (up.exitCode !== null) throw new Error(`guardyn up exited with ${up.exitCode}`);
      if (Date.now() > deadline) throw new Error('guardyn up did not serve within 120 s');
      await sleep(100);
    }
    const pids = Object.fromEntries(
      upGroups.map((g) => [g.name, Number(fs.readFileSync(servePidFile(dataDir, g.name), 'utf8'))]),
    );
    const auth = serviceClient('guardyn.auth.AuthService', `127.0.0.1:${authPort}`);
    const msg = serviceClient('guardyn.messaging.MessagingService', `127.0.0.1:${messagingPort}`);
    try {
      const users: { id: string; token: string }[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await auth.Register!({ username: `up_${process.pid}_${i}`, password: 'bench password 12345' });
        if (r['result'] !== 'success')
          throw new Error(`registering a bench user failed: ${JSON.stringify(r['error'])}`);
        users.push({ id: r['success'].user_id, token: r['success'].access_token });
      }
      await sleep(2000);
      const cpuBefore = Object.fromEntries(Object.entries(pids).map(([g, pid]) => [g, processCpuMs(pid) ?? NaN]));
      const started = Date.now();
      const end = started + durationMs;
      let sent = 0;
      let errors = 0;
      const payload = Buffer.alloc(a.payloadBytes ?? 256, 1);
      await Promise.all(
        Array.from({ length: inFlight }, async (_, w) => {
          for (let k = 0; Date.now() < end; k++) {
            const from = users[(w + k) % users.length]!;
            const to = users[(w + k + 1 + (w % 7)) % users.length]!;
            const r = await msg.SendMessage!(
              {
                recipient_user_id: to.id,
                encrypted_content: payload,
                message_type: 'TEXT',
                client_message_id: `u${w}-${k}`,
              },
              bearer(from.token),
            ).catch(() => undefined);
            if (r?.['result'] === 'success') sent++;
            else errors++;
          }
        }),
      );
      const wall = (Date.now() - started) / 1000;
      await sleep(3000); // the views project what was sent
      const cpu = Object.entries(pids).map(
        ([g, pid]) => [g, ((processCpuMs(pid) ?? NaN) - cpuBefore[g]!) / 1000] as const,
      );
      printReport({
        title: 'up',
        machine: describeMachine({ natsServerVersion: nats.server.version }),
        settings: [
          `guardyn up, ${upGroups.map((g) => `${g.name}: ${g.roles.join(',')}`).join('; ')}; ${inFlight} SendMessage calls in flight for ${durationMs / 1000} s; load average ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
        ],
        rows: [rateOnly('SendMessage via guardyn up', sent, wall, `${errors} errors`)],
        after: cpu.map(
          ([g, s]) =>
            `CPU of serving process ${g}: ${s.toFixed(2)} s over the window and 3 s after (${((100 * s) / (wall + 3)).toFixed(0)}% of a core)`,
        ),
      });
    } finally {
      auth.close();
      msg.close();
    }
  } finally {
    process.off('exit', kill);
    if (up.exitCode === null) {
      const exited = new Promise((r) => up.once('exit', r));
      up.kill('SIGTERM');
      await exited;
    }
    await nats.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
