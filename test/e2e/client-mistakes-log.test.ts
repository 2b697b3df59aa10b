/**
 * A client's mistakes are logged at warn and rate-limited; error lines (with an
 * incident id) are for faults of the server. Against a real Guardyn (media
 * role, nats-server) with its pino output captured: many UploadMedia streams
 * with an undecodable second frame, uploads cancelled after their header and
 * downloads cancelled midway write a bounded number of warn lines
 * (GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE per kind) and no error line, and the
 * service keeps serving.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearerMetadata, mediaClient, type MediaClient } from '../support/media-client.ts';
import { capturedLogger, LEVEL, type LogLine } from '../support/log-capture.ts';
import { mediaService } from '../../gateways/grpc/proto.ts';

const PER_MINUTE = 5;
const BAD_STREAMS = 40;
const CANCELLED = 10;

describe('client mistakes in the log', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let media: MediaClient;
  let raw: grpc.Client;
  let token: string;
  const { logger, lines } = capturedLogger('info');

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'projections', 'media'],
      logger,
      env: { GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE: String(PER_MINUTE) },
    });
    media = mediaClient(`127.0.0.1:${g.ports.media}`);
    raw = new grpc.Client(`127.0.0.1:${g.ports.media}`, grpc.credentials.createInsecure());
    const r = await g.auth.Register!({
      username: uniqueName('mistake'),
      password: 'correct horse battery',
      email: '',
      device_name: 'phone',
      device_type: 'mobile',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    token = r.success.access_token;
  });
  after(async () => {
    raw?.close();
    media?.close();
    await g?.stop();
    await nats?.stop();
  });

  const upload = mediaService['UploadMedia']!;
  const header = (size: number) =>
    upload.requestSerialize({
      header: { filename: 'a.bin', mime_type: 'application/octet-stream', size_bytes: String(size) },
    });

  /** An UploadMedia stream of raw frames (already serialized); `cancelAfter`: cancel once they are written. */
  function rawUpload(
    frames: Buffer[],
    cancelAfter = false,
  ): Promise<{ err: grpc.ServiceError | null; reply?: { status?: string; error?: unknown } }> {
    return new Promise((resolve) => {
      const call = raw.makeClientStreamRequest(
        upload.path,
        (b: Buffer) => b,
        upload.responseDeserialize,
        bearerMetadata(token),
        {},
        (err, reply) => resolve({ err, reply: reply as { status?: string; error?: unknown } | undefined }),
      );
      for (const f of frames) call.write(f);
      if (cancelAfter) setTimeout(() => call.cancel(), 50);
      else call.end();
    });
  }

  it('undecodable frames and cancelled calls write a bounded number of warn lines, none at error', async () => {
    // A completed upload to download (and cancel) later.
    const body = randomBytes(3 * 1024 * 1024);
    const stored = await media.upload(
      token,
      {
        filename: 'big.bin',
        mime_type: 'application/octet-stream',
        size_bytes: String(body.length),
        checksum_sha256: createHash('sha256').update(body).digest('hex'),
      },
      Readable.from([body]),
    );
    assert.equal(stored.status, 'UPLOAD_STATUS_COMPLETED', JSON.stringify(stored.error));

    const bad = await Promise.all(
      Array.from({ length: BAD_STREAMS }, () => rawUpload([header(100), Buffer.from([0xff, 0xff, 0xff, 0xff])])),
    );
    // An undecodable chunk fails that upload (answered, not a fault of the server).
    assert.ok(
      bad.every((r) => r.err !== null || r.reply?.status === 'UPLOAD_STATUS_FAILED'),
      `every bad stream failed: ${JSON.stringify(bad[0])}`,
    );
    const cancelled = await Promise.all(Array.from({ length: CANCELLED }, () => rawUpload([header(100)], true)));
    assert.ok(cancelled.every((r) => r.err?.code === grpc.status.CANCELLED));
    for (let i = 0; i < CANCELLED; i++) {
      await new Promise<void>((resolve) => {
        const call = raw.makeServerStreamRequest(
          mediaService['DownloadMedia']!.path,
          mediaService['DownloadMedia']!.requestSerialize,
          (b: Buffer) => b,
          { media_id: stored.media_id },
          bearerMetadata(token),
          {},
        );
        let got = 0;
        call.on('data', () => {
          if (++got === 2) call.cancel();
        });
        call.on('error', () => resolve());
        call.on('end', () => resolve());
      });
    }

    // The service still serves (and, answering after them, has handled every earlier call's end).
    const again = await media.upload(
      token,
      { filename: 'ok.bin', mime_type: 'application/octet-stream', size_bytes: '5' },
      Readable.from([Buffer.from('hello')]),
    );
    assert.equal(again.status, 'UPLOAD_STATUS_COMPLETED', JSON.stringify(again.error));

    const errors = lines.filter((l) => l['level'] >= LEVEL.error);
    assert.deepEqual(
      errors.map((l) => `${l['method']}: ${l['msg']}`),
      [],
      'no error line for a client mistake',
    );
    assert.ok(
      lines.every((l) => l['incident'] === undefined),
      'no incident ids',
    );
    const mistakes = lines.filter((l) => l['level'] >= LEVEL.info && typeof l['kind'] === 'string');
    const byKind = new Map<string, number>();
    for (const l of mistakes) byKind.set(l['kind'], (byKind.get(l['kind']) ?? 0) + 1);
    for (const [kind, n] of byKind) assert.ok(n <= PER_MINUTE, `${kind}: ${n} lines`);
    assert.ok(
      mistakes.length <= 2 * PER_MINUTE,
      `${mistakes.length} lines for ${BAD_STREAMS + 2 * CANCELLED} mistakes`,
    );
  });
});
