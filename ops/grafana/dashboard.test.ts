/**
 * The Grafana dashboard parses, and every metric its panels query is one the
 * system exports (a family of the registry, or a histogram's _bucket/_sum/_count).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { metricsRegistry } from '../../runtime/metrics.ts';
import '../../gateways/limits/auth-limits.ts';
import '../../gateways/ws/metrics.ts';

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'guardyn-dashboard.json');

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}

it('every panel of the dashboard queries metrics that exist', async () => {
  const dashboard = JSON.parse(fs.readFileSync(file, 'utf8')) as { panels: Panel[]; uid: string };
  assert.ok(dashboard.uid);
  assert.ok(dashboard.panels.length >= 10);
  const exported = new Set<string>();
  for (const m of await metricsRegistry.getMetricsAsJSON()) {
    exported.add(m.name);
    if (String(m.type) === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) exported.add(`${m.name}${suffix}`);
  }
  const used = new Set<string>();
  for (const panel of dashboard.panels) {
    assert.ok(panel.targets && panel.targets.length > 0, `panel ${panel.title} has queries`);
    for (const t of panel.targets) {
      const names = t.expr.match(/\bguardyn_[a-z0-9_]+/g) ?? [];
      assert.ok(names.length > 0, `panel ${panel.title} queries a guardyn metric`);
      for (const name of names) {
        assert.ok(
          exported.has(name),
          `panel ${JSON.stringify(panel.title)} queries ${name}, which the system does not export`,
        );
        used.add(name.replace(/_(bucket|sum|count)$/, ''));
      }
    }
  }
  for (const family of [
    'guardyn_rpc_seconds',
    'guardyn_command_conflicts_total',
    'guardyn_projection_lag',
    'guardyn_projection_redeliveries_total',
    'guardyn_ws_sockets',
    'guardyn_pushes_total',
  ]) {
    assert.ok(used.has(family), `the dashboard shows ${family}`);
  }
});
