import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { Jimp } from 'jimp';
import { MAX_IMAGE_SIDE, readImageHeader, withinPixelBudget } from './image-header.ts';
import { pngDeclaring } from '../../../test/support/images.ts';

describe('readImageHeader', () => {
  test('reads the size every decodable format declares, as the decoder sees it', async () => {
    const image = new Jimp({ width: 37, height: 23, color: 0x336699ff });
    for (const [mime, format] of [
      ['image/png', 'png'],
      ['image/jpeg', 'jpeg'],
      ['image/bmp', 'bmp'],
      ['image/gif', 'gif'],
      ['image/tiff', 'tiff'],
    ] as const) {
      const bytes = await image.getBuffer(mime);
      const header = readImageHeader(bytes);
      assert.ok(isRight(header), `${format}: ${JSON.stringify(header)}`);
      assert.deepEqual(header.right, { format, width: 37, height: 23 });
      const decoded = await Jimp.read(bytes);
      assert.deepEqual([decoded.width, decoded.height], [37, 23], format);
    }
  });

  test('for images of any size in every format, the header says what the decoder finds', async () => {
    const formats = [
      ['image/png', 'png'],
      ['image/jpeg', 'jpeg'],
      ['image/bmp', 'bmp'],
      ['image/gif', 'gif'],
      ['image/tiff', 'tiff'],
    ] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(...formats),
        async (width, height, [mime, format]) => {
          const bytes = await new Jimp({ width, height, color: 0x11223344 }).getBuffer(mime);
          assert.deepEqual(readImageHeader(bytes), { _tag: 'Right', right: { format, width, height } });
        },
      ),
      { numRuns: 40 },
    );
  });

  test('a bomb header is read without decoding and is over the budget', () => {
    const bomb = pngDeclaring(20_000, 20_000);
    assert.ok(bomb.length < 2000);
    const header = readImageHeader(bomb);
    assert.ok(isRight(header));
    assert.deepEqual(header.right, { format: 'png', width: 20_000, height: 20_000 });
    assert.equal(withinPixelBudget(header.right, 40_000_000), false);
    assert.equal(withinPixelBudget({ format: 'png', width: 8000, height: 5000 }, 40_000_000), true);
  });

  test('JPEG: skips segments before the frame header; BMP: top-down rows count as height', () => {
    const app = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0x00, 0x06]), Buffer.from('Exif')]);
    const sof = Buffer.from([0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), app, Buffer.from([0xff, 0xff]), sof]);
    assert.deepEqual(readImageHeader(jpeg), { _tag: 'Right', right: { format: 'jpeg', width: 600, height: 300 } });
    const bmp = Buffer.alloc(54);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(640, 18);
    bmp.writeInt32LE(-480, 22);
    assert.deepEqual(readImageHeader(bmp), { _tag: 'Right', right: { format: 'bmp', width: 640, height: 480 } });
  });

  test('refuses what is not a readable header: other formats, cut-short headers, impossible sizes', () => {
    const cases: [Buffer, string][] = [
      [Buffer.from('just some text'), 'unknown-format'],
      [Buffer.alloc(0), 'unknown-format'],
      [pngDeclaring(10, 10).subarray(0, 20), 'truncated'],
      [pngDeclaring(0, 10), 'bad-dimensions'],
      [pngDeclaring(MAX_IMAGE_SIDE + 1, 1), 'bad-dimensions'],
      [pngDeclaring(0xffffffff, 0xffffffff), 'bad-dimensions'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), 'truncated'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x10]), 'truncated'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x00, 0x01, 0x00]), 'bad-dimensions'], // height 0 (DNL)
      [Buffer.from('GIF89a\x00', 'latin1'), 'truncated'],
      [Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f]), 'truncated'],
    ];
    for (const [bytes, kind] of cases) {
      const r = readImageHeader(bytes);
      assert.ok(isLeft(r), `${bytes.toString('hex')} was accepted`);
      assert.equal(r.left.kind, kind, bytes.toString('hex'));
      assert.ok(r.left.message.length > 0);
    }
  });

  test('random bytes, and random bytes after a real signature, never throw: a header or a refusal', () => {
    const signatures = [
      [],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52],
      [0xff, 0xd8, 0xff],
      [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
      [0x42, 0x4d],
      [0x49, 0x49, 0x2a, 0x00],
      [0x4d, 0x4d, 0x00, 0x2a],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...signatures), fc.uint8Array({ maxLength: 300 }), (sig, tail) => {
        const r = readImageHeader(Uint8Array.from([...sig, ...tail]));
        if (isRight(r)) {
          const { width, height } = r.right;
          return (
            Number.isInteger(width) &&
            Number.isInteger(height) &&
            width >= 1 &&
            height >= 1 &&
            width <= MAX_IMAGE_SIDE &&
            height <= MAX_IMAGE_SIDE
          );
        }
        return (
          ['unknown-format', 'truncated', 'bad-dimensions'].includes(r.left.kind) && typeof r.left.message === 'string'
        );
      }),
      { numRuns: 5000 },
    );
  });
});
