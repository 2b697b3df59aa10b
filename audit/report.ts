/**
 * `guardyn audit report`: one self-contained HTML file (inline CSS and SVG, no
 * script, no network) over a window: events per hour by type, active users and
 * conversations per hour, commands rejected per hour and projection lag over
 * the window (from the samples on the AUDIT stream, audit/stats.ts), and the
 * views' lag now.
 *
 * It reads commit headers only (event types, actor), so a large window stays
 * cheap; nothing is decrypted and no message content is shown.
 */
import fs from 'node:fs/promises';
import { HEADER } from '../streams/envelope.ts';
import { CONVERSATION_SUBJECT_PREFIX, GROUP_SUBJECT_PREFIX, STREAMS } from '../streams/subjects.ts';
import { readWindow, type RangeReader } from './read.ts';
import { parseStatsSample, STATS_SUBJECTS, type StatsSample } from './stats.ts';
import { chart, escapeXml } from './svg.ts';
import { codeVersion } from './version.ts';
import { describeBound, type Window } from './window.ts';

export interface ReportOptions {
  readonly streams: readonly string[];
  readonly window: Window;
  readonly out: string;
  /** Each view's lag behind its stream now (absent: not shown). */
  readonly viewLagNow?: (() => Promise<Record<string, number>>) | undefined;
}

export interface ReportSummary {
  readonly commits: number;
  readonly events: number;
  readonly hours: number;
  readonly html: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_TYPES = 9;

interface Bucket {
  readonly types: Map<string, number>;
  readonly users: Set<string>;
  readonly conversations: Set<string>;
  rejected: number;
  readonly lag: Map<string, number>;
}

const newBucket = (): Bucket => ({
  types: new Map(),
  users: new Set(),
  conversations: new Set(),
  rejected: 0,
  lag: new Map(),
});

export async function buildReport(reader: RangeReader, options: ReportOptions): Promise<ReportSummary> {
  const byHour = new Map<number, Bucket>();
  const bucketOf = (ms: number) => {
    const h = Math.floor(ms / HOUR) * HOUR;
    let b = byHour.get(h);
    if (!b) byHour.set(h, (b = newBucket()));
    return b;
  };
  let commits = 0;
  let events = 0;
  let minMs = Infinity;
  let maxMs = -Infinity;
  const perStream: { stream: string; commits: number; firstSeq: number | null; lastSeq: number | null }[] = [];
  for (const stream of options.streams) {
    let n = 0;
    let first: number | null = null;
    let last: number | null = null;
    await readWindow(reader, { stream, window: options.window, headersOnly: true }, (m) => {
      const ms = m.timeMs;
      minMs = Math.min(minMs, ms);
      maxMs = Math.max(maxMs, ms);
      const b = bucketOf(ms);
      const types = m.header(HEADER.events);
      for (const type of types ? types.split(',') : ['(no event header)']) {
        b.types.set(type, (b.types.get(type) ?? 0) + 1);
        events++;
      }
      const actor = m.header(HEADER.actor);
      if (actor) b.users.add(actor.split('/')[0]!);
      if (m.subject.startsWith(CONVERSATION_SUBJECT_PREFIX) || m.subject.startsWith(GROUP_SUBJECT_PREFIX))
        b.conversations.add(m.subject);
      first ??= m.seq;
      last = m.seq;
      n++;
    });
    commits += n;
    perStream.push({ stream, commits: n, firstSeq: first, lastSeq: last });
  }
  // Operational samples of the same period.
  const samples: StatsSample[] = [];
  const statsWindow: Window = Number.isFinite(minMs)
    ? {
        from: { kind: 'time', ms: Math.floor(minMs / HOUR) * HOUR },
        to: { kind: 'time', ms: Math.floor(maxMs / HOUR) * HOUR + HOUR - 1 },
      }
    : options.window;
  if (statsWindow.from?.kind !== 'seq') {
    await readWindow(reader, { stream: STREAMS.audit, subject: STATS_SUBJECTS, window: statsWindow }, (m) => {
      const s = parseStatsSample(m.data);
      if (s) samples.push(s);
    }).catch(() => undefined);
  }
  const views = new Set<string>();
  for (const s of samples) {
    const b = bucketOf(s.at);
    for (const n of Object.values(s.rejected)) b.rejected += n;
    for (const [view, lag] of Object.entries(s.lag)) {
      views.add(view);
      b.lag.set(view, Math.max(b.lag.get(view) ?? 0, lag));
    }
  }

  // Buckets: hours, or days for windows over two weeks.
  const hours = [...byHour.keys()].sort((a, b) => a - b);
  const span = hours.length ? hours[hours.length - 1]! - hours[0]! : 0;
  const size = span > 14 * DAY ? DAY : HOUR;
  const keys: number[] = [];
  if (hours.length)
    for (let k = Math.floor(hours[0]! / size) * size; k <= hours[hours.length - 1]!; k += size) keys.push(k);
  const merged = keys.map((k) => {
    const out = newBucket();
    for (let h = k; h < k + size; h += HOUR) {
      const b = byHour.get(h);
      if (!b) continue;
      for (const [t, n] of b.types) out.types.set(t, (out.types.get(t) ?? 0) + n);
      for (const u of b.users) out.users.add(u);
      for (const c of b.conversations) out.conversations.add(c);
      out.rejected += b.rejected;
      for (const [v, l] of b.lag) out.lag.set(v, Math.max(out.lag.get(v) ?? 0, l));
    }
    return out;
  });
  const label = (k: number) =>
    size === DAY
      ? new Date(k).toISOString().slice(0, 10)
      : `${new Date(k).toISOString().slice(5, 13).replace('T', ' ')}h`;
  const labels = keys.map(label);
  const typeTotals = new Map<string, number>();
  for (const b of merged) for (const [t, n] of b.types) typeTotals.set(t, (typeTotals.get(t) ?? 0) + n);
  const ranked = [...typeTotals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = ranked.slice(0, MAX_TYPES).map(([t]) => t);
  const typeSeries = shown.map((t) => ({ name: t, values: merged.map((b) => b.types.get(t) ?? 0) }));
  if (ranked.length > MAX_TYPES) {
    typeSeries.push({
      name: 'other',
      values: merged.map((b) => [...b.types].filter(([t]) => !shown.includes(t)).reduce((s, [, n]) => s + n, 0)),
    });
  }
  const unit = size === DAY ? 'day' : 'hour';
  const lagNow = options.viewLagNow ? await options.viewLagNow().catch(() => undefined) : undefined;
  const code = codeVersion();
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Guardyn audit report</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}th{background:#f3f3f3}section{margin:18px 0}small{color:#666}</style>
</head><body>
<h1>Guardyn audit report</h1>
<p><small>Window ${escapeXml(String(describeBound(options.window.from) ?? 'start'))} to ${escapeXml(String(describeBound(options.window.to) ?? 'end'))};
${Number.isFinite(minMs) ? `commits from ${new Date(minMs).toISOString()} to ${new Date(maxMs).toISOString()}` : 'no commits'}.
Generated ${new Date().toISOString()} by code ${escapeXml(code.gitCommit ?? `version ${code.package}`)}.</small></p>
<section><h2>Streams</h2><table><tr><th>stream</th><th>commits</th><th>first seq</th><th>last seq</th></tr>
${perStream.map((s) => `<tr><td>${escapeXml(s.stream)}</td><td>${s.commits}</td><td>${s.firstSeq ?? ''}</td><td>${s.lastSeq ?? ''}</td></tr>`).join('\n')}
</table>
<table><tr><th>event type</th><th>events</th></tr>
${ranked.map(([t, n]) => `<tr><td>${escapeXml(t)}</td><td>${n}</td></tr>`).join('\n')}
</table></section>
<section>${chart({ title: `Events per ${unit} by type`, labels, series: typeSeries, kind: 'stacked-bars' })}</section>
<section>${chart({
    title: `Active users and conversations per ${unit}`,
    labels,
    kind: 'lines',
    series: [
      { name: 'active users (actors)', values: merged.map((b) => b.users.size) },
      { name: 'active conversations and groups', values: merged.map((b) => b.conversations.size) },
    ],
  })}</section>
<section>${chart({ title: `Commands rejected per ${unit}`, labels, series: samples.length ? [{ name: 'rejected', values: merged.map((b) => b.rejected) }] : [], kind: 'stacked-bars' })}
${samples.length ? '' : '<p><small>No operational samples on the AUDIT stream for this period (GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS=0, or no process ran then).</small></p>'}</section>
<section>${chart({ title: `Projection lag (most commits behind per ${unit})`, labels, series: [...views].sort().map((v) => ({ name: v, values: merged.map((b) => b.lag.get(v) ?? 0) })), kind: 'lines' })}
${
  lagNow
    ? `<table><tr><th>view</th><th>lag now</th></tr>${Object.entries(lagNow)
        .map(([v, l]) => `<tr><td>${escapeXml(v)}</td><td>${l}</td></tr>`)
        .join('')}</table>`
    : ''
}</section>
</body></html>
`;
  return { commits, events, hours: keys.length * (size / HOUR), html };
}

export async function writeReport(reader: RangeReader, options: ReportOptions): Promise<ReportSummary> {
  const summary = await buildReport(reader, options);
  await fs.writeFile(options.out, summary.html);
  return summary;
}
