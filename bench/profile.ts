/** Summarises a V8 .cpuprofile: where the time went, by package and by function (self time). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function bucketOf(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)' || fn === '(program)') return fn;
  if (!url) return fn.startsWith('(') ? fn : 'native';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /\/(streams|commands|projections|stores|gateways|runtime|bin|audit)\//.exec(url);
  return ours ? `guardyn/${ours[1]}` : 'other';
}

export function summarizeProfile(file: string, top = 15): string[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  let idle = 0;
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    total += us;
    const b = bucketOf(url, functionName);
    buckets.set(b, (buckets.get(b) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules\/)?/, '')}:${lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
  const lines = [
    `CPU profile (busy time ${(total / 1e6).toFixed(1)} s; idle ${(idle / 1e6).toFixed(1)} s excluded): self time by package`,
  ];
  for (const [b, us] of [...buckets].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${b}`);
  lines.push('top functions by self time');
  for (const [f, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(us)}  ${f}`);
  return lines;
}

/**
 * Profiles this process (V8 sampling profiler) until the returned function is called; that returns
 * the summary (GUARDYN_BENCH_KEEP_PROFILE=1 keeps the .cpuprofile file in the temp directory).
 */
export async function startProfile(top = 12): Promise<() => Promise<string[]>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    const file = path.join(os.tmpdir(), `guardyn-bench-${process.pid}-${Date.now()}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    try {
      return summarizeProfile(file, top);
    } finally {
      if (process.env['GUARDYN_BENCH_KEEP_PROFILE'] === undefined) fs.rmSync(file, { force: true });
    }
  };
}
