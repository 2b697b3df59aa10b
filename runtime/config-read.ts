/**
 * Reading one environment variable: the error a bad value gives (naming the variable) and the
 * readers every configuration module shares (runtime/config.ts and runtime/config-*.ts).
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;

/** At most `max` events per `windowSeconds` (sliding window); max 0 turns the limit off. */
export interface RateLimit {
  readonly max: number;
  readonly windowSeconds: number;
}

const IntFromString = (name: string, min: number, max: number) =>
  new t.Type<number, string, unknown>(
    name,
    (u): u is number => typeof u === 'number',
    (u, c) => {
      if (typeof u !== 'string' || !/^\d+$/.test(u.trim())) return t.failure(u, c, `must be a whole number`);
      const n = Number(u.trim());
      return n >= min && n <= max ? t.success(n) : t.failure(u, c, `must be between ${min} and ${max}`);
    },
    String,
  );

export function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const decoded = IntFromString(name, min, max).decode(raw);
  if (isLeft(decoded)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} ${decoded.left[0]?.message ?? 'is invalid'}`);
  }
  return decoded.right;
}

export function readString(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function readFlag(env: Env, name: string): boolean {
  const raw = readString(env, name);
  if (raw === undefined) return false;
  if (/^(1|true|yes)$/i.test(raw)) return true;
  if (/^(0|false|no)$/i.test(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(raw)} must be 1 or 0`);
}

export function readRateLimit(env: Env, name: string, max: number, windowSeconds: number): RateLimit {
  return {
    max: readInt(env, name, max, 0, 1_000_000),
    windowSeconds: readInt(env, `${name}_WINDOW_SECONDS`, windowSeconds, 1, 7 * 86400),
  };
}
