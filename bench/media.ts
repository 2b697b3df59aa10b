/**
 * `npm run bench -- media`: presigned upload and download throughput through
 * the blob port beside raw access to the same store, as ratios.
 * - embedded: PUT/GET on presigned URLs served by the blob HTTP handler vs
 *   direct file write/read in the same directory;
 * - S3 (when ops/install-s3-server.sh installed the server): PUT/GET on
 *   presigned URLs vs the minio client's putObject/getObject.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describeMachine } from './machine.ts';
import type { BlobStore } from '../stores/blob/port.ts';
import { FileBlobStore } from '../stores/blob/files.ts';
import { startBlobHttpServer } from '../stores/blob/http-handler.ts';
import { S3BlobStore } from '../stores/blob/s3.ts';
import { findS3Server, startS3Server } from '../ops/s3/local-server.ts';

const SIZE = 64 * 1024 * 1024;
const ROUNDS = 3;
const MiB = 1024 * 1024;

async function timed(f: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
const rate = (s: number) => SIZE / MiB / s;

async function presigned(store: BlobStore, body: Buffer): Promise<{ up: number; down: number }> {
  let up = 0;
  let down = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const key = `bench/${randomUUID()}`;
    const put = await store.presignPut(key, {
      size: SIZE,
      contentType: 'application/octet-stream',
      expiresInSeconds: 600,
    });
    up += await timed(async () => {
      const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: new Uint8Array(body) });
      if (!res.ok) throw new Error(`PUT ${res.status}`);
    });
    const get = await store.presignGet(key, { expiresInSeconds: 600 });
    down += await timed(async () => {
      const res = await fetch(get.url);
      let n = 0;
      for await (const c of res.body!) n += (c as Uint8Array).length;
      if (n !== SIZE) throw new Error(`GET ${n} bytes`);
    });
  }
  return { up: up / ROUNDS, down: down / ROUNDS };
}

function report(label: string, ours: { up: number; down: number }, raw: { up: number; down: number }): void {
  console.log(
    `${label} upload:   presigned ${rate(ours.up).toFixed(0)} MiB/s, raw ${rate(raw.up).toFixed(0)} MiB/s, ratio ${(rate(ours.up) / rate(raw.up)).toFixed(2)}`,
  );
  console.log(
    `${label} download: presigned ${rate(ours.down).toFixed(0)} MiB/s, raw ${rate(raw.down).toFixed(0)} MiB/s, ratio ${(rate(ours.down) / rate(raw.down)).toFixed(2)}`,
  );
}

export async function benchMedia(): Promise<void> {
  console.log(describeMachine());
  console.log(`object ${SIZE / MiB} MiB, ${ROUNDS} rounds each, averages`);
  const body = randomBytes(SIZE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-bench-media-'));
  try {
    const key = randomBytes(32);
    const served = await FileBlobStore.open({ root: dir, signingKey: key, publicUrl: '' });
    const http = await startBlobHttpServer({ host: '127.0.0.1', port: 0, store: served });
    const store = await FileBlobStore.open({ root: dir, signingKey: key, publicUrl: `http://127.0.0.1:${http.port}` });
    const ours = await presigned(store, body);
    let up = 0;
    let down = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const file = path.join(dir, `raw-${i}`);
      up += await timed(() =>
        pipeline(
          Readable.from([body]),
          fs.createWriteStream(file, { flush: true } as Parameters<typeof fs.createWriteStream>[1]),
        ),
      );
      down += await timed(async () => {
        for await (const _ of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
          /* read */
        }
      });
      await fsp.rm(file);
    }
    report('embedded', ours, { up: up / ROUNDS, down: down / ROUNDS });
    await http.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (findS3Server() === undefined) {
    console.log('S3: skipped (no S3 API server; bash ops/install-s3-server.sh)');
    return;
  }
  const server = await startS3Server();
  try {
    const store = await S3BlobStore.open({
      endpoint: server.endpoint,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
      bucket: 'guardyn-bench',
    });
    const ours = await presigned(store, body);
    let up = 0;
    let down = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const k = `raw/${randomUUID()}`;
      up += await timed(async () => {
        await store.client.putObject(store.bucket, k, body, SIZE);
      });
      down += await timed(async () => {
        for await (const _ of await store.client.getObject(store.bucket, k)) {
          /* read */
        }
      });
    }
    report('S3 (versitygw)', ours, { up: up / ROUNDS, down: down / ROUNDS });
  } finally {
    await server.stop();
  }
}
