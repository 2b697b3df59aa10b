/**
 * Where the TiKV key-value store is (GUARDYN_DATABASE__TIKV_PD_ENDPOINTS): a
 * comma-separated list of PD endpoints, host:port or http://host:port. Absent:
 * the embedded LMDB store serves the key-value views.
 */
import { ConfigError, readString, type Env } from './config.ts';

export interface TikvConfig {
  /** PD endpoints as host:port. */
  readonly pdEndpoints: readonly string[];
}

const ENDPOINT = /^(?:https?:\/\/)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/;

export function readTikvConfig(env: Env): TikvConfig | undefined {
  const name = 'GUARDYN_DATABASE__TIKV_PD_ENDPOINTS';
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const endpoints = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const pdEndpoints = endpoints.map((endpoint) => {
    const m = ENDPOINT.exec(endpoint);
    const port = m === null ? NaN : Number(m[2]);
    if (m === null || port < 1 || port > 65535) throw new ConfigError(`${name}: ${JSON.stringify(endpoint)} is not host:port or http://host:port`);
    return `${m[1]}:${port}`;
  });
  if (pdEndpoints.length === 0) throw new ConfigError(`${name}=${JSON.stringify(raw)} lists no endpoint`);
  return { pdEndpoints: [...new Set(pdEndpoints)] };
}
