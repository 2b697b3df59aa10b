import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFence, decodeRedo, encodeFence, encodeRedo, epochOf } from './kv-redo.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));

describe('fenced commits on TiKV: the redo record (docs/adr/0340)', () => {
  it('writes a batch as redo chunks and reads back every put and delete in order', () => {
    const writes = [
      { key: bytes('a'), value: bytes('1') },
      { key: bytes('b'), value: null },
      { key: bytes('c'), value: new Uint8Array(0) },
      { key: bytes('checkpoint'), value: bytes('42') },
    ];
    const chunks = encodeRedo(writes);
    assert.equal(chunks.length, 1);
    assert.deepEqual(
      chunks
        .flatMap(decodeRedo)
        .map((w) => [Buffer.from(w.key).toString(), w.value && Buffer.from(w.value).toString()]),
      [
        ['a', '1'],
        ['b', null],
        ['c', ''],
        ['checkpoint', '42'],
      ],
    );
  });

  it('splits a large batch into chunks of at most the chunk size (one larger write alone)', () => {
    const writes = Array.from({ length: 10 }, (_, i) => ({
      key: bytes(`k${i}`),
      value: new Uint8Array(i === 4 ? 300 : 40),
    }));
    const chunks = encodeRedo(writes, 100);
    assert.ok(chunks.length > 3);
    for (const c of chunks) assert.ok(c.length <= 100 || decodeRedo(c).length === 1);
    assert.deepEqual(
      chunks.flatMap(decodeRedo).map((w) => Buffer.from(w.key).toString()),
      writes.map((w) => Buffer.from(w.key).toString()),
    );
  });

  it('refuses a cut chunk', () => {
    const [chunk] = encodeRedo([{ key: bytes('a'), value: bytes('12345') }]);
    assert.throws(() => decodeRedo(chunk!.subarray(0, chunk!.length - 2)), /ends inside an entry/);
  });

  it('keeps the owner epoch and the redo pointer in the fence record; a plain epoch is the old form', () => {
    const record = { epoch: 7, redo: { writer: 6, seq: 1234, chunks: 2 } };
    assert.deepEqual(decodeFence('v', encodeFence(record)), record);
    assert.deepEqual(decodeFence('v', bytes('12')), { epoch: 12 });
    assert.equal(epochOf('v', undefined), 0);
    assert.equal(epochOf('v', encodeFence(record)), 7);
  });

  it('refuses a fence record it did not write, naming the view', () => {
    for (const bad of ['', 'x', '1:2', '1:2:3', '-1', '01', '1:2:3:4:5', '99999999999999999'])
      assert.throws(() => decodeFence('conversations', bytes(bad)), /fence record of view conversations/);
  });
});
