/**
 * A container health check without extra binaries: asks a Guardyn process on
 * loopback whether it serves, the way the Kubernetes probes do.
 *
 *   node --import tsx ops/healthcheck.ts grpc <port> [service]   grpc.health.v1 Check: SERVING
 *   node --import tsx ops/healthcheck.ts http <port> <path>      an HTTP 2xx answer
 *
 * Exit 0 when healthy, 1 otherwise (with the reason on stderr), within 3 seconds.
 */
import * as grpc from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import http from 'node:http';

const TIMEOUT_MS = 3000;

export function checkGrpc(port: number, serviceName = '', host = '127.0.0.1'): Promise<string> {
  const Client = grpc.makeGenericClientConstructor(healthService, 'Health');
  const client = new Client(`${host}:${port}`, grpc.credentials.createInsecure());
  return new Promise<string>((resolve, reject) => {
    const deadline = new Date(Date.now() + TIMEOUT_MS);
    (
      client as unknown as {
        check: (
          req: object,
          opts: object,
          cb: (err: grpc.ServiceError | null, res?: { status?: string | number }) => void,
        ) => void;
      }
    ).check({ service: serviceName }, { deadline }, (err, res) => {
      client.close();
      if (err) reject(new Error(`gRPC health check on ${port}: ${err.message}`));
      else if (res?.status === 'SERVING' || res?.status === 1) resolve('SERVING');
      else reject(new Error(`gRPC health check on ${port}: ${String(res?.status)}`));
    });
  });
}

export function checkHttp(port: number, path: string, host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = http.get({ host, port, path, timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      if (code >= 200 && code < 300) resolve(code);
      else reject(new Error(`GET ${path} on ${port}: ${code}`));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on ${port}: no answer in ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
  });
}

function parsePort(raw: string | undefined): number {
  const port = Number(raw);
  if (!raw || !/^\d+$/.test(raw) || port < 1 || port > 65535)
    throw new Error(`port must be 1-65535, got ${JSON.stringify(raw)}`);
  return port;
}

async function main(argv: readonly string[]): Promise<void> {
  const [kind, rawPort, extra] = argv;
  if (kind === 'grpc') await checkGrpc(parsePort(rawPort), extra ?? '');
  else if (kind === 'http') await checkHttp(parsePort(rawPort), extra ?? '/');
  else throw new Error('usage: healthcheck.ts grpc <port> [service] | http <port> <path>');
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`unhealthy: ${err.message}\n`);
      process.exit(1);
    },
  );
}
