/**
 * Where the TiKV key-value store is (GUARDYN_DATABASE__TIKV_PD_ENDPOINTS): a
 * comma-separated list of PD endpoints, host:port or http://host:port. Absent:
 * the embedded LMDB store serves the key-value views.
 */
import { ConfigError, readString, type Env } from './config-read.ts';

export interface TikvConfig {
  /** PD endpoints as host:port. */
  readonly pdEndpoints: readonly string[];
  /**
   * GUARDYN_DATABASE__TIKV_KEY_PREFIX: every key of the views is stored under this prefix
   * (several deployments, or test runs, sharing one cluster); unset: no prefix.
   */
  readonly keyPrefix?: string;
}

const ENDPOINT = /^(?:https?:\/\/)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/;

export function readTikvConfig(env: Env): TikvConfig | undefined {
  const name = 'GUARDYN_DATABASE__TIKV_PD_ENDPOINTS';
  const raw = readString(env, name);
  if (raw === undefined) return undefined;
  const endpoints = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const pdEndpoints = endpoints.map((endpoint) => {
    const m = ENDPOINT.exec(endpoint);
    const port = m === null ? NaN : Number(m[2]);
    if (m === null || port < 1 || port > 65535)
      throw new ConfigError(`${name}: ${JSON.stringify(endpoint)} is not host:port or http://host:port`);
    return `${m[1]}:${port}`;
  });
  if (pdEndpoints.length === 0) throw new ConfigError(`${name}=${JSON.stringify(raw)} lists no endpoint`);
  const prefixName = 'GUARDYN_DATABASE__TIKV_KEY_PREFIX';
  const keyPrefix = readString(env, prefixName);
  if (keyPrefix !== undefined && !/^[A-Za-z0-9_.\/:-]{1,128}$/.test(keyPrefix)) {
    throw new ConfigError(`${prefixName}=${JSON.stringify(keyPrefix)} must be 1-128 letters, digits or _ . / : -`);
  }
  return { pdEndpoints: [...new Set(pdEndpoints)], ...(keyPrefix === undefined ? {} : { keyPrefix }) };
}
