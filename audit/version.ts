/** The code version a manifest names: the git commit when the code is a checkout, else the package version. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface CodeVersion {
  readonly package: string;
  readonly gitCommit: string | null;
  /** Whether the checkout had uncommitted changes (null without git). */
  readonly dirty: boolean | null;
}

let cached: CodeVersion | undefined;

export function codeVersion(): CodeVersion {
  if (cached) return cached;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string };
  let gitCommit: string | null = null;
  let dirty: boolean | null = null;
  try {
    gitCommit =
      execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim() || null;
    dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim() !== '';
  } catch {
    gitCommit = null;
  }
  cached = { package: pkg.version ?? 'unknown', gitCommit, dirty };
  return cached;
}
