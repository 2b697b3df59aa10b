/**
 * grpcurl for tests (installed by ops/install-grpcurl.sh): where it is, and a
 * runner that never throws on a failing call (the exit code is the answer).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * GUARDYN_GRPCURL_BIN when set (used as given, so a wrong path fails loudly),
 * else <repo>/.tmp/bin/grpcurl, else grpcurl on PATH; undefined when none is executable.
 */
export function findGrpcurl(): string | undefined {
  const named = process.env['GUARDYN_GRPCURL_BIN'];
  if (named !== undefined && named !== '') return named;
  const candidates = [
    path.join(REPO_ROOT, '.tmp', 'bin', 'grpcurl'),
    ...(process.env['PATH'] ?? '')
      .split(path.delimiter)
      .filter((d) => d !== '')
      .map((d) => path.join(d, 'grpcurl')),
  ];
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

export interface GrpcurlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `grpcurl <args>` (at most 60 s). */
export function runGrpcurl(binary: string, args: readonly string[]): Promise<GrpcurlResult> {
  return new Promise((resolve) => {
    execFile(binary, [...args], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr: err !== null && code === -1 ? `${stderr}${err.message}` : stderr });
    });
  });
}
