/**
 * `npm run proto:types`: regenerate the TypeScript types of the gRPC messages and services
 * (gateways/grpc/generated/) from proto/guardyn/*.proto with proto-loader-gen-types, then format
 * them with Biome so that `npm run format:check` passes.
 * `npm run proto:types:check` (`--check`): write nothing in the repository; generate into a temp
 * directory and exit 1 naming each generated file that is missing, changed or left over (CI runs
 * it after the docs check).
 *
 * The generator's options come from the loader options the servers use (PROTO_LOADER_OPTIONS in
 * gateways/grpc/proto.ts: keepCase, longs String, enums String, bytes Buffer, defaults, oneofs), so
 * the types describe the very objects the handlers receive and give (decision 0330).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Options } from '@grpc/proto-loader';
import { PROTO_FILES, PROTO_LOADER_OPTIONS } from '../../gateways/grpc/proto.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the generated files live, relative to the repository root. */
export const GENERATED_DIR = 'gateways/grpc/generated';
/** The .proto directory, relative to the repository root (imports resolve from it). */
const PROTO_DIR = 'proto';

const requireHere = createRequire(import.meta.url);

/**
 * The proto-loader-gen-types flags that give types for objects loaded with `options`. Throws on an
 * option the generator cannot mirror, so a change of the loader options cannot leave the types
 * describing something else.
 */
export function generatorFlags(options: Options): string[] {
  const flags: string[] = [];
  const unsupported: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || value === false) continue;
    switch (key) {
      case 'keepCase':
      case 'defaults':
      case 'oneofs':
      case 'arrays':
      case 'objects':
      case 'json':
        if (value === true) flags.push(`--${key}`);
        else unsupported.push(key);
        break;
      case 'longs':
      case 'enums':
      case 'bytes':
        if (value === String || value === Number || value === Buffer || value === Array)
          flags.push(`--${key}=${(value as { name: string }).name}`);
        else unsupported.push(key);
        break;
      case 'includeDirs':
        break;
      default:
        unsupported.push(key);
    }
  }
  if (unsupported.length > 0)
    throw new Error(`proto-loader-gen-types cannot mirror the loader option(s) ${unsupported.join(', ')}`);
  return [...flags, '--grpcLib=@grpc/grpc-js', '--importFileExtension=.ts'];
}

/** Runs a package's command-line script with this Node.js, from the repository root. */
function runTool(script: string, args: readonly string[], repoRoot: string): void {
  try {
    execFileSync(process.execPath, [script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`${path.basename(script)} failed: ${stderr.trim() || String(err)}`);
  }
}

/**
 * Generates the types of every proto file into `outDir` (made empty first) and formats them with
 * the repository's Biome configuration.
 */
export function generateTypes(outDir: string, repoRoot = root): void {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const genTypes = requireHere.resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js');
  runTool(genTypes, [...generatorFlags(PROTO_LOADER_OPTIONS), '-I', PROTO_DIR, '-O', outDir, ...PROTO_FILES], repoRoot);
  const biome = path.join(path.dirname(requireHere.resolve('@biomejs/biome/package.json')), 'bin', 'biome');
  runTool(
    biome,
    ['format', '--write', `--config-path=${path.join(repoRoot, 'biome.json')}`, '--no-errors-on-unmatched', outDir],
    repoRoot,
  );
}

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * The differences between freshly generated files (`fresh`) and the checked-in ones (`current`):
 * each file that is missing, changed or no longer generated, named relative to `current`.
 */
export function differences(fresh: string, current: string): string[] {
  const want = filesUnder(fresh);
  const have = new Set(filesUnder(current));
  const out: string[] = [];
  for (const file of want) {
    if (!have.has(file)) out.push(`${file} is missing`);
    else if (fs.readFileSync(path.join(fresh, file), 'utf8') !== fs.readFileSync(path.join(current, file), 'utf8'))
      out.push(`${file} is not current`);
    have.delete(file);
  }
  for (const file of have) out.push(`${file} is no longer generated`);
  return out;
}

/** Generates into a temp directory and compares with `current`; the temp directory is removed. */
export function check(current = path.join(root, GENERATED_DIR), repoRoot = root): string[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-proto-types-'));
  try {
    generateTypes(tmp, repoRoot);
    return differences(tmp, current);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (argv.includes('--help') || argv.includes('-h') || unknown.length > 0) {
    process.stderr.write(
      `usage: npm run proto:types        regenerate ${GENERATED_DIR}/ from ${PROTO_DIR}/guardyn/*.proto\n` +
        '       npm run proto:types:check  exit 1 when they are not current (nothing is written)\n',
    );
    return unknown.length > 0 ? 2 : 0;
  }
  if (argv.includes('--check')) {
    const found = check();
    for (const d of found)
      process.stderr.write(`proto:types: ${GENERATED_DIR}/${d}: run \`npm run proto:types\` and commit the result\n`);
    return found.length > 0 ? 1 : 0;
  }
  generateTypes(path.join(root, GENERATED_DIR));
  process.stdout.write(
    `proto:types: wrote ${filesUnder(path.join(root, GENERATED_DIR)).length} files in ${GENERATED_DIR}/\n`,
  );
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`proto:types: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
