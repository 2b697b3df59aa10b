/**
 * Where Guardyn finds NATS: GUARDYN_MESSAGING__NATS_URL is one server URL or a
 * comma-separated list of the cluster's servers (`nats://a:4222,nats://b:4222`).
 * The client connects to any of them and learns the rest of the cluster from
 * the servers' INFO, so one reachable URL is enough to start; listing every
 * node lets a process start while any one node is down.
 */

/** One server: nats:// tls:// ws:// wss:// URL, or host:port. */
const SERVER = /^(nats|tls|ws|wss):\/\/[^\s,]+$|^[\w.-]+:\d+$/;

export type ServerListCheck =
  | { readonly ok: true; readonly servers: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Splits and checks a server list; names the entry at fault. */
export function parseServerList(text: string): ServerListCheck {
  const entries = text.split(',').map((s) => s.trim());
  if (entries.length > 32) return { ok: false, reason: `lists ${entries.length} servers (at most 32)` };
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const which = entries.length === 1 ? 'is' : `entry ${i + 1} (${JSON.stringify(entry)}) is`;
    if (entry === '') return { ok: false, reason: `${entries.length === 1 ? 'is' : `entry ${i + 1} is`} empty` };
    if (!SERVER.test(entry)) return { ok: false, reason: `${which} not a NATS URL (nats://host:port)` };
    if (seen.has(entry)) return { ok: false, reason: `${which} listed twice` };
    seen.add(entry);
  }
  return { ok: true, servers: entries };
}

/** The servers of a list already checked by the configuration (or a single URL). */
export function serverList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
