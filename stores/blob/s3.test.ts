/**
 * The S3 adapter against a real S3 API server started here (versitygw from
 * ops/install-s3-server.sh). Without the binary the suite skips and says how
 * to install it. With GUARDYN_MEDIA__S3_ENDPOINT set (as `npm run test:production` does) it
 * runs against that server instead.
 */
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { blobStoreConformance } from './conformance.ts';
import { S3BlobStore } from './s3.ts';
import { findS3Server, S3_INSTALL_HINT, startS3Server } from '../../ops/s3/local-server.ts';

const PART = 5 * 1024 * 1024;

// `npm run test:production` names its running S3 server (GUARDYN_MEDIA__S3_*): use it, in a bucket of this run's own.
const external = process.env['GUARDYN_MEDIA__S3_ENDPOINT'];
if (external !== undefined && external !== '') {
  blobStoreConformance('S3 (the server of test:production)', async () => ({
    store: await S3BlobStore.open({
      endpoint: external,
      accessKey: process.env['GUARDYN_MEDIA__S3_ACCESS_KEY'] ?? '',
      secretKey: process.env['GUARDYN_MEDIA__S3_SECRET_KEY'] ?? '',
      bucket: `conformance-${randomBytes(6).toString('hex')}`,
      partSize: PART,
    }),
    multipartSize: 3 * PART + 12345,
    teardown: async () => undefined,
  }));
} else if (findS3Server() === undefined) {
  describe('blob store conformance: S3', () => {
    it(`skipped: no S3 API server binary (${S3_INSTALL_HINT})`, {
      skip: `no S3 API server: ${S3_INSTALL_HINT}`,
    }, () => {});
  });
} else {
  blobStoreConformance('S3 (versitygw)', async () => {
    const server = await startS3Server();
    const store = await S3BlobStore.open({
      endpoint: server.endpoint,
      accessKey: server.accessKey,
      secretKey: server.secretKey,
      bucket: 'guardyn-media-test',
      partSize: PART,
    });
    return {
      store,
      // Above the part size: the client uploads it as a multipart upload.
      multipartSize: 3 * PART + 12345,
      teardown: () => server.stop(),
    };
  });
}
