/**
 * A fault that escapes the router answers 500 (INTERNAL_ERROR with an incident id)
 * for that request only; the server keeps answering the next ones.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { HttpRouter, sendJson, startHttpServer, type RunningHttpServer } from './server.ts';

/** A router whose own code (not a handler's) fails for one path. */
class FaultyRouter extends HttpRouter {
  override async handle(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
    if (req.url === '/boom') throw new Error('router bug');
    return super.handle(req, res, logger);
  }
}

describe('HTTP per-request fault boundary', () => {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(c: Buffer, _e, done) {
        lines.push(JSON.parse(c.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  let server: RunningHttpServer;

  before(async () => {
    const router = new FaultyRouter().on('GET', '/ok', (_req, res) => sendJson(res, 200, { ok: true }));
    server = await startHttpServer({ host: '127.0.0.1', port: 0, router, logger, name: 'test', shutdownGraceMs: 200 });
  });
  after(async () => {
    await server?.stop();
  });

  it('answers 500 with an incident id for the failing request, and serves the next', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/boom`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: { code: string; details: { incident: string } } };
    assert.equal(body.error.code, 'INTERNAL_ERROR');
    assert.ok(
      lines.some((l) => l['incident'] === body.error.details.incident),
      'the incident id is in the log',
    );
    const ok = await fetch(`http://127.0.0.1:${server.port}/ok`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(ok.status, 200);
  });
});
