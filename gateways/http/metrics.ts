/** The Prometheus endpoint (:9090): `GET /metrics` in the text format, from runtime/metrics.ts's registry. */
import type { Registry } from 'prom-client';
import { HttpRouter } from './server.ts';

export function metricsRouter(registry: Registry): HttpRouter {
  return new HttpRouter().on('GET', '/metrics', async (_req, res) => {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
    res.end(text);
  });
}
