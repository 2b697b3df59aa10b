/**
 * The supervisor's policy on fake processes: a death is followed by a restart after
 * the back-off wait (reason logged), a restart that fails is tried again, a first
 * start that fails stops what was started, and stop() ends everything in reverse
 * order without restarting.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  metricsPortOf,
  rolesOf,
  Supervisor,
  UP_GROUPS,
  upUnits,
  type ExitReason,
  type RunningUnit,
  type Unit,
} from './supervisor.ts';
import { ROLES } from './app.ts';
import { loadConfig } from '../runtime/config.ts';

const policy = { firstDelayMs: 10, factor: 2, maxDelayMs: 40, stableAfterMs: 60_000 };

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(c: Buffer, _e, done) {
        lines.push(JSON.parse(c.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { lines, logger };
}

let nextPid = 1000;
class FakeUnit implements Unit {
  readonly processes: Array<{ pid: number; die(reason: ExitReason): void; stopped: boolean }> = [];
  failNextStarts = 0;
  readonly events: string[];
  constructor(
    readonly name: string,
    events: string[] = [],
  ) {
    this.events = events;
  }
  async start(spawned: (pid: number) => void): Promise<RunningUnit> {
    if (this.failNextStarts > 0) {
      this.failNextStarts -= 1;
      throw new Error(`${this.name} could not start`);
    }
    const pid = nextPid++;
    spawned(pid);
    let die!: (reason: ExitReason) => void;
    const exited = new Promise<ExitReason>((resolve) => (die = resolve));
    const proc = { pid, die, stopped: false };
    this.processes.push(proc);
    this.events.push(`start ${this.name}`);
    return {
      pid,
      exited,
      stop: async () => {
        if (proc.stopped) return;
        proc.stopped = true;
        this.events.push(`stop ${this.name}`);
        die({ code: 0, signal: null });
      },
    };
  }
  current() {
    return this.processes.at(-1)!;
  }
}

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('supervisor', () => {
  it('restarts a dead process after the back-off wait and logs why it died', async () => {
    const { lines, logger } = logCapture();
    const unit = new FakeUnit('serve-all');
    const sup = new Supervisor([unit], logger, policy);
    await sup.start();
    for (let i = 1; i <= 4; i++) {
      unit.current().die({ code: null, signal: i % 2 === 0 ? 'SIGKILL' : null });
      await until(
        `restart ${i}`,
        () => unit.processes.length === i + 1 && sup.pids()['serve-all'] === unit.current().pid,
      );
    }
    const deaths = lines.filter((l) => l['msg'] === 'process died: starting it again');
    assert.deepEqual(
      deaths.map((l) => l['restartInMs']),
      [10, 20, 40, 40],
    );
    assert.deepEqual(
      deaths.map((l) => l['reason']),
      ['exit code null', 'killed by SIGKILL', 'exit code null', 'killed by SIGKILL'],
    );
    assert.deepEqual(
      lines.filter((l) => l['msg'] === 'process started').map((l) => l['restarts']),
      [0, 1, 2, 3, 4],
    );
    await sup.stop();
  });

  it('tries a failed restart again', async () => {
    const { lines, logger } = logCapture();
    const unit = new FakeUnit('serve-all');
    const sup = new Supervisor([unit], logger, policy);
    await sup.start();
    unit.failNextStarts = 2;
    unit.current().die({ code: 70, signal: null });
    await until(
      'a running process again',
      () => unit.processes.length === 2 && sup.pids()['serve-all'] === unit.current().pid,
    );
    assert.equal(lines.filter((l) => l['msg'] === 'process could not be started again').length, 2);
    await sup.stop();
  });

  it('a first start that fails stops what was started and rejects', async () => {
    const { logger } = logCapture();
    const events: string[] = [];
    const nats = new FakeUnit('nats-server', events);
    const serve = new FakeUnit('serve-all', events);
    serve.failNextStarts = 1;
    const sup = new Supervisor([nats, serve], logger, policy);
    await assert.rejects(sup.start(), /serve-all could not start/);
    assert.deepEqual(events, ['start nats-server', 'stop nats-server']);
  });

  it('stop() ends every process in reverse order and restarts none', async () => {
    const { lines, logger } = logCapture();
    const events: string[] = [];
    const nats = new FakeUnit('nats-server', events);
    const serve = new FakeUnit('serve-all', events);
    const sup = new Supervisor([nats, serve], logger, policy);
    await sup.start();
    await sup.stop();
    assert.deepEqual(events, ['start nats-server', 'start serve-all', 'stop serve-all', 'stop nats-server']);
    await sleep(50);
    assert.equal(lines.filter((l) => l['msg'] === 'process died: starting it again').length, 0);
    assert.deepEqual(sup.pids(), {});
  });
});

describe('the layout of guardyn up', () => {
  it('runs every role once, in two processes (views, gateways), so that two cores are used', () => {
    assert.equal(UP_GROUPS.length, 2);
    assert.deepEqual(rolesOf(UP_GROUPS).sort(), [...ROLES].sort());
    assert.equal(UP_GROUPS.flatMap((g) => g.roles).length, ROLES.length, 'no role runs twice');
    assert.deepEqual(
      UP_GROUPS.map((g) => g.name),
      ['views', 'gateways'],
    );
  });

  it('gives each serving process its own metrics port: the configured one, then the next', () => {
    assert.deepEqual(
      [0, 1].map((i) => metricsPortOf(9090, i)),
      ['9090', '9091'],
    );
    assert.deepEqual(
      [0, 1].map((i) => metricsPortOf(0, i)),
      ['0', '0'],
    );
    assert.deepEqual(
      [0, 1].map((i) => metricsPortOf(undefined, i)),
      ['off', 'off'],
    );
    assert.throws(() => metricsPortOf(65535, 1), /GUARDYN_METRICS__PORT 65535 leaves no port/);
  });

  it('starts the nats-server, then the views, then the gateways', () => {
    const { logger } = logCapture();
    const config = loadConfig({ GUARDYN_DATA_DIR: '/tmp/guardyn-layout-test', GUARDYN_TURN__ENABLED: '0' });
    assert.deepEqual(
      upUnits({ ...config, natsUrl: undefined }, logger).map((u) => u.name),
      ['nats-server', 'serve-views', 'serve-gateways'],
    );
    // With coturn (bin/turn-unit.test.ts): after the nats-server, before the call service that hands out its credentials.
    const turnserver = process.execPath; // any existing file stands for the binary: nothing is started here
    assert.deepEqual(
      upUnits({ ...config, natsUrl: undefined, turn: { ...config.turn, mode: 'on', bin: turnserver } }, logger).map(
        (u) => u.name,
      ),
      ['nats-server', 'coturn', 'serve-views', 'serve-gateways'],
    );
  });

  it('serves every gRPC service in the process of the HTTP server, where gRPC-Web dispatches in-process', () => {
    const withHttp = UP_GROUPS.find((g) => g.roles.includes('notifications'))!;
    for (const role of ['auth', 'messaging', 'presence', 'media'] as const)
      assert.ok(withHttp.roles.includes(role), role);
  });
});
