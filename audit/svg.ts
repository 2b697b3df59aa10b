/** Small inline SVG charts for the audit report: no script, no external resource. */

export const PALETTE = [
  '#4269d0',
  '#efb118',
  '#ff725c',
  '#6cc5b0',
  '#3ca951',
  '#ff8ab7',
  '#a463f2',
  '#97bbf5',
  '#9c6b4e',
  '#9498a0',
];

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

export interface ChartOptions {
  readonly title: string;
  /** One label per bucket (x axis). */
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly kind: 'stacked-bars' | 'lines';
  readonly width?: number;
  readonly height?: number;
}

const niceMax = (v: number): number => {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
};

export function chart(o: ChartOptions): string {
  const width = o.width ?? 960;
  const height = o.height ?? 280;
  const left = 56;
  const right = 16;
  const top = 28;
  const bottom = 56;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = Math.max(1, o.labels.length);
  const totals = o.labels.map((_, i) =>
    o.kind === 'stacked-bars'
      ? o.series.reduce((s, x) => s + (x.values[i] ?? 0), 0)
      : Math.max(0, ...o.series.map((x) => x.values[i] ?? 0)),
  );
  const max = niceMax(Math.max(0, ...totals));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const step = plotW / n;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(o.title)}">`,
  );
  parts.push(`<text x="${left}" y="18" font-size="14" font-weight="bold">${escapeXml(o.title)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const v = (max / 4) * k;
    const yy = y(v);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${yy.toFixed(1)}" y2="${yy.toFixed(1)}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${left - 6}" y="${(yy + 4).toFixed(1)}" font-size="10" text-anchor="end">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
    );
  }
  const labelEvery = Math.max(1, Math.ceil(n / 12));
  o.labels.forEach((label, i) => {
    if (i % labelEvery !== 0) return;
    const x = left + step * i + step / 2;
    parts.push(
      `<text x="${x.toFixed(1)}" y="${height - bottom + 14}" font-size="10" text-anchor="middle">${escapeXml(label)}</text>`,
    );
  });
  if (o.kind === 'stacked-bars') {
    const barW = Math.max(1, step * 0.8);
    o.labels.forEach((label, i) => {
      let base = 0;
      o.series.forEach((s, si) => {
        const v = s.values[i] ?? 0;
        if (v <= 0) return;
        const y0 = y(base);
        const y1 = y(base + v);
        base += v;
        parts.push(
          `<rect x="${(left + step * i + (step - barW) / 2).toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${Math.max(0.5, y0 - y1).toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${label} ${s.name}: ${v}`)}</title></rect>`,
        );
      });
    });
  } else {
    o.series.forEach((s, si) => {
      const points = s.values.map((v, i) => `${(left + step * i + step / 2).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      parts.push(
        `<polyline fill="none" stroke="${PALETTE[si % PALETTE.length]}" stroke-width="2" points="${points}"><title>${escapeXml(s.name)}</title></polyline>`,
      );
      s.values.forEach((v, i) => {
        parts.push(
          `<circle cx="${(left + step * i + step / 2).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeXml(`${o.labels[i]} ${s.name}: ${v}`)}</title></circle>`,
        );
      });
    });
  }
  // Legend
  let lx = left;
  o.series.forEach((s, si) => {
    parts.push(`<rect x="${lx}" y="${height - 22}" width="10" height="10" fill="${PALETTE[si % PALETTE.length]}"/>`);
    parts.push(`<text x="${lx + 14}" y="${height - 13}" font-size="11">${escapeXml(s.name)}</text>`);
    lx += 24 + s.name.length * 6.5;
  });
  if (o.series.length === 0 || o.labels.length === 0)
    parts.push(`<text x="${left + 8}" y="${top + plotH / 2}" font-size="12" fill="#777">no data in the window</text>`);
  parts.push('</svg>');
  return parts.join('');
}
