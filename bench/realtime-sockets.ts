/**
 * A child of `bench realtime`: opens idle sockets (raw, or authenticated at the
 * gateway) spread over loopback source addresses, says how many are open on
 * stdout, then holds them until killed. argv: url, count, token-list file ('' for raw), first address index.
 */
import fs from 'node:fs';
import WebSocket from 'ws';

const [url, countText, tokensFile, firstText] = process.argv.slice(2);
const count = Number(countText);
const tokens = tokensFile ? (JSON.parse(fs.readFileSync(tokensFile, 'utf8')) as string[]) : [];
const held: WebSocket[] = [];
let open = 0;
let failed = 0;
const PARALLEL = 200;
let next = 0;
async function one(i: number): Promise<void> {
  const localAddress = `127.0.${Number(firstText) + Math.floor(i / 10000)}.${1 + (i % 250)}`;
  await new Promise<void>((resolve) => {
    const ws = new WebSocket(url!, { localAddress, perMessageDeflate: false });
    ws.on('error', () => {
      failed++;
      resolve();
    });
    ws.on('open', () => {
      if (tokens.length === 0) {
        open++;
        held.push(ws);
        return resolve();
      }
      ws.send(JSON.stringify({ type: 'auth', payload: { token: tokens[i % tokens.length] } }));
    });
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.type === 'auth_response') {
        if (f.payload.success) {
          open++;
          held.push(ws);
        } else failed++;
        resolve();
      }
    });
  });
}
const startedAt = Date.now();
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < count) await one(next++);
  }),
);
process.stdout.write(JSON.stringify({ open, failed, startedAt, endedAt: Date.now() }) + '\n');
setInterval(() => undefined, 1 << 30);
