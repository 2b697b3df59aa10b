/**
 * MediaService over real gRPC, a real nats-server and the embedded blob store
 * with its HTTP listener: every RPC's success and refusal paths (strangers,
 * wrong size or checksum, expired URLs, quotas, bad input, encrypted media),
 * presigned upload and download, the streams with ranges, paging, and the
 * cleanup of uploads that never arrived.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Jimp } from 'jimp';
import { withNatsServer, type TestNatsServer } from '../support/nats.ts';
import { startTestGuardyn, uniqueName, type TestGuardyn } from '../support/guardyn.ts';
import { bearerMetadata, mediaClient, type MediaClient } from '../support/media-client.ts';
import { pngDeclaring } from '../support/images.ts';
import { FileBlobStore } from '../../stores/blob/files.ts';

interface Account {
  userId: string;
  deviceId: string;
  token: string;
}
type Reply = Record<string, any>;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const QUOTA_BYTES = 3 * 1024 * 1024;
const QUOTA_COUNT = 12;

/** A presigned PUT the store accepted: 201 from the embedded store, 200 from S3. */
const stored = (status: number): boolean => status === 200 || status === 201;

describe('media service over gRPC', () => {
  let nats: TestNatsServer;
  let g: TestGuardyn;
  /** Where the embedded store keeps a media's object. */
  const objectFile = (mediaId: string) => path.join(g.dataDir, 'blobs', 'objects', 'media', mediaId);
  let media: MediaClient;
  let owner: Account, peer: Account, stranger: Account;
  let conversationId: string;

  const call = (method: string, token: string | undefined, req: Record<string, unknown>): Promise<Reply> =>
    media.unary[method]!(req, token === undefined ? undefined : bearerMetadata(token));

  async function register(): Promise<Account> {
    const r = await g.auth.Register!({
      username: uniqueName('media'),
      password: 'correct horse battery',
      email: '',
      device_name: 'phone',
      device_type: 'mobile',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    return { userId: r.success.user_id, deviceId: r.success.device_id, token: r.success.access_token };
  }

  async function putViaUrl(who: Account, body: Buffer, extra: Record<string, unknown> = {}): Promise<string> {
    const r = await call('GetUploadUrl', who.token, {
      filename: 'a.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
      ...extra,
    });
    assert.equal(r.error, null, JSON.stringify(r.error));
    const res = await fetch(r.upload_url, { method: 'PUT', headers: r.headers, body: new Uint8Array(body) });
    assert.ok(stored(res.status), await res.text());
    return r.media_id as string;
  }

  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, {
      roles: ['auth', 'messaging', 'projections', 'media'],
      env: {
        GUARDYN_MEDIA__QUOTA_BYTES: String(QUOTA_BYTES),
        GUARDYN_MEDIA__QUOTA_COUNT: String(QUOTA_COUNT),
        GUARDYN_MEDIA__PENDING_TTL_SECONDS: '6',
        GUARDYN_MEDIA__CLEANUP_INTERVAL_SECONDS: '1',
      },
    });
    media = mediaClient(`127.0.0.1:${g.ports.media}`);
    [owner, peer, stranger] = [await register(), await register(), await register()];
    const sent = await g.messaging.SendMessage!({
      access_token: owner.token,
      recipient_user_id: peer.userId,
      encrypted_content: Buffer.from('hi'),
      message_type: 'TEXT',
      client_message_id: 'm1',
    });
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    conversationId = sent.success.conversation_id;
  });
  after(async () => {
    media?.close();
    await g?.stop();
    await nats?.stop();
  });

  it('GetUploadUrl → PUT → the owner and the peer read it; a stranger gets NOT_FOUND', async () => {
    const body = randomBytes(50_000);
    const r = await call('GetUploadUrl', owner.token, {
      filename: 'photo.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
      conversation_id: conversationId,
      checksum_sha256: sha(body),
    });
    assert.equal(r.error, null, JSON.stringify(r.error));
    const expiresIn = Number(r.expires_at) - Date.now() / 1000;
    assert.ok(expiresIn > 3500 && expiresIn <= 3600, `default expiry is 1 hour, got ${expiresIn} s`);
    assert.equal(r.headers['Content-Length'], String(body.length));
    const pending = await call('GetMediaMetadata', owner.token, { media_id: r.media_id });
    assert.equal(pending.metadata.status, 'UPLOAD_STATUS_PENDING');
    assert.ok(stored((await fetch(r.upload_url, { method: 'PUT', headers: r.headers, body })).status));
    const meta = await call('GetMediaMetadata', owner.token, { media_id: r.media_id });
    assert.equal(meta.metadata.status, 'UPLOAD_STATUS_COMPLETED');
    assert.equal(meta.metadata.checksum_sha256, sha(body));
    const dl = await call('GetDownloadUrl', peer.token, { media_id: r.media_id });
    assert.equal(dl.error, null, JSON.stringify(dl.error));
    const got = Buffer.from(await (await fetch(dl.download_url)).arrayBuffer());
    assert.ok(got.equals(body));
    for (const m of ['GetDownloadUrl', 'GetMediaMetadata']) {
      const refused = await call(m, stranger.token, { media_id: r.media_id });
      assert.equal(refused.error.code, 'NOT_FOUND', m);
    }
    const noToken = await call('GetMediaMetadata', undefined, { media_id: r.media_id });
    assert.equal(noToken.error.code, 'UNAUTHORIZED');
  });

  it('refuses bad input naming the field, and a stranger attaching to a conversation', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filename: '', mime_type: 'image/png', size_bytes: '10' }, 'filename'],
      [{ filename: 'a', mime_type: 'png', size_bytes: '10' }, 'mime_type'],
      [{ filename: 'a', mime_type: 'image/png', size_bytes: '0' }, 'size_bytes'],
      [{ filename: 'a', mime_type: 'image/png', size_bytes: '10', conversation_id: 'nope' }, 'conversation_id'],
      [{ filename: 'a', mime_type: 'image/png', size_bytes: '10', checksum_sha256: 'xyz' }, 'checksum_sha256'],
    ];
    for (const [req, field] of cases) {
      const r = await call('GetUploadUrl', owner.token, req);
      assert.equal(r.error?.code, 'INVALID_REQUEST', JSON.stringify(req));
      assert.equal(r.error.details.field, field);
    }
    const r = await call('GetUploadUrl', stranger.token, {
      filename: 'a',
      mime_type: 'image/png',
      size_bytes: '10',
      conversation_id: conversationId,
    });
    assert.equal(r.error.code, 'FORBIDDEN');
    assert.equal((await call('GetMediaMetadata', owner.token, { media_id: 'x' })).error.details.field, 'media_id');
    assert.equal((await call('DeleteMedia', owner.token, { media_id: '' })).error.code, 'INVALID_REQUEST');
  });

  it('a PUT of another size is refused by the URL; a body that misses the declared checksum ends FAILED', async () => {
    const body = randomBytes(1000);
    const r = await call('GetUploadUrl', owner.token, {
      filename: 'x',
      mime_type: 'text/plain',
      size_bytes: '1000',
      checksum_sha256: sha(body),
    });
    const wrongSize = await fetch(r.upload_url, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: randomBytes(999),
    });
    assert.equal(wrongSize.status, 403);
    const other = randomBytes(1000);
    assert.ok(stored((await fetch(r.upload_url, { method: 'PUT', headers: r.headers, body: other })).status));
    const meta = await call('GetMediaMetadata', owner.token, { media_id: r.media_id });
    assert.equal(meta.metadata.status, 'UPLOAD_STATUS_FAILED');
    const dl = await call('GetDownloadUrl', owner.token, { media_id: r.media_id });
    assert.equal(dl.error.code, 'CONFLICT');
  });

  it('an expired download URL is refused, and a pending upload that never arrives is cleaned up', async () => {
    const id = await putViaUrl(owner, randomBytes(10));
    const dl = await call('GetDownloadUrl', owner.token, { media_id: id });
    // The embedded store's URL carries `expires=` (refused with 403); an S3 URL its signing time
    // (X-Amz-Date), which S3 servers refuse with 403 or, as long expired, 400.
    const embedded = /expires=\d+/.test(dl.download_url);
    const forged = embedded
      ? dl.download_url.replace(/expires=\d+/, `expires=${Date.now() - 1000}`)
      : dl.download_url.replace(/X-Amz-Date=\d{8}T\d{6}Z/, 'X-Amz-Date=20200101T000000Z');
    assert.notEqual(forged, dl.download_url);
    const refused = (await fetch(forged)).status;
    assert.ok(embedded ? refused === 403 : refused === 403 || refused === 400, `an expired URL answered ${refused}`);
    const never = await call('GetUploadUrl', owner.token, { filename: 'n', mime_type: 'text/plain', size_bytes: '5' });
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: never.media_id })).metadata.status,
      'UPLOAD_STATUS_PENDING',
    );
    const deadline = Date.now() + 20_000;
    for (;;) {
      const m = await call('GetMediaMetadata', owner.token, { media_id: never.media_id });
      if (m.error?.code === 'NOT_FOUND') break;
      assert.ok(Date.now() < deadline, 'the pending upload was not cleaned up within 20 s');
      await sleep(500);
    }
  });

  it('UploadMedia and DownloadMedia stream with checksum and ranges; a wrong checksum or size fails', async () => {
    const body = randomBytes(700_000);
    const header = {
      filename: 'v.bin',
      media_type: 'MEDIA_TYPE_VIDEO',
      mime_type: 'video/mp4',
      size_bytes: String(body.length),
      checksum_sha256: sha(body),
      is_encrypted: true,
      conversation_id: conversationId,
    };
    const up = await media.upload(owner.token, header, Readable.from([body]), 64 * 1024);
    assert.equal(up.status, 'UPLOAD_STATUS_COMPLETED', up.error_message);
    const parts: Buffer[] = [];
    const whole = await media.download(peer.token, { media_id: up.media_id }, (c) => parts.push(c));
    assert.equal(whole.metadata?.media_id, up.media_id);
    assert.ok(Buffer.concat(parts).equals(body));
    const ranged: Buffer[] = [];
    await media.download(owner.token, { media_id: up.media_id, offset: '1000', length: '5000' }, (c) => ranged.push(c));
    assert.ok(Buffer.concat(ranged).equals(body.subarray(1000, 6000)));
    await assert.rejects(
      media.download(stranger.token, { media_id: up.media_id }, () => {}),
      /NOT_FOUND/,
    );
    await assert.rejects(
      media.download(owner.token, { media_id: up.media_id, offset: '900000' }, () => {}),
      /INVALID_REQUEST/,
    );
    const bad = await media.upload(
      owner.token,
      { ...header, checksum_sha256: sha(randomBytes(8)) },
      Readable.from([body]),
    );
    assert.equal(bad.status, 'UPLOAD_STATUS_FAILED');
    assert.equal(bad.error.code, 'INVALID_REQUEST');
    const short = await media.upload(
      owner.token,
      { ...header, checksum_sha256: '' },
      Readable.from([body.subarray(0, 1000)]),
    );
    assert.equal(short.status, 'UPLOAD_STATUS_FAILED');
    assert.equal(short.error.details.field, 'size_bytes');
    const noHeader = await media.upload(owner.token, { filename: '' }, Readable.from([body.subarray(0, 10)]));
    assert.equal(noHeader.error.code, 'INVALID_REQUEST');
    assert.equal(noHeader.error.details.field, 'header.filename');
  });

  it('GenerateThumbnail scales a plain image; encrypted media is refused', async () => {
    const image = new Jimp({ width: 400, height: 300, color: 0x3366ccff });
    const png = await image.getBuffer('image/png');
    const r = await call('GetUploadUrl', owner.token, {
      filename: 'p.png',
      mime_type: 'image/png',
      size_bytes: String(png.length),
      conversation_id: conversationId,
    });
    assert.ok(
      stored((await fetch(r.upload_url, { method: 'PUT', headers: r.headers, body: new Uint8Array(png) })).status),
    );
    const th = await call('GenerateThumbnail', peer.token, {
      media_id: r.media_id,
      max_width: 100,
      max_height: 100,
      format: 'jpeg',
      quality: 70,
    });
    assert.equal(th.error, null, JSON.stringify(th.error));
    assert.equal(th.metadata.width, 100);
    assert.equal(th.metadata.height, 75);
    assert.equal(th.metadata.mime_type, 'image/jpeg');
    const parts: Buffer[] = [];
    await media.download(peer.token, { media_id: th.thumbnail_id }, (c) => parts.push(c));
    const decoded = await Jimp.read(Buffer.concat(parts));
    assert.equal(decoded.width, 100);
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: r.media_id })).metadata.thumbnail_id,
      th.thumbnail_id,
    );
    const enc = await media.upload(
      owner.token,
      {
        filename: 'e',
        media_type: 'MEDIA_TYPE_IMAGE',
        mime_type: 'image/png',
        size_bytes: String(png.length),
        is_encrypted: true,
      },
      Readable.from([png]),
    );
    const refused = await call('GenerateThumbnail', owner.token, {
      media_id: enc.media_id,
      max_width: 10,
      max_height: 10,
    });
    assert.equal(refused.error.code, 'INVALID_REQUEST');
    assert.match(refused.error.message, /end-to-end encrypted/);
    // Deleting the source takes its thumbnail along.
    assert.equal((await call('DeleteMedia', owner.token, { media_id: r.media_id })).success, true);
    assert.equal((await call('GetMediaMetadata', owner.token, { media_id: th.thumbnail_id })).error.code, 'NOT_FOUND');
  });

  it('an image bomb (a tiny PNG declaring 20000x20000) is refused at once, and SendMessage meanwhile answers', async () => {
    const bomb = pngDeclaring(20_000, 20_000);
    assert.ok(bomb.length < 40_000);
    const r = await call('GetUploadUrl', owner.token, {
      filename: 'bomb.png',
      mime_type: 'image/png',
      size_bytes: String(bomb.length),
      conversation_id: conversationId,
    });
    assert.ok(
      stored((await fetch(r.upload_url, { method: 'PUT', headers: r.headers, body: new Uint8Array(bomb) })).status),
    );
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: r.media_id })).metadata.status,
      'UPLOAD_STATUS_COMPLETED',
    );
    const timed = async <T>(work: Promise<T>) => {
      const started = performance.now();
      const result = await work;
      return { result, ms: performance.now() - started };
    };
    let fastest = Infinity;
    for (let attempt = 0; attempt < 5; attempt++) {
      const [thumb, sent] = await Promise.all([
        timed(
          call('GenerateThumbnail', owner.token, {
            media_id: r.media_id,
            max_width: 100,
            max_height: 100,
            format: 'png',
          }),
        ),
        timed(
          g.messaging.SendMessage!({
            access_token: owner.token,
            recipient_user_id: peer.userId,
            encrypted_content: Buffer.from('meanwhile'),
            message_type: 'TEXT',
            client_message_id: `bomb-${attempt}`,
          }),
        ),
      ]);
      assert.equal(thumb.result.error?.code, 'INVALID_REQUEST', JSON.stringify(thumb.result));
      assert.equal(thumb.result.error.details.field, 'media_id');
      assert.match(thumb.result.error.message, /20000x20000 pixels; images over 40000000 pixels are not thumbnailed/);
      assert.equal(sent.result.result, 'success', JSON.stringify(sent.result.error));
      assert.ok(sent.ms < 1000, `SendMessage beside the bomb took ${sent.ms} ms`);
      fastest = Math.min(fastest, thumb.ms);
    }
    // Best of five on a shared machine (the header is read from the blob store: S3 in the production
    // run); decoding the bomb would take seconds every time.
    assert.ok(fastest < 500, `the bomb was refused in ${fastest} ms at best`);
  });

  it('a large image within the budget is decoded off the event loop: SendMessage answers meanwhile', async () => {
    const png = await new Jimp({ width: 5000, height: 4000, color: 0x3366ccff }).getBuffer('image/png');
    const r = await call('GetUploadUrl', owner.token, {
      filename: 'large.png',
      mime_type: 'image/png',
      size_bytes: String(png.length),
      conversation_id: conversationId,
    });
    assert.ok(
      stored((await fetch(r.upload_url, { method: 'PUT', headers: r.headers, body: new Uint8Array(png) })).status),
    );
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: r.media_id })).metadata.status,
      'UPLOAD_STATUS_COMPLETED',
    );
    const thumbnail = call('GenerateThumbnail', owner.token, {
      media_id: r.media_id,
      max_width: 50,
      max_height: 40,
      format: 'png',
    });
    let finished = false;
    void thumbnail.finally(() => {
      finished = true;
    });
    let sends = 0;
    while (!finished) {
      const started = performance.now();
      const sent = await g.messaging.SendMessage!({
        access_token: owner.token,
        recipient_user_id: peer.userId,
        encrypted_content: Buffer.from('while decoding'),
        message_type: 'TEXT',
        client_message_id: `decoding-${sends}`,
      });
      const ms = performance.now() - started;
      assert.equal(sent.result, 'success', JSON.stringify(sent.error));
      // Decoding on the event loop held a send for the whole decode (3.4 s on a quiet machine); off it, a send waits
      // only for CPU, which a machine shared with other builds may withhold for a second or more.
      assert.ok(ms < 3000, `SendMessage took ${ms} ms while a thumbnail was being made`);
      sends++;
    }
    const th = await thumbnail;
    assert.equal(th.error, null, JSON.stringify(th.error));
    assert.deepEqual([th.metadata.width, th.metadata.height], [50, 40]);
    assert.ok(sends >= 1);
  });

  it('enum-like fields that are wrong name the values accepted', async () => {
    const th = await call('GenerateThumbnail', owner.token, {
      media_id: '123e4567-e89b-12d3-a456-426614174000',
      format: 'jpg',
    });
    assert.equal(th.error.code, 'INVALID_REQUEST');
    assert.equal(th.error.message, 'invalid request: format must be one of "jpeg", "png" (or empty)');
    const list = await call('ListMedia', owner.token, { sort_by: 'CREATED_AT' });
    assert.equal(list.error.message, 'invalid request: sort_by must be one of "created_at", "size_bytes" (or empty)');
    const types = await call('ListMedia', owner.token, { media_types: ['MEDIA_TYPE_IMAGE', 42] });
    assert.equal(types.error.details.field, 'media_types[1]');
    assert.match(types.error.message, /media_types\[1\] must be one of "MEDIA_TYPE_UNKNOWN", "MEDIA_TYPE_IMAGE"/);
  });

  it('the presigned URLs of a deleted media take no bytes and serve none; a completed or failed upload takes no second one', {
    skip:
      (process.env['GUARDYN_MEDIA__S3_ENDPOINT'] ?? '') !== ''
        ? 'S3 serves its presigned URLs itself (docs/adr/0072-presigned-urls-follow-the-media-s-state.md)'
        : false,
  }, async () => {
    const body = randomBytes(2000);
    const up = await call('GetUploadUrl', owner.token, {
      filename: 'd.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
      checksum_sha256: sha(body),
    });
    const put = (url: string, headers: Record<string, string>, bytes: Buffer) =>
      fetch(url, { method: 'PUT', headers, body: new Uint8Array(bytes) });
    assert.equal((await put(up.upload_url, up.headers, body)).status, 201);
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: up.media_id })).metadata.status,
      'UPLOAD_STATUS_COMPLETED',
    );
    // The URL served its one upload.
    const again = await put(up.upload_url, up.headers, body);
    assert.equal(again.status, 409);
    assert.match(await again.text(), /completed already/);
    const dl = await call('GetDownloadUrl', owner.token, { media_id: up.media_id });
    assert.equal((await fetch(dl.download_url)).status, 200);
    assert.equal((await call('DeleteMedia', owner.token, { media_id: up.media_id })).success, true);
    assert.equal(fs.existsSync(objectFile(up.media_id)), false);
    // After the deletion, neither the upload URL nor the download URL issued before it works.
    const late = await put(up.upload_url, up.headers, body);
    assert.equal(late.status, 410);
    assert.match(await late.text(), /deleted/);
    assert.equal(fs.existsSync(objectFile(up.media_id)), false, 'the late upload left no object');
    for (const method of ['GET', 'HEAD']) assert.equal((await fetch(dl.download_url, { method })).status, 410, method);

    // A pending upload deleted before any byte came: its URL takes none.
    const pending = await call('GetUploadUrl', owner.token, {
      filename: 'p.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
    });
    assert.equal((await call('DeleteMedia', owner.token, { media_id: pending.media_id })).success, true);
    assert.equal((await put(pending.upload_url, pending.headers, body)).status, 410);
    assert.equal(fs.existsSync(objectFile(pending.media_id)), false);

    // A failed upload (wrong checksum: the object is removed) takes no second try on the same URL.
    const failing = await call('GetUploadUrl', owner.token, {
      filename: 'f.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
      checksum_sha256: sha(randomBytes(8)),
    });
    assert.equal((await put(failing.upload_url, failing.headers, body)).status, 201);
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: failing.media_id })).metadata.status,
      'UPLOAD_STATUS_FAILED',
    );
    assert.equal((await put(failing.upload_url, failing.headers, body)).status, 409);
    assert.equal(fs.existsSync(objectFile(failing.media_id)), false);

    // Deleted while the bytes flow: the upload is answered 410 and its object removed.
    const flowing = await call('GetUploadUrl', owner.token, {
      filename: 's.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(flowing.upload_url, { method: 'PUT', headers: flowing.headers }, (res) => {
        let text = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => {
            text += c;
          })
          .on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.write(body.subarray(0, 1000));
      void (async () => {
        assert.equal((await call('DeleteMedia', owner.token, { media_id: flowing.media_id })).success, true);
        req.end(body.subarray(1000));
      })().catch(reject);
    });
    const flowed = await answer;
    assert.equal(flowed.status, 410, flowed.text);
    assert.equal(
      fs.existsSync(objectFile(flowing.media_id)),
      false,
      'the object of the upload deleted meanwhile is removed',
    );
  });

  it('an object that reaches the store after its media was deleted is removed by the cleanup', async () => {
    const body = randomBytes(500);
    const up = await call('GetUploadUrl', owner.token, {
      filename: 'l.bin',
      mime_type: 'application/octet-stream',
      size_bytes: String(body.length),
    });
    assert.ok(
      stored((await fetch(up.upload_url, { method: 'PUT', headers: up.headers, body: new Uint8Array(body) })).status),
    );
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: up.media_id })).metadata.status,
      'UPLOAD_STATUS_COMPLETED',
    );
    const dl = await call('GetDownloadUrl', owner.token, { media_id: up.media_id });
    // A late upload: S3 takes it through the old URL (nothing of Guardyn stands between a presigned
    // URL and S3); the embedded store refuses it (previous test), so it is put in place directly.
    const embedded = /expires=\d+/.test(up.upload_url);
    const present = embedded
      ? async () => fs.existsSync(objectFile(up.media_id))
      : async () => (await fetch(dl.download_url)).status === 200;
    // The probe sees the object while its media lives (so a probe that never sees it fails here).
    // After the late upload it is not asked: the cleanup may remove the object before any probe.
    assert.equal(await present(), true, 'the completed upload is in the store');
    assert.equal((await call('DeleteMedia', owner.token, { media_id: up.media_id })).success, true);
    if (embedded) {
      const direct = await FileBlobStore.open({
        root: path.join(g.dataDir, 'blobs'),
        signingKey: randomBytes(32),
        publicUrl: '',
      });
      await direct.put(`media/${up.media_id}`, Readable.from([body]), {
        size: body.length,
        contentType: 'application/octet-stream',
      });
    } else {
      assert.ok(
        stored((await fetch(up.upload_url, { method: 'PUT', headers: up.headers, body: new Uint8Array(body) })).status),
      );
    }
    const deadline = Date.now() + 20_000;
    while (await present()) {
      assert.ok(Date.now() < deadline, 'the object of the deleted media was not removed within 20 s');
      await sleep(250);
    }
  });

  it('DeleteMedia: only the owner; afterwards the media is gone', async () => {
    const id = await putViaUrl(owner, randomBytes(100), { conversation_id: conversationId });
    assert.equal(
      (await call('GetMediaMetadata', owner.token, { media_id: id })).metadata.status,
      'UPLOAD_STATUS_COMPLETED',
    );
    const byPeer = await call('DeleteMedia', peer.token, { media_id: id });
    assert.equal(byPeer.success, false);
    assert.equal(byPeer.error.code, 'FORBIDDEN');
    assert.equal((await call('DeleteMedia', stranger.token, { media_id: id })).error.code, 'NOT_FOUND');
    assert.equal((await call('DeleteMedia', owner.token, { media_id: id })).success, true);
    assert.equal((await call('GetMediaMetadata', owner.token, { media_id: id })).error.code, 'NOT_FOUND');
    assert.equal((await call('DeleteMedia', owner.token, { media_id: id })).error.code, 'NOT_FOUND');
  });

  it('ListMedia pages by cursor without gap or repeat, filters by type, refuses other users', async () => {
    const lister = await register();
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++)
      ids.add(await putViaUrl(lister, randomBytes(10 + i), i === 0 ? { mime_type: 'image/png' } : {}));
    const seen: string[] = [];
    let cursor = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = await call('ListMedia', lister.token, { limit: 2, cursor });
      assert.equal(page.error, null, JSON.stringify(page.error));
      assert.equal(page.total_count, 5);
      seen.push(...page.items.map((m: Reply) => m.media_id));
      cursor = page.next_cursor;
      if (cursor === '') break;
    }
    assert.equal(seen.length, 5);
    assert.deepEqual(new Set(seen), ids);
    const bySize = await call('ListMedia', lister.token, { sort_by: 'size_bytes', ascending: true });
    assert.deepEqual(
      bySize.items.map((m: Reply) => Number(m.size_bytes)),
      [10, 11, 12, 13, 14],
    );
    const images = await call('ListMedia', lister.token, { media_types: ['MEDIA_TYPE_IMAGE'] });
    assert.equal(images.items.length, 1);
    assert.equal((await call('ListMedia', lister.token, { user_id: owner.userId })).error.code, 'FORBIDDEN');
    assert.equal(
      (await call('ListMedia', stranger.token, { conversation_id: conversationId })).error.code,
      'FORBIDDEN',
    );
    const conv = await call('ListMedia', peer.token, { conversation_id: conversationId });
    assert.ok(conv.items.length >= 1 && conv.items.every((m: Reply) => m.conversation_id === conversationId));
    assert.equal((await call('ListMedia', lister.token, { cursor: '!!' })).error.code, 'INVALID_REQUEST');
  });

  it('quotas: bytes and count per user; deleting frees them', async () => {
    const user = await register();
    const big = await call('GetUploadUrl', user.token, {
      filename: 'b',
      mime_type: 'text/plain',
      size_bytes: String(QUOTA_BYTES + 1),
    });
    assert.equal(big.error.code, 'FORBIDDEN');
    assert.match(big.error.message, /quota/);
    const ids: string[] = [];
    for (let i = 0; i < QUOTA_COUNT; i++) {
      const r = await call('GetUploadUrl', user.token, { filename: 'c', mime_type: 'text/plain', size_bytes: '1' });
      assert.equal(r.error, null, `upload ${i}: ${JSON.stringify(r.error)}`);
      ids.push(r.media_id);
    }
    const over = await call('GetUploadUrl', user.token, { filename: 'c', mime_type: 'text/plain', size_bytes: '1' });
    assert.equal(over.error.code, 'FORBIDDEN');
    assert.match(over.error.message, /quota/);
    assert.equal((await call('DeleteMedia', user.token, { media_id: ids[0] })).success, true);
    // The view applies the deletion shortly after; the quota then admits one more.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const again = await call('GetUploadUrl', user.token, { filename: 'c', mime_type: 'text/plain', size_bytes: '1' });
      if (again.error === null) break;
      assert.ok(Date.now() < deadline, 'the quota was not freed by the deletion');
      await sleep(100);
    }
  });
});

/** A Guardyn of its own (auth, messaging, projections, media) with `env` for the describe it is called in. */
function mediaGuardyn(env: Record<string, string>): { readonly g: TestGuardyn; readonly media: MediaClient } {
  let nats: TestNatsServer | undefined;
  let g: TestGuardyn | undefined;
  let media: MediaClient | undefined;
  before(async () => {
    nats = await withNatsServer();
    g = await startTestGuardyn(nats.url, { roles: ['auth', 'messaging', 'projections', 'media'], env });
    media = mediaClient(`127.0.0.1:${g.ports.media}`);
  });
  after(async () => {
    media?.close();
    await g?.stop();
    await nats?.stop();
  });
  return {
    get g() {
      return g!;
    },
    get media() {
      return media!;
    },
  };
}

describe('media cleanup of uploads no message carries', () => {
  const fx = mediaGuardyn({ GUARDYN_MEDIA__UNATTACHED_TTL_SECONDS: '4', GUARDYN_MEDIA__CLEANUP_INTERVAL_SECONDS: '1' });

  it('deletes a completed upload that no message carries after the time, and keeps the one a message carries', async () => {
    const accounts = await Promise.all(
      [0, 1].map(async () => {
        const r = await fx.g.auth.Register!({
          username: uniqueName('clean'),
          password: 'correct horse battery',
          email: '',
          device_name: 'phone',
          device_type: 'mobile',
        });
        assert.equal(r.result, 'success', JSON.stringify(r.error));
        return { userId: r.success.user_id as string, token: r.success.access_token as string };
      }),
    );
    const [owner, peer] = accounts as [{ userId: string; token: string }, { userId: string; token: string }];
    const upload = async () => {
      const body = randomBytes(100);
      const r = await fx.media.unary['GetUploadUrl']!(
        { filename: 'a.bin', mime_type: 'application/octet-stream', size_bytes: String(body.length) },
        bearerMetadata(owner.token),
      );
      assert.equal(r['error'], null, JSON.stringify(r['error']));
      assert.ok(
        stored(
          (await fetch(r['upload_url'], { method: 'PUT', headers: r['headers'], body: new Uint8Array(body) })).status,
        ),
      );
      return r['media_id'] as string;
    };
    const attached = await upload();
    const loose = await upload();
    const sent = await fx.g.messaging.SendMessage!({
      access_token: owner.token,
      recipient_user_id: peer.userId,
      encrypted_content: Buffer.from('see attachment'),
      message_type: 'FILE',
      media_id: attached,
      client_message_id: 'att-1',
    });
    assert.equal(sent.result, 'success', JSON.stringify(sent.error));
    const status = async (id: string) => {
      const m = await fx.media.unary['GetMediaMetadata']!({ media_id: id }, bearerMetadata(owner.token));
      return m['error']?.code === 'NOT_FOUND' ? 'GONE' : (m['metadata']?.status as string);
    };
    assert.equal(await status(loose), 'UPLOAD_STATUS_COMPLETED');
    const deadline = Date.now() + 20_000;
    while ((await status(loose)) !== 'GONE') {
      assert.ok(Date.now() < deadline, 'the unattached upload was not cleaned up within 20 s');
      await sleep(500);
    }
    assert.equal(await status(attached), 'UPLOAD_STATUS_COMPLETED', 'the upload a message carries stays');
  });
});

describe('thumbnails over the worker limits', () => {
  const fx = mediaGuardyn({ GUARDYN_MEDIA__THUMBNAIL_TIMEOUT_MS: '100' });

  it('an image within the pixel budget whose decoding takes too long is refused, and the service goes on', async () => {
    const r = await fx.g.auth.Register!({
      username: uniqueName('slow'),
      password: 'correct horse battery',
      email: '',
      device_name: 'phone',
      device_type: 'mobile',
    });
    assert.equal(r.result, 'success', JSON.stringify(r.error));
    const token = r.success.access_token as string;
    const png = await new Jimp({ width: 4000, height: 4000, color: 0x3366ccff }).getBuffer('image/png');
    const up = await fx.media.unary['GetUploadUrl']!(
      { filename: 'big.png', mime_type: 'image/png', size_bytes: String(png.length) },
      bearerMetadata(token),
    );
    assert.ok(
      stored(
        (await fetch(up['upload_url'], { method: 'PUT', headers: up['headers'], body: new Uint8Array(png) })).status,
      ),
    );
    const th = await fx.media.unary['GenerateThumbnail']!(
      { media_id: up['media_id'], max_width: 64, max_height: 64 },
      bearerMetadata(token),
    );
    assert.equal(th['error']?.code, 'INVALID_REQUEST', JSON.stringify(th));
    assert.equal(th['error'].details.field, 'media_id');
    assert.match(th['error'].message, /took longer than 100 ms/);
    const meta = await fx.media.unary['GetMediaMetadata']!({ media_id: up['media_id'] }, bearerMetadata(token));
    assert.equal(meta['metadata'].status, 'UPLOAD_STATUS_COMPLETED');
    assert.equal(meta['metadata'].thumbnail_id, '');
  });
});
