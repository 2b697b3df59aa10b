/** A small WebSocket client for tests and benchmarks: frames as they arrive, waits by type. */
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export type Frame = { type: string; payload: Record<string, any> };

export interface TestSocket {
  readonly ws: WebSocket;
  readonly frames: Frame[];
  /** Resolves with the close code once the socket has closed. */
  readonly closed: Promise<number>;
  send(type: string, payload: Record<string, unknown>, extra?: Record<string, unknown>): void;
  /** The next frame of `type` (matching `where`) not yet taken, waiting up to `ms`. */
  next(type: string, where?: (f: Frame) => boolean, ms?: number): Promise<Frame>;
  /** Frames of `type` received so far. */
  all(type: string): Frame[];
  close(): Promise<void>;
}

export async function openSocket(
  url: string,
  options: { headers?: Record<string, string>; origin?: string; autoPong?: boolean } = {},
): Promise<TestSocket> {
  const ws = new WebSocket(url, {
    headers: options.headers,
    origin: options.origin,
    autoPong: options.autoPong ?? true,
    perMessageDeflate: false,
  });
  const frames: Frame[] = [];
  const taken = new Set<Frame>();
  let notify: (() => void) | undefined;
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    notify?.();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  ws.on('error', () => undefined);
  const all = (type: string) => frames.filter((f) => f.type === type);
  return {
    ws,
    frames,
    closed,
    send(type, payload, extra = {}) {
      ws.send(JSON.stringify({ type, payload, ...extra }));
    },
    async next(type, where = () => true, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const f = frames.find((x) => x.type === type && !taken.has(x) && where(x));
        if (f !== undefined) {
          taken.add(f);
          return f;
        }
        if (Date.now() > deadline)
          throw new Error(`no ${type} frame within ${ms} ms; got ${JSON.stringify(frames.map((x) => x.type))}`);
        await new Promise<void>((r) => {
          notify = r;
          setTimeout(r, 25);
        });
      }
    },
    all,
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await Promise.race([closed, sleep(2000)]);
      ws.terminate();
    },
  };
}
