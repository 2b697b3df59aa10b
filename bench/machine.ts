/** The one-line machine description every benchmark prints beside its figures. */
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface MachineExtras {
  /** As announced by the server's INFO line, e.g. `2.14.9`. */
  readonly natsServerVersion?: string | undefined;
}

/**
 * e.g. `machine: AMD EPYC 7B13, 2 cores, 23.5 GiB, linux 6.1.0 x64, node v20.20.2, nats-server 2.14.9`
 */
export function describeMachine(extras: MachineExtras = {}): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown cpu').replace(/\s+/g, ' ').trim();
  const cores = os.availableParallelism?.() ?? cpus.length;
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(1);
  const parts = [
    model,
    `${cores} cores`,
    `${memGiB} GiB`,
    `${os.platform()} ${os.release()} ${os.arch()}`,
    `node ${process.version}`,
    `nats-server ${extras.natsServerVersion ?? 'n/a'}`,
  ];
  return `machine: ${parts.join(', ')}`;
}

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, all threads) a process has used so far, in ms, read from
 * /proc/<pid>/stat; undefined where /proc is not available or the process is gone.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after its closing ')' are fixed.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]); // field 14
    const stime = Number(rest[12]); // field 15
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * CPU time (all cores) the whole machine spent busy so far, in ms, from the first line of
 * /proc/stat (user + nice + system + irq + softirq + steal); undefined where /proc is absent.
 */
export function machineBusyCpuMs(): number | undefined {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number); // user nice system idle iowait irq softirq steal ...
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return Number.isFinite(busy) ? (busy * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

export interface CpuReading {
  /** Percent of one core each process used over the interval (undefined: not measurable). */
  readonly byPid: ReadonlyMap<number, number | undefined>;
  /** Percent of one core the whole machine was busy (e.g. up to 200 on 2 cores). */
  readonly machine: number | undefined;
}

/** Samples the CPU time of some processes and of the machine over an interval: `const m = cpuMeter(pids); ...; m.stop()`. */
export function cpuMeter(pids: readonly number[]): { stop(): CpuReading } {
  const t0 = performance.now();
  const before = new Map(pids.map((p) => [p, processCpuMs(p)] as const));
  const machineBefore = machineBusyCpuMs();
  return {
    stop: () => {
      const wall = performance.now() - t0;
      const pct = (a: number | undefined, b: number | undefined): number | undefined =>
        a === undefined || b === undefined || wall <= 0 ? undefined : ((a - b) / wall) * 100;
      const byPid = new Map<number, number | undefined>();
      for (const p of pids) byPid.set(p, pct(processCpuMs(p), before.get(p)));
      return { byPid, machine: pct(machineBusyCpuMs(), machineBefore) };
    },
  };
}

/** CPU use over an interval, by label, in percent of one core; `other` is the rest of the machine. */
export type CpuByLabel = Readonly<Record<string, number | undefined>>;

/**
 * Starts measuring the CPU of the labelled processes, of this process (as `selfLabel`, when
 * given) and of the machine; `stop(extra)` adds CPU figures measured elsewhere (e.g. reported
 * by child processes) before computing `other` = machine − everything labelled.
 */
export function cpuWindow(
  observePids: Readonly<Record<string, number>>,
  selfLabel?: string,
): { stop(extra?: CpuByLabel): CpuByLabel } {
  const entries = Object.entries(observePids);
  const meter = cpuMeter(entries.map(([, pid]) => pid));
  const t0 = performance.now();
  const self0 = process.cpuUsage();
  return {
    stop: (extra = {}) => {
      const wall = performance.now() - t0;
      const reading = meter.stop();
      const out: Record<string, number | undefined> = {};
      for (const [label, pid] of entries) out[label] = reading.byPid.get(pid);
      if (selfLabel !== undefined) {
        const d = process.cpuUsage(self0);
        out[selfLabel] = wall > 0 ? ((d.user + d.system) / 1000 / wall) * 100 : undefined;
      }
      Object.assign(out, extra);
      const known = Object.values(out).reduce<number | undefined>(
        (a, v) => (a === undefined || v === undefined ? undefined : a + v),
        0,
      );
      out['other'] =
        reading.machine === undefined || known === undefined ? undefined : Math.max(0, reading.machine - known);
      return out;
    },
  };
}

/** `cpu% server 98, load 87, other 3` */
export function describeCpu(cpu: CpuByLabel): string {
  const parts = Object.entries(cpu).map(([k, v]) => `${k} ${v === undefined ? '?' : v.toFixed(0)}`);
  return parts.length === 0 ? '' : `cpu% ${parts.join(', ')}`;
}
