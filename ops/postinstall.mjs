#!/usr/bin/env node
// npm install's last step: make sure a nats-server is there for `npm start` and `npm test`.
// It builds the pinned release with Go when none is found; it never fails the install
// (without Go it prints what to do). GUARDYN_SKIP_NATS_INSTALL=1 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.GUARDYN_SKIP_NATS_INSTALL === '1' || process.env.GUARDYN_MESSAGING__NATS_URL) process.exit(0);
if (process.env.GUARDYN_NATS_SERVER_BIN && existsSync(process.env.GUARDYN_NATS_SERVER_BIN)) process.exit(0);
const r = spawnSync('bash', [path.join(root, 'ops', 'install-nats-server.sh')], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.warn(
    'guardyn: nats-server was not installed; `npm start` needs one: run `bash ops/install-nats-server.sh`, or set GUARDYN_MESSAGING__NATS_URL',
  );
}
