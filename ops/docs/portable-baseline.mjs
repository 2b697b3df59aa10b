// The known-violations baseline names npm packages by path; where node_modules is a link to
// another checkout's (a git worktree), dependency-cruiser records the link's target. Rewrite
// those paths to `node_modules/...` so the baseline matches in every checkout and in CI.
import fs from 'node:fs';

const file = '.dependency-cruiser-known-violations.json';
const text = fs.readFileSync(file, 'utf8').replace(/"(?:\.\.\/)+(?:[^"/]+\/)*?node_modules\//g, '"node_modules/');
fs.writeFileSync(file, text);
