/** A MediaService client for tests and benchmarks: unary calls as promises, and the two streams. */
import * as grpc from '@grpc/grpc-js';
import { Readable } from 'node:stream';
import { serviceClient, type ServiceClient } from '../../gateways/grpc/client.ts';

export interface MediaClient {
  readonly unary: ServiceClient;
  /** UploadMedia: the header, then the body in chunks, with the client's flow control. */
  upload(
    token: string,
    header: Record<string, unknown>,
    body: Readable,
    chunkSize?: number,
  ): Promise<Record<string, any>>;
  /** DownloadMedia: the metadata frame, and each chunk handed to `onChunk`. */
  download(
    token: string,
    request: Record<string, unknown>,
    onChunk: (b: Buffer) => void,
  ): Promise<{ metadata: Record<string, any> | undefined }>;
  close(): void;
}

export function bearerMetadata(token: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  return md;
}

export function mediaClient(address: string): MediaClient {
  const unary = serviceClient('guardyn.media.MediaService', address);
  const raw = unary.raw as grpc.Client & Record<string, Function>;
  return {
    unary,
    upload(token, header, body, chunkSize = 256 * 1024) {
      return new Promise((resolve, reject) => {
        const call = raw['UploadMedia']!.call(
          raw,
          bearerMetadata(token),
          { deadline: Date.now() + 600_000 },
          (err: Error | null, reply: Record<string, any>) => (err ? reject(err) : resolve(reply)),
        ) as grpc.ClientWritableStream<unknown>;
        void (async () => {
          call.write({ header });
          for await (const piece of body) {
            const buf = piece as Buffer;
            for (let i = 0; i < buf.length; i += chunkSize) {
              if (!call.write({ chunk: buf.subarray(i, i + chunkSize) }))
                await new Promise((r) => call.once('drain', r));
            }
          }
          call.end();
        })().catch((err: Error) => call.destroy(err));
      });
    },
    download(token, request, onChunk) {
      return new Promise((resolve, reject) => {
        const call = raw['DownloadMedia']!.call(raw, request, bearerMetadata(token), {
          deadline: Date.now() + 600_000,
        }) as grpc.ClientReadableStream<Record<string, any>>;
        let metadata: Record<string, any> | undefined;
        call.on('data', (frame: Record<string, any>) => {
          if (frame['content'] === 'metadata') metadata = frame['metadata'];
          else onChunk(frame['chunk'] as Buffer);
        });
        call.on('error', reject);
        call.on('end', () => resolve({ metadata }));
      });
    },
    close: () => unary.close(),
  };
}
