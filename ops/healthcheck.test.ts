/**
 * The container health check (ops/healthcheck.ts) answers like the Kubernetes
 * probes: healthy for a serving gRPC server and a 2xx HTTP answer, unhealthy for
 * a server that says NOT_SERVING, a closed port and a non-2xx answer; the command
 * line exits 0 or 1 accordingly.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGrpcServer } from '../gateways/grpc/server.ts';
import { createLogger } from '../runtime/logger.ts';
import { checkGrpc, checkHttp } from './healthcheck.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const logger = createLogger('silent');

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Runs the command line (asynchronously: the servers under test live in this process). */
function cli(...args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'healthcheck.ts'), ...args], {
    stdio: 'ignore',
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

it('gRPC: SERVING is healthy; NOT_SERVING and a closed port are not', async () => {
  const server = await startGrpcServer({ host: '127.0.0.1', port: 0, services: [], logger });
  try {
    assert.equal(await checkGrpc(server.port), 'SERVING');
    assert.equal(await cli('grpc', String(server.port)), 0);
    server.health.setStatus('', 'NOT_SERVING');
    await assert.rejects(checkGrpc(server.port), /NOT_SERVING/);
    assert.equal(await cli('grpc', String(server.port)), 1);
  } finally {
    await server.stop();
  }
  await assert.rejects(checkGrpc(await closedPort()), /gRPC health check/);
});

it('HTTP: 2xx is healthy; 503 and a closed port are not; a bad port is refused', async () => {
  let status = 200;
  const server = http.createServer((_req, res) => {
    res.writeHead(status);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  try {
    assert.equal(await checkHttp(port, '/health'), 200);
    assert.equal(await cli('http', String(port), '/health'), 0);
    status = 503;
    await assert.rejects(checkHttp(port, '/health'), /503/);
    assert.equal(await cli('http', String(port), '/health'), 1);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
  await assert.rejects(checkHttp(await closedPort(), '/health'), /ECONNREFUSED/);
  assert.equal(await cli('http', 'eighty', '/'), 1);
  assert.equal(await cli('nonsense'), 1);
});
