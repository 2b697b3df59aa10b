import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAuditThreads } from './worker-threads.ts';

describe("the audit tools' default worker threads", () => {
  it('one per core beside the reading thread, 1 to 4', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 8, 64].map((cores) => defaultAuditThreads(cores)),
      [1, 1, 2, 3, 4, 4, 4, 4],
    );
  });
});
