/**
 * Starts the audit tools' worker threads (replay's, audit/replay-pool.ts; verify's,
 * audit/verify-pool.ts). A worker's code is TypeScript; it runs bundled into one module by esbuild
 * (about 0.1 s, once per process and worker module), handed to the thread as a data: URL. Bundled,
 * the thread starts without a TypeScript loader of its own, and its hot loops ran 16-25 % cheaper
 * than the same modules loaded through tsx (docs/adr/0391). Where esbuild cannot be loaded, the
 * thread registers tsx first, as bin/guardyn.js does, then imports the module (about half a second
 * of CPU each). Resolves once every worker has posted its first message (it is ready), and a worker
 * that fails to start stops them all and rejects; or at once, for a caller that hands work over
 * while they start.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** A module's export, named by the module's URL (functions and registries cannot be sent to a thread). */
export interface ModuleExport {
  readonly module: string;
  readonly export: string;
}

/**
 * What a worker thread runs: a module (a file URL) that serves the thread on import, or with
 * `serve`, a function the module exports that is called with another module's export (the event
 * registry) once both are loaded.
 */
export interface WorkerEntry {
  readonly module: string;
  readonly serve?: { readonly fn: string; readonly arg: ModuleExport } | undefined;
}

/**
 * The audit tools' default worker threads: one per core beside the reading thread, 1 to 4. On a
 * quiet 2-core machine one worker beside the reader ran verify and replay faster than the reader
 * alone (decision 0390); on a 2-core machine busy with other work, `--threads 0` was faster.
 */
export const defaultAuditThreads = (cores = os.availableParallelism()): number => Math.max(1, Math.min(4, cores - 1));

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The entry's own code, for esbuild: an import of the worker module, or of the two modules and the call. */
function entrySource(entry: WorkerEntry): string {
  const worker = JSON.stringify(fileURLToPath(entry.module));
  if (entry.serve === undefined) return `import ${worker};\n`;
  const { fn, arg } = entry.serve;
  if (!IDENTIFIER.test(fn) || !IDENTIFIER.test(arg.export))
    throw new Error(`a worker's entry names ${fn} and ${arg.export}: each must be an identifier`);
  return [
    `import { ${fn} as serve } from ${worker};`,
    `import { ${arg.export} as arg } from ${JSON.stringify(fileURLToPath(arg.module))};`,
    'serve(arg);',
    '',
  ].join('\n');
}

/** Bundles by entry, once per process. */
const bundles = new Map<string, Promise<URL | undefined>>();

/**
 * The entry bundled into one module (its packages too, node's own modules left to node), as a
 * data: URL; undefined when esbuild cannot be loaded. A module that cannot be resolved rejects.
 */
function bundled(entry: WorkerEntry, what: string): Promise<URL | undefined> {
  const key = JSON.stringify(entry);
  let b = bundles.get(key);
  if (b === undefined) {
    b = bundle(entry, what);
    bundles.set(key, b);
    b.catch(() => bundles.delete(key));
  }
  return b;
}

async function bundle(entry: WorkerEntry, what: string): Promise<URL | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const contents = entrySource(entry);
  let code: string;
  try {
    const out = await esbuild.build({
      stdin: {
        contents,
        resolveDir: path.dirname(fileURLToPath(entry.module)),
        sourcefile: `${what}-worker-entry.ts`,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      write: false,
      logLevel: 'silent',
      // A package in CommonJS that requires one of node's modules: `require` as the worker module's.
      banner: {
        js: `import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(${JSON.stringify(entry.module)});`,
      },
    });
    code = out.outputFiles[0]!.text;
  } catch (err) {
    const errors = (err as { errors?: { text: string }[] }).errors;
    const why = errors?.map((e) => e.text).join('; ') ?? (err as Error).message;
    throw new Error(`the ${what} worker thread's code could not be bundled: ${why}`);
  }
  return new URL(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** The thread's code without esbuild: tsx registered, then the entry's modules imported by URL. */
function tsxBoot(entry: WorkerEntry): string {
  const api = import.meta.resolve('tsx/esm/api');
  const worker = JSON.stringify(entry.module);
  if (entry.serve === undefined)
    return `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${worker}); })`;
  const { fn, arg } = entry.serve;
  return [
    `import(${JSON.stringify(api)}).then(async (tsx) => {`,
    '  tsx.register();',
    `  const [w, a] = await Promise.all([import(${worker}), import(${JSON.stringify(arg.module)})]);`,
    `  w[${JSON.stringify(fn)}](a[${JSON.stringify(arg.export)}]);`,
    '})',
  ].join('\n');
}

export async function startWorkers(
  entry: WorkerEntry,
  /** Each worker's data, by its index. */
  workerData: (index: number) => unknown,
  threads: number,
  what: string,
  options: {
    /** false: resolve at once, the workers still starting (the caller handles their 'ready', errors and exits). */
    readonly waitReady?: boolean;
    /** 'tsx': the modules loaded through tsx even where esbuild is there (the fallback, for its tests). */
    readonly load?: 'bundled' | 'tsx';
  } = {},
): Promise<Worker[]> {
  const waitReady = options.waitReady ?? true;
  const code = options.load === 'tsx' ? undefined : await bundled(entry, what);
  const boot = code === undefined ? tsxBoot(entry) : undefined;
  const workers = Array.from({ length: threads }, (_, i) =>
    code === undefined
      ? new Worker(boot!, { eval: true, workerData: workerData(i) })
      : new Worker(code, { workerData: workerData(i) }),
  );
  if (!waitReady) return workers;
  try {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            const ready = () => {
              off();
              resolve();
            };
            const failed = (err: unknown) => {
              off();
              reject(
                err instanceof Error
                  ? err
                  : new Error(`a ${what} worker thread did not start (exit code ${String(err)})`),
              );
            };
            // Only these listeners go: the worker's own (which keep its port referenced) stay.
            const off = () => {
              w.off('message', ready);
              w.off('error', failed);
              w.off('exit', failed);
            };
            w.on('message', ready);
            w.on('error', failed);
            w.on('exit', failed);
          }),
      ),
    );
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
  return workers;
}
