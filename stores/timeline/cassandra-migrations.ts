/**
 * Versioned schema migrations of the ScyllaDB (CQL) timeline store.
 *
 * The keyspace is created first (with the configured replication), then a
 * `schema_migrations` table records each applied version. Each migration's
 * statements are idempotent (IF NOT EXISTS), so a migration interrupted by a
 * crash is simply run again; its version is recorded only after all of its
 * statements succeeded. Only CQL that ScyllaDB and Cassandra share is used.
 */
import type { Client } from 'cassandra-driver';
import type { Replication } from '../../runtime/config-scylladb.ts';

export interface Migration {
  readonly version: number;
  readonly description: string;
  /** CQL statements, given the (validated) keyspace name. */
  readonly statements: (keyspace: string) => readonly string[];
}

export const TIMELINE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'timeline rows by (partition, time bucket), bucket bounds, checkpoints, settings',
    statements: (ks) => [
      // A partition's rows, one CQL partition per (timeline partition, time bucket), newest position first.
      `CREATE TABLE IF NOT EXISTS ${ks}.timeline_rows (
         partition text, bucket bigint, position bigint, time bigint, value blob,
         PRIMARY KEY ((partition, bucket), position)
       ) WITH CLUSTERING ORDER BY (position DESC)`,
      // Per timeline partition, its buckets and the highest and lowest position ever written into each.
      // Both bounds are cells written with the position as their write timestamp (high) or its complement
      // (low), so the last-write-wins rule keeps the maximum and the minimum without a read.
      `CREATE TABLE IF NOT EXISTS ${ks}.timeline_buckets (
         partition text, bucket bigint, high bigint, low bigint,
         PRIMARY KEY ((partition), bucket)
       ) WITH CLUSTERING ORDER BY (bucket DESC)`,
      `CREATE TABLE IF NOT EXISTS ${ks}.timeline_checkpoints (name text PRIMARY KEY, position bigint)`,
      // Settings fixed at first use (the bucket width): reading with another width would miss rows.
      `CREATE TABLE IF NOT EXISTS ${ks}.timeline_settings (name text PRIMARY KEY, value bigint)`,
    ],
  },
];

const IDENTIFIER = /^[a-z][a-z0-9_]{0,47}$/;

export function requireKeyspace(keyspace: string): string {
  if (!IDENTIFIER.test(keyspace))
    throw new RangeError(
      `keyspace ${JSON.stringify(keyspace)} must be 1-48 lower-case letters, digits or '_', starting with a letter`,
    );
  return keyspace;
}

export function replicationCql(replication: Replication): string {
  const factor = (n: number, what: string): number => {
    if (!Number.isInteger(n) || n < 1 || n > 15)
      throw new RangeError(`replication factor ${what} must be an integer from 1 to 15, got ${n}`);
    return n;
  };
  if (replication.class === 'SimpleStrategy') {
    return `{'class': 'SimpleStrategy', 'replication_factor': ${factor(replication.factor, '')}}`;
  }
  const entries = Object.entries(replication.factors);
  if (entries.length === 0) throw new RangeError('NetworkTopologyStrategy needs at least one datacenter');
  const parts = entries.map(([dc, n]) => {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(dc)) throw new RangeError(`datacenter name ${JSON.stringify(dc)} is not valid`);
    return `'${dc}': ${factor(n, `of ${dc}`)}`;
  });
  return `{'class': 'NetworkTopologyStrategy', ${parts.join(', ')}}`;
}

/**
 * Creates the keyspace (when absent: an existing keyspace keeps its replication) and applies
 * the migrations not yet recorded, in version order. Returns the versions applied now.
 */
export async function migrate(
  client: Client,
  keyspace: string,
  replication: Replication,
  migrations: readonly Migration[] = TIMELINE_MIGRATIONS,
): Promise<number[]> {
  const ks = requireKeyspace(keyspace);
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = ${replicationCql(replication)}`);
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${ks}.schema_migrations (version int PRIMARY KEY, description text, applied_at timestamp)`,
  );
  const done = new Set(
    (await client.execute(`SELECT version FROM ${ks}.schema_migrations`)).rows.map((r) => r['version'] as number),
  );
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    for (const statement of migration.statements(ks)) await client.execute(statement);
    await client.execute(
      `INSERT INTO ${ks}.schema_migrations (version, description, applied_at) VALUES (?, ?, toTimestamp(now()))`,
      [migration.version, migration.description],
      { prepare: true },
    );
    applied.push(migration.version);
  }
  return applied;
}
