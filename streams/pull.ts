/**
 * Options of Guardyn's long-running pull consumers (`consumer.consume`). A pull
 * request lives on the consumer's leader; when that leader dies or moves (a
 * NATS node lost, a consumer re-elected), the request is gone and the client
 * only notices after two missed idle heartbeats. The client library's default
 * pull expiry (30 s, heartbeat every 15 s) would leave a view or a worker
 * still for 30 s after a failover; 5 s pulls (heartbeat 2.5 s) bound that to
 * about 5 s, for one small pull request per 5 s while idle.
 */
export const PULL_EXPIRES_MS = 5000;
