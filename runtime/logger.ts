/**
 * The one pino logger. Secrets never reach it: the redact list removes the
 * fields that could carry tokens, passwords or message content even if a
 * caller passes a whole request by mistake.
 *
 * A person at a terminal gets readable lines (pino-pretty); a pipe, a file or a
 * log collector gets one JSON object a line. GUARDYN_LOG_FORMAT forces either.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormatSetting } from './config-log.ts';

export type { Logger };

const REDACT = [
  'password',
  '*.password',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'encrypted_content',
  '*.encrypted_content',
  'content',
  '*.content',
  'key_bundle',
  '*.key_bundle',
];

/** `auto` is pretty exactly when stdout is a terminal. */
export function chooseLogFormat(setting: LogFormatSetting, stdoutIsTTY: boolean): 'pretty' | 'json' {
  if (setting === 'auto') return stdoutIsTTY ? 'pretty' : 'json';
  return setting;
}

export function createLogger(
  level = process.env['GUARDYN_LOG_LEVEL'] ?? 'info',
  name = 'guardyn',
  format: LogFormatSetting = 'json',
): Logger {
  const options = { name, level, redact: { paths: REDACT, censor: '[redacted]' } };
  if (chooseLogFormat(format, process.stdout.isTTY === true) === 'json') return pino(options);
  // In this thread and synchronous: a line is on the screen before the next statement runs,
  // and a crash cannot lose the lines that explain it.
  return pino(
    options,
    pretty({
      colorize: process.env['NO_COLOR'] === undefined,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    }),
  );
}

/** A logger that writes nothing: for tests and benchmarks. */
export const silentLogger: Logger = pino({ level: 'silent' });
