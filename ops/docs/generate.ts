/**
 * `npm run docs`: regenerate the generated docs (the decision-record index docs/adr/README.md, the
 * configuration reference docs/reference/configuration.md and the RPC reference docs/reference/rpc.md) from their sources.
 * `npm run docs:check` (`--check`): write nothing; exit 1 naming each generated file that is not
 * current, each source that breaks the rules, and each relative link in the docs that points at
 * nothing (CI runs it before the tests).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRecords, renderIndex } from './adr-index.ts';
import { configReference, renderConfigReference } from './config-reference.ts';
import { brokenLinks } from './links.ts';
import { readRpcs, renderRpcReference } from './rpc-reference.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Generated {
  readonly files: ReadonlyMap<string, string>;
  readonly problems: readonly string[];
}

export function generate(repoRoot = root): Generated {
  const adr = readRecords(path.join(repoRoot, 'docs/adr'));
  const config = configReference();
  return {
    files: new Map([
      ['docs/adr/README.md', renderIndex(adr.records)],
      ['docs/reference/configuration.md', renderConfigReference(config.rows)],
      ['docs/reference/rpc.md', renderRpcReference(readRpcs(repoRoot))],
    ]),
    problems: [...adr.problems, ...config.problems, ...brokenLinks(repoRoot)],
  };
}

/** The generated files whose checked-in text differs from what the sources give now. */
export function stale(generated: Generated, repoRoot = root): string[] {
  return [...generated.files]
    .filter(([file, text]) => {
      const full = path.join(repoRoot, file);
      return !fs.existsSync(full) || fs.readFileSync(full, 'utf8') !== text;
    })
    .map(([file]) => file);
}

function main(argv: string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (argv.includes('--help') || argv.includes('-h') || unknown.length > 0) {
    process.stderr.write(
      'usage: npm run docs            regenerate docs/adr/README.md, docs/reference/configuration.md and rpc.md\n' +
        '       npm run docs:check      exit 1 when they are not current (nothing is written)\n',
    );
    return unknown.length > 0 ? 2 : 0;
  }
  const generated = generate();
  for (const p of generated.problems) process.stderr.write(`docs: ${p}\n`);
  if (argv.includes('--check')) {
    const old = stale(generated);
    for (const file of old)
      process.stderr.write(`docs: ${file} is not current: run \`npm run docs\` and commit the result\n`);
    return generated.problems.length > 0 || old.length > 0 ? 1 : 0;
  }
  for (const [file, text] of generated.files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
    process.stdout.write(`docs: wrote ${file}\n`);
  }
  return generated.problems.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  process.exitCode = main(process.argv.slice(2));
}
