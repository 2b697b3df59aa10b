/**
 * The client address a per-address limit counts against.
 *
 * - By default the TCP peer of the call (grpc-js `getPeer()`: `1.2.3.4:5678`,
 *   `::1:5678`, `[::1]:5678`), without its port.
 * - Behind a proxy (Envoy), every call comes from the proxy; name the header the
 *   proxy sets (GUARDYN_LIMITS__CLIENT_ADDRESS_HEADER, e.g. `x-forwarded-for` or
 *   `x-envoy-external-address`) and its right-most entry is used: the one the
 *   proxy itself appended, which a client cannot forge. Only name a header your
 *   proxy always sets, or clients choose their own address.
 * - IPv4-mapped IPv6 addresses count as IPv4. Other IPv6 addresses count by
 *   their /64 network: one host usually holds a whole /64, so per-address
 *   counting of single IPv6 addresses would be trivial to evade.
 */
import { isIP } from 'node:net';

/** What the address needs of a gRPC call. */
export interface CallWithPeer {
  getPeer(): string;
  readonly metadata: { get(key: string): (string | Buffer)[] };
}

/** The address key of a call: `ipv4:1.2.3.4`, `ipv6:2001:db8:0:0::/64`, or `peer:<text>` when unparsable. */
export function clientAddress(call: CallWithPeer, header: string | undefined): string {
  if (header !== undefined) {
    const values = call.metadata.get(header);
    const last = values[values.length - 1];
    const text = typeof last === 'string' ? last : last?.toString('utf8');
    const entry = text?.split(',').pop()?.trim();
    if (entry !== undefined && entry !== '') {
      // Proxies write bare addresses (a bare IPv6 address may end in ':<digits>' too).
      const fromHeader = normalizeAddress(isIP(entry) !== 0 ? entry : stripPort(entry));
      if (fromHeader !== undefined) return fromHeader;
    }
  }
  const peer = call.getPeer();
  return normalizeAddress(stripPort(peer)) ?? `peer:${peer.slice(0, 128)}`;
}

/** `host:port`, `[v6]:port`, `v6:port` (grpc-js writes IPv6 peers without brackets) → host. */
export function stripPort(peer: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(peer);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const withPort = /^(.+):(\d{1,5})$/.exec(peer);
  if (withPort?.[1] !== undefined && isIP(withPort[1]) !== 0) return withPort[1];
  return peer;
}

/** An IP address as a limit key (IPv6 by /64); undefined when `host` is not an IP address. */
export function normalizeAddress(host: string): string | undefined {
  const family = isIP(host);
  if (family === 4) return `ipv4:${host}`;
  if (family !== 6) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(host);
  if (mapped?.[1] !== undefined) return `ipv4:${mapped[1]}`;
  const groups = expandIpv6(host);
  return `ipv6:${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, as lower-case hex without leading zeros. */
function expandIpv6(address: string): string[] {
  let text = address.toLowerCase().replace(/%.*$/, ''); // drop a zone id (fe80::1%eth0)
  // A trailing dotted IPv4 part holds the last two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4 !== null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - headGroups.length - tailGroups.length }, () => '0');
  return [...headGroups, ...zeros, ...tailGroups].map((g) => parseInt(g, 16).toString(16));
}
