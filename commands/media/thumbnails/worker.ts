/**
 * The thumbnail worker thread (started by ./workers.ts): it
 * decodes one image at a time, checks that the picture has the size its
 * header declared, scales it down and encodes the thumbnail. It runs under
 * the memory limits the pool gave it and is terminated when it takes too
 * long, so no image stalls the event loop of the process.
 */
import { parentPort } from 'node:worker_threads';
import { Jimp } from 'jimp';
import type { ThumbnailJob, WorkerReply } from './workers.ts';

async function make(job: ThumbnailJob): Promise<WorkerReply> {
  let image: Awaited<ReturnType<typeof Jimp.read>>;
  try {
    // The JPEG decoder's own bounds as well: a later frame header could declare more than the first.
    const jpeg = {
      maxResolutionInMP: Math.max(1, Math.ceil((job.width * job.height) / 1e6)),
      maxMemoryUsageInMB: job.memoryMb,
    };
    image = await Jimp.read(Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength), {
      'image/jpeg': jpeg,
    });
  } catch {
    return {
      id: job.id,
      ok: false,
      kind: 'undecodable',
      message: 'the media is not an image the server can decode (JPEG, PNG, BMP, GIF, TIFF)',
    };
  }
  if (image.width !== job.width || image.height !== job.height) {
    return {
      id: job.id,
      ok: false,
      kind: 'header-lies',
      message: `the image header declares ${job.width}x${job.height} pixels but the picture has ${image.width}x${image.height}`,
    };
  }
  if (image.width > job.maxWidth || image.height > job.maxHeight)
    image.scaleToFit({ w: job.maxWidth, h: job.maxHeight });
  const bytes =
    job.format === 'jpeg'
      ? await image.getBuffer('image/jpeg', { quality: job.quality })
      : await image.getBuffer('image/png');
  return { id: job.id, ok: true, bytes: new Uint8Array(bytes), width: image.width, height: image.height };
}

const port = parentPort;
if (port !== null) {
  port.on('message', (job: ThumbnailJob) => {
    void make(job)
      .catch(
        (err: Error): WorkerReply => ({
          id: job.id,
          ok: false,
          kind: 'undecodable',
          message: `the image could not be thumbnailed: ${err.message}`,
        }),
      )
      .then((reply) => port.postMessage(reply, reply.ok ? [reply.bytes.buffer as ArrayBuffer] : []));
  });
  port.postMessage('ready');
}
