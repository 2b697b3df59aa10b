/**
 * What each GUARDYN_* variable means, as data: ops/docs/generate.ts (`npm run docs`) joins it with
 * what the configuration code itself says (which names it reads, the defaults, the messages for bad
 * values) into docs/reference/configuration.md. Whole-number defaults are found from the code;
 * `default` is given here only for the other kinds. `requires`: variables that must be set before
 * the code reads this one (the S3 credentials are read only when an S3 endpoint is set).
 * A new variable read in runtime/config*.ts needs an entry here, or `npm run docs:check` fails.
 */
export interface ConfigVariable {
  readonly name: string;
  readonly meaning: string;
  /** The default as a reader should see it; absent: a whole number found from the code. */
  readonly default?: string;
  readonly requires?: Readonly<Record<string, string>>;
}

const S3 = {
  GUARDYN_MEDIA__S3_ENDPOINT: 'http://127.0.0.1:9000',
  GUARDYN_MEDIA__S3_ACCESS_KEY: 'a',
  GUARDYN_MEDIA__S3_SECRET_KEY: 's',
};
const SCYLLA = { GUARDYN_DATABASE__SCYLLADB_NODES: '127.0.0.1' };
const TIKV = { GUARDYN_DATABASE__TIKV_PD_ENDPOINTS: '127.0.0.1:2379' };

export const CONFIG_VARIABLES: readonly ConfigVariable[] = [
  // General
  {
    name: 'GUARDYN_DATA_DIR',
    default: '`./data`',
    meaning: 'where the embedded views, the local NATS store and generated keys live',
  },
  { name: 'GUARDYN_HOST', default: '`0.0.0.0`', meaning: 'bind address of the gRPC servers' },
  {
    name: 'GUARDYN_PORT',
    default: 'unset',
    meaning: "port of the single gateway role of `guardyn serve auth|messaging|presence` (overrides that role's port)",
  },
  {
    name: 'GUARDYN_LOG_LEVEL',
    default: '`info`',
    meaning: 'pino level: trace, debug, info, warn, error, fatal, silent',
  },
  {
    name: 'GUARDYN_LOG_FORMAT',
    default: '`auto`',
    meaning:
      '`auto`: readable lines (pino-pretty) when stdout is a terminal, JSON otherwise; `pretty` or `json` forces one (`guardyn up --log-format=json` sets it too)',
  },
  {
    name: 'GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE',
    meaning:
      'log lines per kind of client mistake (a request stream broken off, a cancelled call, a body cut short) a minute; the rest are counted into one `suppressed K similar` line (0: only those summaries)',
  },
  // NATS
  {
    name: 'GUARDYN_MESSAGING__NATS_URL',
    default: 'unset: `guardyn up` starts a local nats-server',
    meaning:
      'URL of an existing NATS server, or the servers of a cluster comma-separated (`nats://a:4222,nats://b:4222`)',
  },
  {
    name: 'GUARDYN_NATS__PORT',
    meaning: 'client port of the local nats-server `guardyn up` starts on 127.0.0.1 (0: a free one)',
  },
  {
    name: 'GUARDYN_NATS__SYNC_INTERVAL',
    default: '`always`',
    meaning:
      "disk sync of the local server's JetStream file store: `always` syncs every write before acknowledging it; a duration (`2m`, `30s`, `500ms`; 1 ms-24 h) bounds the acknowledged writes a power loss may take (docs/OPERATIONS.md); nats-server 2.9 keeps its built-in interval",
  },
  {
    name: 'GUARDYN_MESSAGING__STREAM_REPLICAS',
    default: '`auto`',
    meaning: 'replicas of every stream, 1-5; `auto`: 3 when the NATS server is in a cluster of 3 or more, else 1',
  },
  // Ports
  { name: 'GUARDYN_AUTH__PORT', meaning: 'AuthService gRPC port' },
  { name: 'GUARDYN_MESSAGING__PORT', meaning: 'MessagingService gRPC port' },
  { name: 'GUARDYN_PRESENCE__PORT', meaning: 'PresenceService gRPC port' },
  // Messaging
  { name: 'GUARDYN_MESSAGING__MAX_CONTENT_BYTES', meaning: 'largest `encrypted_content` accepted, bytes' },
  {
    name: 'GUARDYN_MESSAGING__DELETE_WINDOW_SECONDS',
    meaning: 'how long after sending a sender may delete a message for everyone',
  },
  {
    name: 'GUARDYN_MESSAGING__TYPING_PER_RECIPIENT',
    meaning: 'typing indicators per (sender, recipient) in the sliding window (0: no limit)',
  },
  {
    name: 'GUARDYN_MESSAGING__TYPING_PER_RECIPIENT_WINDOW_SECONDS',
    meaning: 'the window of `GUARDYN_MESSAGING__TYPING_PER_RECIPIENT`',
  },
  { name: 'GUARDYN_MESSAGING__MAX_GROUP_SIZE', meaning: 'most members of one group, the owner included' },
  {
    name: 'GUARDYN_QUERY__MIN_SEQ_WAIT_MS',
    meaning:
      'how long a query with `min_seq` waits for the view to apply that sequence before answering with what it has',
  },
  // Auth
  { name: 'GUARDYN_AUTH__ACCESS_TOKEN_TTL_SECONDS', meaning: 'access token lifetime' },
  {
    name: 'GUARDYN_AUTH__SESSION_CACHE_SECONDS',
    meaning:
      'how long a gateway reuses "this session is active" while it follows the session endings on the ACCOUNTS stream (1-600; a revocation is refused at once through that follower, this bounds a stuck follower; without it the reuse is 1 s)',
  },
  { name: 'GUARDYN_AUTH__REFRESH_TOKEN_TTL_SECONDS', meaning: 'refresh token lifetime' },
  {
    name: 'GUARDYN_AUTH__JWT_PRIVATE_KEY',
    default: 'generated into `<data dir>/keys/`',
    meaning: 'Ed25519 (or P-256) PKCS#8 PEM that signs access tokens; give every instance the same one',
  },
  {
    name: 'GUARDYN_AUTH__JWT_KEYS_DIR',
    default: 'unset',
    meaning:
      'instead of one key, a key set: a directory of `<kid>.pem` private keys, all accepted, read again every `GUARDYN_AUTH__JWT_KEYS_RELOAD_SECONDS` (rotation: docs/adr/0006)',
  },
  {
    name: 'GUARDYN_AUTH__JWT_ACTIVE_KID',
    default: 'the newest activated key',
    meaning: "the kid (file name without `.pem`) of the key set's signing key",
    requires: { GUARDYN_AUTH__JWT_KEYS_DIR: '/etc/guardyn/jwt' },
  },
  {
    name: 'GUARDYN_AUTH__JWT_KEYS_RELOAD_SECONDS',
    meaning: 'how often the key directory is read again (0: only at start)',
  },
  {
    name: 'GUARDYN_AUTH__JWT_KEY_ACTIVATION_DELAY_SECONDS',
    meaning: 'how long a new key file is only accepted before it may sign (when no kid is named)',
  },
  {
    name: 'GUARDYN_AUTH__JWT_ALGORITHMS',
    default: '`EdDSA,ES256`',
    meaning: 'JWS algorithms accepted and usable for signing (asymmetric only)',
  },
  {
    name: 'GUARDYN_AUTH__ISSUER',
    default: '`guardyn`',
    meaning: '`iss` of access tokens; tokens from another issuer are refused',
  },
  {
    name: 'GUARDYN_AUTH__AUDIENCE',
    default: '`guardyn`',
    meaning: '`aud` of access tokens; tokens for another audience are refused',
  },
  {
    name: 'GUARDYN_AUTH__ARGON2_MEMORY_KIB',
    meaning: 'Argon2id memory; below the OWASP minimum (19456 KiB x 2 passes or an equivalent) the start is refused',
  },
  { name: 'GUARDYN_AUTH__ARGON2_PASSES', meaning: 'Argon2id passes (see `GUARDYN_AUTH__ARGON2_MEMORY_KIB`)' },
  { name: 'GUARDYN_AUTH__ARGON2_PARALLELISM', meaning: 'Argon2id lanes' },
  {
    name: 'GUARDYN_AUTH__ARGON2_ALLOW_WEAK',
    default: '0',
    meaning: '1 accepts Argon2id settings below the OWASP minimum: tests and benchmarks only',
  },
  // Limits
  {
    name: 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT',
    meaning:
      'failed logins per account (lower-cased username) in the window; over it only a device already registered to the account logs in (docs/adr/0061)',
  },
  { name: 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_WINDOW_SECONDS', meaning: 'its sliding window' },
  {
    name: 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS',
    meaning:
      'failed logins per (account, client address); over it that address may not try that account at all; a success from the address clears it',
  },
  { name: 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ACCOUNT_ADDRESS_WINDOW_SECONDS', meaning: 'its sliding window' },
  { name: 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS', meaning: 'failed logins per client address' },
  { name: 'GUARDYN_LIMITS__LOGIN_FAILURES_PER_ADDRESS_WINDOW_SECONDS', meaning: 'its sliding window' },
  { name: 'GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS', meaning: 'registration attempts per client address' },
  { name: 'GUARDYN_LIMITS__REGISTRATIONS_PER_ADDRESS_WINDOW_SECONDS', meaning: 'its sliding window' },
  { name: 'GUARDYN_LIMITS__SEARCHES_PER_ADDRESS', meaning: '`SearchUsers` calls per client address' },
  { name: 'GUARDYN_LIMITS__SEARCHES_PER_ADDRESS_WINDOW_SECONDS', meaning: 'its sliding window' },
  {
    name: 'GUARDYN_LIMITS__MAX_TRACKED_KEYS',
    meaning: 'most accounts or addresses one limiter remembers (least recently used forgotten first)',
  },
  {
    name: 'GUARDYN_LIMITS__STREAMS_PER_USER',
    meaning:
      "gRPC server streams (ReceiveMessages, Subscribe, DownloadMedia; gRPC-Web's too) one user may hold open on one process; beyond it `RESOURCE_EXHAUSTED` (0: no limit)",
  },
  { name: 'GUARDYN_LIMITS__STREAMS_PER_DEVICE', meaning: 'the same per device (0: no limit)' },
  {
    name: 'GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER',
    default: 'unset: the TCP peer',
    meaning:
      'metadata header a trusted proxy sets with the client address (e.g. `x-forwarded-for`; its right-most entry counts)',
  },
  // Presence
  { name: 'GUARDYN_PRESENCE__AWAY_AFTER_MS', meaning: 'idle time after which a connected user shows AWAY' },
  {
    name: 'GUARDYN_PRESENCE__HEARTBEAT_TIMEOUT_MS',
    meaning:
      'a device that only calls UpdateLastSeen / UpdateStatus / SetTyping counts as present this long after its last call',
  },
  {
    name: 'GUARDYN_PRESENCE__LAST_SEEN_EVERY_MS',
    meaning: 'while the status stays, last-seen is committed at most this often',
  },
  { name: 'GUARDYN_PRESENCE__INSTANCE_BEAT_MS', meaning: 'how often every gateway process announces it is alive' },
  {
    name: 'GUARDYN_PRESENCE__INSTANCE_TIMEOUT_MS',
    meaning: 'a gateway silent this long is taken for crashed and its devices go OFFLINE (at least twice the beat)',
  },
  {
    name: 'GUARDYN_PRESENCE__TYPING_PER_RECIPIENT',
    meaning: 'SetTyping signals per (sender, recipient) in the window (0: no limit)',
  },
  { name: 'GUARDYN_PRESENCE__TYPING_PER_RECIPIENT_WINDOW_SECONDS', meaning: 'its sliding window' },
  {
    name: 'GUARDYN_PRESENCE__VISIBILITY',
    default: '`contacts`',
    meaning:
      'whose presence a user sees: `contacts` (users sharing a conversation or a group) or `everyone`; typing goes to contacts only either way',
  },
  // WebSocket
  {
    name: 'GUARDYN_MESSAGING__ENABLE_WEBSOCKET',
    default: '1',
    meaning: 'the WebSocket gateway `/ws` of the messaging role (docs/WEBSOCKET.md)',
  },
  { name: 'GUARDYN_MESSAGING__WEBSOCKET_PORT', meaning: 'its port' },
  {
    name: 'GUARDYN_WEBSOCKET__MAX_FRAME_BYTES',
    meaning: 'largest frame accepted; larger ones get `FRAME_TOO_LARGE`, above max(4 x it, 1 MiB) the socket is closed',
  },
  {
    name: 'GUARDYN_WEBSOCKET__MAX_SOCKETS_PER_USER',
    meaning: 'sockets one user may hold on one gateway; the oldest is closed beyond it',
  },
  {
    name: 'GUARDYN_WEBSOCKET__ALLOWED_ORIGINS',
    default: 'unset: any',
    meaning:
      'origins allowed to open a socket, comma-separated; a request without Origin (a native app) is always allowed',
  },
  {
    name: 'GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET',
    meaning: 'client frames per socket in the window; over it `error RATE_LIMITED` and the frame is dropped',
  },
  { name: 'GUARDYN_WEBSOCKET__FRAMES_PER_SOCKET_WINDOW_SECONDS', meaning: 'its sliding window' },
  { name: 'GUARDYN_WEBSOCKET__AUTH_TIMEOUT_MS', meaning: 'how long a socket may stay unauthenticated' },
  { name: 'GUARDYN_WEBSOCKET__PING_INTERVAL_MS', meaning: 'protocol ping interval' },
  { name: 'GUARDYN_WEBSOCKET__IDLE_TIMEOUT_MS', meaning: 'a socket silent (no frame, no pong) this long is closed' },
  { name: 'GUARDYN_WEBSOCKET__QUEUE_FRAMES', meaning: "frames waiting per socket beyond the transport's buffer" },
  { name: 'GUARDYN_WEBSOCKET__STALL_TIMEOUT_MS', meaning: 'a socket whose queue stays full this long is closed' },
  {
    name: 'GUARDYN_WEBSOCKET__RESUME_MAX_EVENTS',
    meaning: 'most stored events a `resume` replays; a larger gap is answered with `resync`',
  },
  { name: 'GUARDYN_WEBSOCKET__SESSION_CHECK_MS', meaning: 'how often the sessions of open sockets are checked again' },
  // Media
  { name: 'GUARDYN_MEDIA__PORT', meaning: 'MediaService gRPC port' },
  {
    name: 'GUARDYN_MEDIA__HTTP_PORT',
    meaning: "port of the embedded blob store's HTTP listener that serves presigned URLs",
  },
  {
    name: 'GUARDYN_MEDIA__PUBLIC_URL',
    default: '`http://127.0.0.1:<http port>`',
    meaning: "base of the embedded store's presigned URLs as clients reach it",
  },
  {
    name: 'GUARDYN_MEDIA__S3_ENDPOINT',
    default: 'unset: files under `<data dir>/blobs`',
    meaning: 'S3 API endpoint (`http(s)://host:port`) of the blob store (MinIO in production)',
  },
  {
    name: 'GUARDYN_MEDIA__S3_ACCESS_KEY',
    default: 'unset',
    meaning: 'S3 access key (needed with an endpoint)',
    requires: { GUARDYN_MEDIA__S3_ENDPOINT: S3.GUARDYN_MEDIA__S3_ENDPOINT },
  },
  {
    name: 'GUARDYN_MEDIA__S3_SECRET_KEY',
    default: 'unset',
    meaning: 'S3 secret key (needed with an endpoint)',
    requires: { GUARDYN_MEDIA__S3_ENDPOINT: S3.GUARDYN_MEDIA__S3_ENDPOINT },
  },
  { name: 'GUARDYN_MEDIA__S3_BUCKET', default: '`guardyn-media`', meaning: 'the bucket', requires: S3 },
  {
    name: 'GUARDYN_MEDIA__S3_REGION',
    default: '`us-east-1`',
    meaning: 'the region presigned URLs are signed for',
    requires: S3,
  },
  { name: 'GUARDYN_MEDIA__MAX_SIZE_BYTES', meaning: 'largest media object' },
  { name: 'GUARDYN_MEDIA__QUOTA_BYTES', meaning: 'bytes of media one user may store' },
  { name: 'GUARDYN_MEDIA__QUOTA_COUNT', meaning: 'media objects one user may store' },
  { name: 'GUARDYN_MEDIA__UPLOAD_URL_EXPIRY_SECONDS', meaning: 'lifetime of a presigned upload URL' },
  { name: 'GUARDYN_MEDIA__DOWNLOAD_URL_EXPIRY_SECONDS', meaning: 'lifetime of a presigned download URL' },
  { name: 'GUARDYN_MEDIA__PENDING_TTL_SECONDS', meaning: 'an upload not completed within this is removed' },
  {
    name: 'GUARDYN_MEDIA__UNATTACHED_TTL_SECONDS',
    meaning: 'a completed upload no message refers to is removed after this',
  },
  { name: 'GUARDYN_MEDIA__CLEANUP_INTERVAL_SECONDS', meaning: 'how often the media clean-up runs' },
  {
    name: 'GUARDYN_MEDIA__THUMBNAIL_MAX_PIXELS',
    meaning:
      'largest image (width x height as its header declares) `GenerateThumbnail` decodes; larger ones are refused before decoding',
  },
  { name: 'GUARDYN_MEDIA__THUMBNAIL_WORKERS', meaning: 'worker threads decoding images for thumbnails' },
  { name: 'GUARDYN_MEDIA__THUMBNAIL_WORKER_MEMORY_MB', meaning: 'JavaScript heap of each thumbnail worker, MiB' },
  {
    name: 'GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS',
    meaning: 'longest one thumbnail may take; its worker is terminated then and the request refused',
  },
  // Notifications, metrics, web
  {
    name: 'GUARDYN_NOTIFICATIONS__PORT',
    meaning: 'HTTP server of the notifications role: push-token API, `/health`, gRPC-Web and the web client',
  },
  {
    name: 'GUARDYN_NOTIFICATIONS__MAX_AGE_SECONDS',
    meaning: 'a message older than this when the push projection sees it gets no push',
  },
  { name: 'GUARDYN_NOTIFICATIONS__MAX_ATTEMPTS', meaning: 'deliveries of a push before it is parked' },
  {
    name: 'GUARDYN_NOTIFICATIONS__RETRY_BASE_MS',
    meaning: 'back-off base: base x 2^(attempt-1), capped (a longer Retry-After wins)',
  },
  { name: 'GUARDYN_NOTIFICATIONS__RETRY_MAX_MS', meaning: 'back-off cap (not below the base)' },
  { name: 'GUARDYN_NOTIFICATIONS__PROVIDER_TIMEOUT_MS', meaning: 'timeout of one provider request' },
  {
    name: 'GUARDYN_NOTIFICATIONS__INSTANCE_TIMEOUT_MS',
    meaning: "a silent gateway instance's devices count as offline after this",
  },
  {
    name: 'GUARDYN_NOTIFICATIONS__FCM_SERVICE_ACCOUNT_FILE',
    default: 'unset: no FCM',
    meaning: 'FCM service-account JSON key file (project_id, client_email, private_key, token_uri)',
  },
  { name: 'GUARDYN_NOTIFICATIONS__FCM_ENDPOINT', default: "FCM's", meaning: 'where FCM requests go' },
  {
    name: 'GUARDYN_NOTIFICATIONS__FCM_TOKEN_URI',
    default: "the key file's",
    meaning: 'where FCM access tokens come from',
  },
  {
    name: 'GUARDYN_NOTIFICATIONS__APNS_KEY_FILE',
    default: 'unset: no APNs',
    meaning: 'the APNs .p8 provider key (with the key id, team id and topic: all four or none)',
  },
  { name: 'GUARDYN_NOTIFICATIONS__APNS_KEY_ID', default: 'unset', meaning: 'the APNs key id' },
  { name: 'GUARDYN_NOTIFICATIONS__APNS_TEAM_ID', default: 'unset', meaning: 'the APNs team id' },
  { name: 'GUARDYN_NOTIFICATIONS__APNS_TOPIC', default: 'unset', meaning: "the app's bundle id" },
  {
    name: 'GUARDYN_NOTIFICATIONS__APNS_ENDPOINT',
    default: "Apple's production gateway",
    meaning: 'APNs production gateway',
  },
  {
    name: 'GUARDYN_NOTIFICATIONS__APNS_SANDBOX_ENDPOINT',
    default: "Apple's sandbox gateway",
    meaning: 'APNs sandbox gateway',
  },
  {
    name: 'GUARDYN_METRICS__PORT',
    meaning:
      'Prometheus text (`GET /metrics`) of the process; `off`: none. `guardyn up`: the views process on this port, the gateways on the next',
  },
  {
    name: 'GUARDYN_WEB__GRPC_WEB',
    default: '1',
    meaning: 'gRPC-Web for the services of the process on the notifications HTTP server',
  },
  { name: 'GUARDYN_WEB__CLIENT', default: '1', meaning: 'the web client at `/` on the notifications HTTP server' },
  {
    name: 'GUARDYN_WEB__ALLOWED_ORIGINS',
    default: "unset: the server's own page only",
    meaning: 'other origins allowed to call gRPC-Web (comma-separated, or `*`)',
  },
  { name: 'GUARDYN_WEB__MAX_MESSAGE_BYTES', meaning: 'largest gRPC-Web request message, bytes' },
  // Audit
  {
    name: 'GUARDYN_AUDIT__SIGNING_KEY',
    default: 'generated into `<data dir>/keys/`',
    meaning: 'Ed25519 PKCS#8 PEM that signs the audit checkpoints',
  },
  {
    name: 'GUARDYN_AUDIT__PUBLIC_KEY',
    default: 'derived from the signing key',
    meaning: 'Ed25519 SPKI PEM with which `guardyn audit verify` checks checkpoints (analysts need only this one)',
  },
  {
    name: 'GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS',
    meaning: 'how often checkpoints and operational samples are written to the AUDIT stream (0: never)',
  },
  // Projections
  {
    name: 'GUARDYN_PROJECTIONS__PARTITIONS',
    default: '1',
    meaning:
      'partitions of the timeline, conversations, inbox and groups views; set it on every process; with 2 or more, several `guardyn serve projections` share them by lease',
  },
  {
    name: 'GUARDYN_PROJECTIONS__WORKER_ID',
    default: '`<host>-<pid>`',
    meaning: "a projection worker's name in the leases (setting it turns leases on)",
  },
  {
    name: 'GUARDYN_PROJECTIONS__LEASE_MS',
    meaning: "how long a lease lasts unrenewed: a dead worker's views move after it",
  },
  // Stores
  {
    name: 'GUARDYN_DATABASE__TIKV_PD_ENDPOINTS',
    default: 'unset: the embedded LMDB store',
    meaning:
      'comma-separated PD endpoints (`host:port` or `http://host:port`); the key-value views then live in TiKV RawKV',
  },
  {
    name: 'GUARDYN_DATABASE__TIKV_KEY_PREFIX',
    default: 'unset: no prefix',
    meaning:
      'every key of the views is stored under this prefix (several deployments or test runs sharing one cluster)',
    requires: TIKV,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_NODES',
    default: 'unset: the embedded timeline',
    meaning: 'ScyllaDB (any CQL server) nodes, `host[:port]` comma-separated; set, the timeline view lives there',
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_LOCAL_DC',
    default: '`datacenter1`',
    meaning: 'the datacenter the token-aware, DC-aware balancing prefers',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_KEYSPACE',
    default: '`guardyn`',
    meaning: 'the keyspace (created with its tables by versioned migrations)',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_REPLICATION',
    default: '`SimpleStrategy:1`',
    meaning: 'replication of a new keyspace: `SimpleStrategy:<n>` or `NetworkTopologyStrategy:<dc>=<n>,...`',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_READ_CONSISTENCY',
    default: '`LOCAL_QUORUM`',
    meaning: 'consistency of reads',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_WRITE_CONSISTENCY',
    default: '`LOCAL_QUORUM`',
    meaning: 'consistency of writes',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_BUCKET_HOURS',
    meaning: 'width of a timeline time bucket, hours (fixed when the keyspace is first used)',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_USERNAME',
    default: 'unset',
    meaning: 'PasswordAuthenticator user (with the password: both or neither)',
    requires: SCYLLA,
  },
  {
    name: 'GUARDYN_DATABASE__SCYLLADB_PASSWORD',
    default: 'unset',
    meaning: 'PasswordAuthenticator password',
    requires: SCYLLA,
  },
  // Calls
  {
    name: 'GUARDYN_CALLS__GRPC_PORT',
    meaning: 'the call service (`guardyn.call.CallService`) of the `calls` role (docs/CALLS.md)',
  },
  { name: 'GUARDYN_CALLS__WEBSOCKET_PORT', meaning: 'the call WebSocket `/ws` of the `calls` role' },
  { name: 'GUARDYN_CALLS__ENABLE_WEBSOCKET', default: '`1`', meaning: '`0` turns the call WebSocket off' },
  {
    name: 'GUARDYN_CALLS__RING_TIMEOUT_MS',
    meaning: 'how long a call rings before it is recorded missed (100-600000)',
  },
  {
    name: 'GUARDYN_CALLS__MAX_OFFER_BYTES',
    meaning: 'largest encrypted offer or answer; larger or empty: `INVALID_REQUEST` naming the field',
  },
  {
    name: 'GUARDYN_CALLS__MAX_SIGNAL_BYTES',
    meaning:
      'largest encrypted signal (ICE candidates, renegotiation); larger or empty: `INVALID_REQUEST` naming the field',
  },
  {
    name: 'GUARDYN_CALLS__STARTS_PER_CALLER',
    meaning: 'calls one user may start per window (per calls process); over it `RATE_LIMITED` with `retry_after_ms`',
  },
  {
    name: 'GUARDYN_CALLS__STARTS_PER_CALLER_WINDOW_SECONDS',
    meaning: 'the window of `GUARDYN_CALLS__STARTS_PER_CALLER`',
  },
  { name: 'GUARDYN_CALLS__SIGNALS_PER_DEVICE', meaning: 'signals one device may send per window (per calls process)' },
  {
    name: 'GUARDYN_CALLS__SIGNALS_PER_DEVICE_WINDOW_SECONDS',
    meaning: 'the window of `GUARDYN_CALLS__SIGNALS_PER_DEVICE`',
  },
  {
    name: 'GUARDYN_CALLS__TURN_SECRET',
    default: 'unset: `<data dir>/keys/turn-secret` (made on first start)',
    meaning: "the TURN REST secret shared with coturn's `static-auth-secret` (at least 16 characters)",
  },
  {
    name: 'GUARDYN_CALLS__TURN_URIS',
    default: '`turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp`',
    meaning: 'TURN/STUN uris handed out with the credentials (comma-separated `turn:`, `turns:`, `stun:`)',
  },
  { name: 'GUARDYN_CALLS__TURN_TTL_SECONDS', meaning: 'lifetime of TURN credentials (60 s-7 days)' },
  // TURN (coturn under guardyn up)
  {
    name: 'GUARDYN_TURN__ENABLED',
    default: '`auto`',
    meaning:
      '`guardyn up` starts coturn (`turnserver`) as a supervised child: `auto` when installed (`bash ops/install-coturn.sh`), `1` always (missing: the start stops), `0` never (docs/CALLS-TURN.md)',
  },
  { name: 'GUARDYN_TURN__BIN', default: '`turnserver` on PATH', meaning: 'the turnserver binary' },
  {
    name: 'GUARDYN_TURN__LISTEN_IP',
    default: '`127.0.0.1`',
    meaning: 'where coturn listens (loopback unless configured)',
  },
  {
    name: 'GUARDYN_TURN__RELAY_IP',
    default: 'the listening address',
    meaning: 'the local address relayed media leaves from',
  },
  {
    name: 'GUARDYN_TURN__EXTERNAL_IP',
    default: 'unset',
    meaning: 'public address behind 1:1 NAT, `public` or `public/private`',
  },
  { name: 'GUARDYN_TURN__PORT', meaning: 'TURN over UDP and TCP' },
  { name: 'GUARDYN_TURN__TLS_PORT', meaning: 'TURN over TLS (only with a certificate and key)' },
  {
    name: 'GUARDYN_TURN__TLS_CERT_FILE',
    default: 'unset',
    meaning: 'PEM certificate for TLS on the TLS port; with `GUARDYN_TURN__TLS_KEY_FILE`, both or neither',
  },
  {
    name: 'GUARDYN_TURN__TLS_KEY_FILE',
    default: 'unset',
    meaning: 'PEM key for TLS on the TLS port; with `GUARDYN_TURN__TLS_CERT_FILE`, both or neither',
  },
  { name: 'GUARDYN_TURN__MIN_PORT', meaning: 'lowest UDP port of relayed media' },
  { name: 'GUARDYN_TURN__MAX_PORT', default: '65535', meaning: 'highest UDP port of relayed media' },
  { name: 'GUARDYN_TURN__REALM', default: '`guardyn`', meaning: 'the TURN realm' },
  {
    name: 'GUARDYN_TURN__DENIED_PEER_IPS',
    default: 'private, shared, link-local and reserved ranges',
    meaning: 'address ranges the relay never sends to (`a-b` or one address, comma-separated; `none`)',
  },
  { name: 'GUARDYN_TURN__ALLOWED_PEER_IPS', default: 'none', meaning: 'ranges let through despite the denied ones' },
  {
    name: 'GUARDYN_TURN__ALLOW_LOOPBACK_PEERS',
    default: '`0`',
    meaning: '`1` lets the relay reach 127.0.0.0/8: tests on one machine only, never in production',
  },
];
