import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultAuditThreads } from './worker-threads.ts';

describe("the audit tools' default worker threads", () => {
  it('one per core beyond two, at most 4: none on one or two cores', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 8, 64].map((cores) => defaultAuditThreads(cores)),
      [0, 0, 1, 2, 3, 4, 4, 4],
    );
  });
});
