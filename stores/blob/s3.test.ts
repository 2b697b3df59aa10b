/**
 * The S3 adapter against a real S3 API server started here (versitygw from
 * ops/install-s3-server.sh). Without the binary the suite skips and says how
 * to install it.
 */
import { describe, it } from 'node:test';
import { blobStoreConformance } from './conformance.ts';
import { S3BlobStore } from './s3.ts';
import { findS3Server, S3_INSTALL_HINT, startS3Server } from '../../ops/s3/local-server.ts';

const PART = 5 * 1024 * 1024;

if (findS3Server() === undefined) {
  describe('blob store conformance: S3', () => {
    it(`skipped: no S3 API server binary (${S3_INSTALL_HINT})`, { skip: `no S3 API server: ${S3_INSTALL_HINT}` }, () => {});
  });
} else {
  blobStoreConformance('S3 (versitygw)', async () => {
    const server = await startS3Server();
    const store = await S3BlobStore.open({ endpoint: server.endpoint, accessKey: server.accessKey, secretKey: server.secretKey, bucket: 'guardyn-media-test', partSize: PART });
    return {
      store,
      // Above the part size: the client uploads it as a multipart upload.
      multipartSize: 3 * PART + 12345,
      teardown: () => server.stop(),
    };
  });
}
