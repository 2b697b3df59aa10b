// Integration-test helper: a private nats-server (JetStream on) on a free port, with its own
// temporary store directory. Call it in `before`, and `stop()` in `after`.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startNatsServer } from '../../ops/nats/local-server.ts';

export interface TestNatsServer {
  /** `nats://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The server's version from its INFO line, e.g. `2.14.9` (or `2.9.10` on Debian's build). */
  readonly version: string;
  /** The temporary JetStream store directory; removed by `stop()`. */
  readonly storeDir: string;
  /** Stops the server and removes its store directory. Safe to call more than once. */
  stop(): Promise<void>;
}

export async function withNatsServer(options: { binary?: string } = {}): Promise<TestNatsServer> {
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-nats-'));
  try {
    const server = await startNatsServer({
      storeDir,
      ...(options.binary !== undefined ? { binary: options.binary } : {}),
    });
    let stopping: Promise<void> | undefined;
    return {
      url: server.url,
      port: server.port,
      version: server.version,
      storeDir,
      stop: () => (stopping ??= server.stop().finally(() => fs.rmSync(storeDir, { recursive: true, force: true }))),
    };
  } catch (err) {
    fs.rmSync(storeDir, { recursive: true, force: true });
    throw err;
  }
}
