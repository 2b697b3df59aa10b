/** Prometheus metrics of one Guardyn process (served as text on :9090 by the HTTP gateway). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'guardyn_process_' });

export const commandLatency = new Histogram({
  name: 'guardyn_command_seconds',
  help: 'Time from a command entering the handler to its commit being acknowledged',
  labelNames: ['command', 'outcome'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [metricsRegistry],
});

export const commandConflicts = new Counter({
  name: 'guardyn_command_conflicts_total',
  help: 'Appends that lost an optimistic-concurrency race and were decided again',
  labelNames: ['command'] as const,
  registers: [metricsRegistry],
});

export const projectionLag = new Gauge({
  name: 'guardyn_projection_lag',
  help: 'Stream messages not yet applied by a projection',
  labelNames: ['projection'] as const,
  registers: [metricsRegistry],
});

export const publishRetries = new Counter({
  name: 'guardyn_publish_retries_total',
  help: 'Commits sent to JetStream again (same Nats-Msg-Id) after no acknowledgement or no stream leader',
  registers: [metricsRegistry],
});

export const projectionApplied = new Counter({
  name: 'guardyn_projection_applied_total',
  help: 'Commits applied by a projection',
  labelNames: ['projection'] as const,
  registers: [metricsRegistry],
});

export const projectionConsumerRestarts = new Counter({
  name: 'guardyn_projection_consumer_restarts_total',
  help: 'Times a projection restarted its consumer at the checkpoint because deliveries were skipped (a consumer leader lost with messages in flight)',
  labelNames: ['projection'] as const,
  registers: [metricsRegistry],
});

export const projectionRedeliveries = new Counter({
  name: 'guardyn_projection_redeliveries_total',
  help: 'Commits delivered again that a projection had already applied (skipped)',
  labelNames: ['projection'] as const,
  registers: [metricsRegistry],
});

/** Lease units (view partitions, `single`) this projection worker holds (projections/runtime/leases.ts). */
export const projectionLeasesHeld = new Gauge({
  name: 'guardyn_projection_leases_held',
  help: 'Lease units (view partitions or the single-owner views) this projection worker holds',
  registers: [metricsRegistry],
});

/** Lease changes of this worker: taken, given back, lost (another owner or not renewed in time), fenced (a commit refused). */
export const projectionLeaseChanges = new Counter({
  name: 'guardyn_projection_lease_changes_total',
  help: 'Lease changes of this projection worker by kind: taken, given_back, lost, fenced',
  labelNames: ['kind'] as const,
  registers: [metricsRegistry],
});

export const projectionParked = new Counter({
  name: 'guardyn_projection_parked_total',
  help: 'Poison commits parked with their error instead of blocking a projection',
  labelNames: ['projection'] as const,
  registers: [metricsRegistry],
});

export const rpcLatency = new Histogram({
  name: 'guardyn_rpc_seconds',
  help: 'gRPC handler time by method and contract outcome',
  labelNames: ['method', 'code'] as const,
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [metricsRegistry],
});

export const pushJobsQueued = new Counter({
  name: 'guardyn_push_jobs_total',
  help: 'Push decisions of the push projection per recipient device: queued (offline), online (no push), stale (message too old)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const pushDeliveries = new Counter({
  name: 'guardyn_pushes_total',
  help: 'Push attempts by provider and outcome: delivered, retried, token_removed, parked, no_token',
  labelNames: ['provider', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const pushProviderLatency = new Histogram({
  name: 'guardyn_push_provider_seconds',
  help: 'Time of one request to a push provider (FCM, APNs), by outcome',
  labelNames: ['provider', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const pushLatency = new Histogram({
  name: 'guardyn_push_latency_seconds',
  help: 'Time from a message being committed to its push being accepted by the provider',
  labelNames: ['provider'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});
