/**
 * The one pino logger. Secrets never reach it: the redact list removes the
 * fields that could carry tokens, passwords or message content even if a
 * caller passes a whole request by mistake.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'password', '*.password', 'access_token', '*.access_token', 'refresh_token', '*.refresh_token',
  'token', '*.token', 'authorization', '*.authorization', 'encrypted_content', '*.encrypted_content',
  'content', '*.content', 'key_bundle', '*.key_bundle',
];

export function createLogger(level = process.env['GUARDYN_LOG_LEVEL'] ?? 'info', name = 'guardyn'): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** A logger that writes nothing: for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
