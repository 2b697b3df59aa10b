/** Prometheus metrics of the WebSocket gateway (registered with runtime/metrics.ts's registry). */
import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '../../runtime/metrics.ts';

export const wsSockets = new Gauge({
  name: 'guardyn_ws_sockets',
  help: 'Open WebSocket connections, by state',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
});

export const wsClosed = new Counter({
  name: 'guardyn_ws_closed_total',
  help: 'WebSocket connections closed by the gateway, by reason',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const wsFrames = new Counter({
  name: 'guardyn_ws_frames_total',
  help: 'Frames received, by type (or the error they got)',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const wsDropped = new Counter({
  name: 'guardyn_ws_dropped_frames_total',
  help: 'Ephemeral frames (typing, presence) dropped for slow consumers',
  registers: [metricsRegistry],
});
