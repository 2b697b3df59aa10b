/**
 * Relative links in the Markdown docs (README.md, docs/**) must point at files that exist: a record
 * renamed, a page moved or a code file gone is named by `npm run docs:check`.
 */
import fs from 'node:fs';
import path from 'node:path';

function markdownFiles(root: string): string[] {
  const out = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.md')) out.push(rel);
    }
  };
  walk('docs');
  return out;
}

/** `[text](target)` outside code spans and fences, for targets that are neither URLs nor anchors. */
export function brokenLinks(root: string): string[] {
  const problems: string[] = [];
  for (const file of markdownFiles(root)) {
    let inFence = false;
    fs.readFileSync(path.join(root, file), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (line.trimStart().startsWith('```')) inFence = !inFence;
        if (inFence) return;
        const text = line.replace(/`[^`]*`/g, '');
        for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
          const target = m[1]!.split('#')[0]!;
          if (target === '' || /^[a-z]+:/i.test(target)) continue;
          if (!fs.existsSync(path.resolve(root, path.dirname(file), target)))
            problems.push(`${file}:${i + 1}: the link to ${m[1]} points at nothing`);
        }
      });
  }
  return problems;
}
