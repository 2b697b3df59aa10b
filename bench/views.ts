/**
 * `npm run bench -- views [--commits=20000] [--subjects=500] [--rounds=1]`: how fast every view
 * of MESSAGES (timeline, conversations, inbox, groups, media_attachments) applies a recorded
 * stream in one process, against a raw ordered consume of the same stream.
 *
 * The stream is filled untimed (bench/partitions.ts `fill`: one ConversationStarted per
 * conversation, then MessageSent commits round-robin, 128 B of ciphertext each). Each round
 * measures, interleaved:
 * - raw ordered consume of MESSAGES from its start to its end (bench/raw-consume.ts);
 * - the views as the projection worker runs them (bin/projection-workers.ts, no leases), from
 *   empty embedded stores to the stream's end; rate = stream commits per second.
 * `--batch=N` sets the runner's batch size (default 1024, as the worker). `--read=per-view` runs one runner per view instead (the read path before one reader per stream).
 * `--stores=split` keeps the timeline in an LMDB environment of its own, as TiKV + ScyllaDB keep
 * the key-value views and the timeline apart: the worker then runs one reader per store.
 * The views row notes the process's CPU time per commit (JavaScript thread and LMDB's write
 * thread), which other load sways less than the rate.
 * `--profile` prints where the CPU time of the views phase of the last round went (bench/profile.ts),
 * with the share the JavaScript thread was idle.
 * The section ends with `views/raw consume ratio: R` (median paired ratio over the rounds).
 */
import path from 'node:path';
import { STREAMS } from '../streams/subjects.ts';
import { openEmbeddedStores } from '../stores/embedded.ts';
import { allProjections, type ProjectionProgress } from '../projections/index.ts';
import { describeMachine } from './machine.ts';
import { startProfile } from './profile.ts';
import { withFilledMessages } from './partitions.ts';
import { measureRawConsume } from './raw-consume.ts';
import {
  interleavedRounds,
  medianPairedRatio,
  medianRun,
  parsePositiveInt,
  printReport,
  type BenchArgs,
} from './run.ts';
import { rateOnly, type Stats } from './stats.ts';
import { startViewsOf } from './views-runner.ts';
import type { BenchWiring } from './wiring.ts';

export async function benchViews(a: BenchArgs, wiring: BenchWiring): Promise<void> {
  const commits = parsePositiveInt(a.raw['commits'] ?? '20000', 'commits');
  const subjectCount = parsePositiveInt(a.raw['subjects'] ?? '500', 'subjects');
  const perView = a.raw['read'] === 'per-view';
  const batchSize = a.raw['batch'] === undefined ? undefined : parsePositiveInt(a.raw['batch'], 'batch');
  if (a.raw['read'] !== undefined && a.raw['read'] !== 'per-view' && a.raw['read'] !== 'shared')
    throw new Error(`--read must be shared or per-view, got ${a.raw['read']}`);
  const profile = a.raw['profile'] === 'true';
  const split = a.raw['stores'] === 'split';
  if (a.raw['stores'] !== undefined && a.raw['stores'] !== 'split' && a.raw['stores'] !== 'one')
    throw new Error(`--stores must be one or split, got ${a.raw['stores']}`);
  await withFilledMessages('views', commits, subjectCount, async ({ nats, root, log, fillSeconds, last }) => {
    let views: string[] = [];
    let dirs = 0;
    let profiled: string[] = [];
    const runs = await interleavedRounds(a.rounds, {
      raw: () =>
        measureRawConsume(nats.server.url, {
          stream: STREAMS.messages,
          messages: last,
          name: 'raw ordered consume of MESSAGES',
        }),
      views: async () => {
        const stores = await openEmbeddedStores(path.join(root, `v${++dirs}`));
        const apart = split ? await openEmbeddedStores(path.join(root, `t${dirs}`)) : undefined;
        try {
          const all = allProjections({ kv: stores.kv, timeline: (apart ?? stores).timeline }, log);
          const messages = Object.values(all).filter((p) => p.stream === STREAMS.messages);
          views = messages.map((p) => p.name);
          const stopProfile = profile && dirs === a.rounds ? await startProfile(20) : undefined;
          const started = performance.now();
          const cpuBefore = process.cpuUsage();
          const running = await startViewsOf(wiring, log, messages, perView, batchSize);
          try {
            for (const [name, progress] of Object.entries(running.progress) as [string, ProjectionProgress][]) {
              if (!(await progress.waitFor(last, 600_000))) throw new Error(`view ${name} did not reach ${last}`);
            }
          } finally {
            await running.stop();
          }
          const seconds = (performance.now() - started) / 1000;
          const cpu = process.cpuUsage(cpuBefore);
          if (stopProfile) profiled = ['views phase of the last round:', ...(await stopProfile()), ''];
          // CPU of this process (JavaScript and LMDB's write thread) per commit: less swayed by other load than the rate.
          const perCommit = (cpu.user + cpu.system) / last;
          return rateOnly(
            'every view of MESSAGES, 1 process',
            last,
            seconds,
            `${running.describe}; cpu ${perCommit.toFixed(0)} us/commit`,
          );
        } finally {
          await stores.close();
          await apart?.close();
        }
      },
    });
    const raw = medianRun(runs.raw);
    const applied = medianRun(runs.views);
    const ratio = medianPairedRatio(runs.views, runs.raw);
    printReport({
      title: 'views',
      machine: describeMachine({ natsServerVersion: nats.server.version }),
      settings: [
        `${last} commits on MESSAGES (${subjectCount} conversations, ${commits} messages) filled in ${fillSeconds.toFixed(1)} s; ` +
          `views ${views.join(', ')} applied from empty embedded stores${split ? ' (timeline in an LMDB environment of its own)' : ''} to the stream's end; rate = stream commits per second; ${a.rounds} round(s), interleaved`,
      ],
      rows: [raw, applied] as Stats[],
      after: [...profiled, `views/raw consume ratio: ${ratio.toFixed(2)}`],
    });
  });
}
