/**
 * Integration-test helper: three nats-servers clustered on loopback (JetStream
 * on, each with its own temporary store, free client and route ports). A node
 * can be killed (SIGKILL by default) and restarted on the same ports and store,
 * as a crashed pod would come back. Every process is ended by its pid.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { findNatsServer, NATS_INSTALL_HINT } from '../../ops/nats/local-server.ts';
import { freePort } from '../../runtime/free-port.ts';
export { freePort };

export interface ClusterNode {
  /** The server_name, `n0`..`n2`. */
  readonly name: string;
  /** `nats://127.0.0.1:<client port>` */
  readonly url: string;
  /** The pid of the running process (undefined while the node is down). */
  readonly pid: number | undefined;
  readonly running: boolean;
}

export interface TestNatsCluster {
  /** Every node's client URL, comma-separated: the form GUARDYN_MESSAGING__NATS_URL takes. */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  /** The node by server_name. */
  node(name: string): ClusterNode;
  /** Resolves once every running node routes to the others and JetStream answers through each. */
  waitFormed(timeoutMs?: number): Promise<void>;
  /** The server_name of a stream's leader (asked through a running node). */
  streamLeader(stream: string): Promise<string | undefined>;
  /** Kills a node's process (SIGKILL unless told) and waits until it is gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Starts a stopped node again on its ports and store. */
  restart(name: string): Promise<void>;
  /** Stops every node (SIGTERM, by pid) and removes the stores. Safe to call more than once. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startNatsCluster(options: { size?: number; name?: string } = {}): Promise<TestNatsCluster> {
  const binary = findNatsServer();
  if (binary === undefined) throw new Error(`no nats-server binary: ${NATS_INSTALL_HINT}`);
  const size = options.size ?? 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-cluster-'));
  const ports = await Promise.all(
    Array.from({ length: size }, async () => ({ client: await freePort(), cluster: await freePort() })),
  );
  const specs = ports.map((p, i) => {
    const name = `n${i}`;
    const conf = path.join(dir, `${name}.conf`);
    fs.writeFileSync(
      conf,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${p.client}`,
        `jetstream { store_dir: "${path.join(dir, `store-${name}`)}" }`,
        `cluster { name: guardyn, listen: 127.0.0.1:${p.cluster}, routes: [${ports.map((q) => `nats://127.0.0.1:${q.cluster}`).join(', ')}] }`,
      ].join('\n'),
    );
    return { name, conf, url: `nats://127.0.0.1:${p.client}`, log: path.join(dir, `${name}.log`) };
  });
  const children = new Map<string, ChildProcess>();
  const killOnExit = () => {
    for (const c of children.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const launch = (name: string) => {
    const spec = specs.find((s) => s.name === name)!;
    const out = fs.openSync(spec.log, 'a');
    const child = spawn(binary, ['-c', spec.conf], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    children.set(name, child);
  };
  for (const s of specs) launch(s.name);

  const isRunning = (name: string) => {
    const c = children.get(name);
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  };
  const nodeOf = (name: string): ClusterNode => {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no node ${name}`);
    return {
      name,
      url: spec.url,
      pid: isRunning(name) ? children.get(name)!.pid : undefined,
      running: isRunning(name),
    };
  };

  const askEach = async <T>(fn: (url: string) => Promise<T>): Promise<T> => {
    let last: unknown;
    for (const s of specs) {
      if (!isRunning(s.name)) continue;
      try {
        return await fn(s.url);
      } catch (err) {
        last = err;
      }
    }
    throw last instanceof Error ? last : new Error('no running node answered');
  };

  let stopping: Promise<void> | undefined;
  const cluster: TestNatsCluster = {
    url: specs.map((s) => s.url).join(','),
    get nodes() {
      return specs.map((s) => nodeOf(s.name));
    },
    node: nodeOf,
    async waitFormed(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      const running = specs.filter((s) => isRunning(s.name));
      for (;;) {
        const ok = await Promise.all(
          running.map(async (s) => {
            try {
              const nc = await connect({ servers: s.url, reconnect: false, timeout: 1000 });
              try {
                const jsm = await jetstreamManager(nc, { timeout: 1000 });
                await jsm.getAccountInfo();
                return new Set(nc.info?.connect_urls ?? []).size >= running.length;
              } finally {
                await nc.close();
              }
            } catch {
              return false;
            }
          }),
        );
        if (ok.every(Boolean)) return;
        if (Date.now() > deadline)
          throw new Error(`the NATS cluster did not form within ${timeoutMs} ms (logs in ${dir})`);
        await sleep(250);
      }
    },
    async streamLeader(stream) {
      return askEach(async (url) => {
        const nc = await connect({ servers: url, reconnect: false, timeout: 1000 });
        try {
          const jsm = await jetstreamManager(nc, { timeout: 2000 });
          return (await jsm.streams.info(stream)).cluster?.leader;
        } finally {
          await nc.close();
        }
      });
    },
    async kill(name, signal = 'SIGKILL') {
      const child = children.get(name);
      if (!child || !isRunning(name)) return;
      const gone = exited(child);
      process.kill(child.pid!, signal);
      await gone;
    },
    async restart(name) {
      if (isRunning(name)) throw new Error(`node ${name} is running`);
      launch(name);
      const url = nodeOf(name).url;
      const deadline = Date.now() + 15_000;
      for (;;) {
        const up = await new Promise<boolean>((resolve) => {
          const sock = net.connect(Number(new URL(url).port), '127.0.0.1', () => {
            sock.destroy();
            resolve(true);
          });
          sock.once('error', () => resolve(false));
        });
        if (up) return;
        if (!isRunning(name))
          throw new Error(`node ${name} exited on restart (log: ${specs.find((s) => s.name === name)!.log})`);
        if (Date.now() > deadline) throw new Error(`node ${name} did not listen within 15 s of its restart`);
        await sleep(100);
      }
    },
    stop() {
      return (stopping ??= (async () => {
        process.off('exit', killOnExit);
        await Promise.all(
          [...children.values()].map(async (c) => {
            if (c.exitCode !== null || c.signalCode !== null) return;
            const gone = exited(c);
            const hard = setTimeout(() => c.kill('SIGKILL'), 10_000);
            process.kill(c.pid!, 'SIGTERM');
            await gone;
            clearTimeout(hard);
          }),
        );
        fs.rmSync(dir, { recursive: true, force: true });
      })());
    },
  };
  try {
    await cluster.waitFormed();
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}
