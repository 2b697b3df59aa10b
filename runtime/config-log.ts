/**
 * How log lines look (GUARDYN_LOG_FORMAT): `auto` (default) writes readable lines through
 * pino-pretty when stdout is a terminal and JSON otherwise; `pretty` and `json` force one.
 * Read with the helpers of runtime/config.ts.
 */
import { ConfigError, readString, type Env } from './config-read.ts';

export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormatSetting = (typeof LOG_FORMATS)[number];

export function readLogFormat(env: Env, name = 'GUARDYN_LOG_FORMAT'): LogFormatSetting {
  const raw = readString(env, name);
  if (raw === undefined) return 'auto';
  const value = LOG_FORMATS.find((f) => f === raw.toLowerCase());
  if (value === undefined)
    throw new ConfigError(`${name}=${JSON.stringify(raw)} must be one of ${LOG_FORMATS.join(', ')}`);
  return value;
}
