/**
 * A 200 MiB file through UploadMedia and DownloadMedia with flat memory: the
 * bytes are generated and hashed chunk by chunk on the client, and the
 * process's RSS (server and client share it) must not grow by anything near
 * the file's size.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { mediaClient, type MediaClient } from '../support/media-client.ts';
import { generatedStream } from '../../stores/blob/conformance.ts';
import { DEFAULT_PART_SIZE } from '../../stores/blob/s3.ts';

const SIZE = 200 * 1024 * 1024;
const MiB = 1024 * 1024;
/**
 * Growth allowed: far below the file size (buffers, gRPC windows, the allocator keeping freed pages).
 * On S3 (`npm run test:production`) the adapter also holds a multipart part (16 MiB) while it is
 * filled and while the client sends it (stores/blob/s3.ts): two parts more.
 */
const MAX_GROWTH =
  (process.env['GUARDYN_MEDIA__S3_ENDPOINT'] ?? '') === '' ? 80 * MiB : 80 * MiB + 2 * DEFAULT_PART_SIZE;

describe('200 MiB through the media streams', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  let media: MediaClient;
  let token: string;

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'projections', 'media'],
      env: { GUARDYN_MEDIA__QUOTA_BYTES: String(1024 * MiB) },
    });
    media = mediaClient(`127.0.0.1:${g.ports.media}`);
    const r = await g.auth.Register!({
      username: uniqueName('big'),
      password: 'correct horse battery',
      email: '',
      device_name: 'pc',
      device_type: 'desktop',
    });
    token = r.success.access_token;
  });
  after(async () => {
    media?.close();
    await g?.stop();
    await nats?.stop();
  });

  it('uploads and downloads with the checksum verified and RSS growth bounded', async () => {
    const want = createHash('sha256');
    for await (const c of generatedStream(SIZE, 3, MiB)) want.update(c as Buffer);
    const checksum = want.digest('hex');
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    try {
      const up = await media.upload(
        token,
        {
          filename: 'big.bin',
          media_type: 'MEDIA_TYPE_VIDEO',
          mime_type: 'video/mp4',
          size_bytes: String(SIZE),
          checksum_sha256: checksum,
          is_encrypted: true,
        },
        generatedStream(SIZE, 3, MiB),
        512 * 1024,
      );
      assert.equal(up.status, 'UPLOAD_STATUS_COMPLETED', up.error_message);
      const got = createHash('sha256');
      let n = 0;
      const dl = await media.download(token, { media_id: up.media_id }, (c) => {
        got.update(c);
        n += c.length;
      });
      assert.equal(dl.metadata?.checksum_sha256, checksum);
      assert.equal(n, SIZE);
      assert.equal(got.digest('hex'), checksum);
    } finally {
      clearInterval(sampler);
    }
    const growth = peak - base;
    process.stdout.write(`# rss growth during 200 MiB up+down: ${(growth / MiB).toFixed(1)} MiB\n`);
    assert.ok(growth < MAX_GROWTH, `RSS grew by ${(growth / MiB).toFixed(1)} MiB for a ${SIZE / MiB} MiB file`);
  });
});
