import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  Base64Decoder,
  encodeFrame,
  encodeMessage,
  encodeTrailers,
  FLAG_TRAILERS,
  FrameDecoder,
  FrameError,
  parseGrpcTimeout,
  parseTrailers,
  percentDecode,
  percentEncode,
} from './frames.ts';

describe('gRPC-Web frames', () => {
  test('a message frame is flag 0, a big-endian length and the bytes', () => {
    const frame = encodeMessage(Buffer.from([1, 2, 3]));
    assert.deepEqual([...frame], [0, 0, 0, 0, 3, 1, 2, 3]);
    assert.deepEqual([...encodeMessage(new Uint8Array(0))], [0, 0, 0, 0, 0]);
    const big = encodeMessage(Buffer.alloc(0x01020304));
    assert.deepEqual([...big.subarray(0, 5)], [0, 1, 2, 3, 4]);
  });

  test('frames split at every possible byte come out whole and in order', () => {
    const a = randomBytes(300);
    const b = Buffer.alloc(0);
    const c = randomBytes(17);
    const body = Buffer.concat([encodeMessage(a), encodeMessage(b), encodeMessage(c), encodeTrailers(0, '')]);
    for (let cut = 0; cut <= body.length; cut++) {
      const decoder = new FrameDecoder(1024);
      const frames = [...decoder.push(body.subarray(0, cut)), ...decoder.push(body.subarray(cut))];
      decoder.end();
      assert.equal(frames.length, 4, `cut at ${cut}`);
      assert.deepEqual(
        frames.map((f) => f.trailers),
        [false, false, false, true],
      );
      assert.ok(frames[0]!.payload.equals(a) && frames[1]!.payload.equals(b) && frames[2]!.payload.equals(c));
    }
  });

  test('byte-by-byte delivery gives the same frames', () => {
    const payloads = [randomBytes(5), randomBytes(0), randomBytes(64)];
    const body = Buffer.concat(payloads.map(encodeMessage));
    const decoder = new FrameDecoder(100);
    const frames = [];
    for (const byte of body) frames.push(...decoder.push(Buffer.from([byte])));
    decoder.end();
    assert.deepEqual(
      frames.map((f) => f.payload.toString('hex')),
      payloads.map((p) => p.toString('hex')),
    );
  });

  test('a frame above the limit fails at its header, before its bytes arrive', () => {
    const decoder = new FrameDecoder(10);
    assert.deepEqual(decoder.push(encodeMessage(Buffer.alloc(10))).length, 1);
    assert.throws(
      () => decoder.push(Buffer.from([0, 0, 0, 0, 11])),
      (e: unknown) => e instanceof FrameError && /11 bytes is larger than the limit of 10/.test(e.message),
    );
    // 4 GiB - 1 declared: refused the same way, nothing allocated.
    assert.throws(() => new FrameDecoder(10).push(Buffer.from([0, 0xff, 0xff, 0xff, 0xff])), FrameError);
  });

  test('a body that ends inside a header or a payload is refused', () => {
    for (const partial of [Buffer.from([0, 0]), Buffer.from([0, 0, 0, 0, 4, 1, 2])]) {
      const decoder = new FrameDecoder(100);
      assert.deepEqual(decoder.push(partial), []);
      assert.throws(() => decoder.end(), /ends inside a frame/);
    }
    new FrameDecoder(100).end();
  });

  test('compressed and unknown flags are refused', () => {
    assert.throws(() => new FrameDecoder(100).push(encodeFrame(0x01, Buffer.from([1]))), /compressed/);
    assert.throws(() => new FrameDecoder(100).push(encodeFrame(0x81, Buffer.from([1]))), /compressed/);
    assert.throws(() => new FrameDecoder(100).push(encodeFrame(0x40, Buffer.from([1]))), /unknown frame flag 0x40/);
  });

  test('trailers: status, percent-encoded message, extra entries, in header-line form', () => {
    const frame = encodeTrailers(16, 'bad token: ünïcode 100%\r\nx', {
      'Retry-After': '3',
      'bad name!': 'dropped',
      'grpc-status': '0',
    });
    assert.equal(frame[0], FLAG_TRAILERS);
    const text = frame.subarray(5).toString('latin1');
    assert.match(
      text,
      /^grpc-status: 16\r\ngrpc-message: bad token: %C3%BCn%C3%AFcode 100%25%0D%0Ax\r\nretry-after: 3\r\n$/,
    );
    const parsed = parseTrailers(frame.subarray(5));
    assert.equal(parsed['grpc-status'], '16');
    assert.equal(percentDecode(parsed['grpc-message']!), 'bad token: ünïcode 100%\r\nx');
    assert.deepEqual(Object.keys(parsed), ['grpc-status', 'grpc-message', 'retry-after']);
    assert.equal(encodeTrailers(0, '').subarray(5).toString(), 'grpc-status: 0\r\n');
    assert.throws(() => parseTrailers(Buffer.from('no colon here\r\n')), FrameError);
  });

  test('percent encoding keeps printable ASCII and round-trips everything else', () => {
    assert.equal(percentEncode('plain text, ok.'), 'plain text, ok.');
    for (const s of ['%', '日本', '\u0000\u007f', 'a%zz']) assert.equal(percentDecode(percentEncode(s)), s);
    assert.equal(percentDecode('%E0%A4%A'), '%E0%A4%A'); // broken escapes stay as they came
  });

  test('base64 text: pieces padded one after another, split anywhere', () => {
    const frames = [encodeMessage(Buffer.from('a')), encodeMessage(Buffer.from('bc')), encodeTrailers(0, '')];
    const text = frames.map((f) => f.toString('base64')).join('');
    assert.ok(text.includes('=') && text.indexOf('=') < text.length - 3, 'padding inside the body');
    for (let cut = 0; cut <= text.length; cut++) {
      const b64 = new Base64Decoder();
      const bytes = Buffer.concat([b64.push(text.slice(0, cut)), b64.push(text.slice(cut))]);
      b64.end();
      assert.ok(bytes.equals(Buffer.concat(frames)), `cut at ${cut}`);
    }
    const b64 = new Base64Decoder();
    assert.ok(b64.push(' AAEC\r\nAw== ').equals(Buffer.from([0, 1, 2, 3])));
  });

  test('base64 text: bad characters, padding inside a group and a ragged end are refused', () => {
    assert.throws(() => new Base64Decoder().push('AA*A'), /not base64/);
    assert.throws(() => new Base64Decoder().push('A=AA'), /padding inside a group/);
    assert.throws(() => new Base64Decoder().push('A==='), /padding inside a group/);
    const d = new Base64Decoder();
    d.push('AAA');
    assert.throws(() => d.end(), /multiple of 4/);
  });

  test('grpc-timeout in every unit; malformed values are errors', () => {
    assert.equal(parseGrpcTimeout(undefined), undefined);
    assert.equal(parseGrpcTimeout('2H'), 7_200_000);
    assert.equal(parseGrpcTimeout('3M'), 180_000);
    assert.equal(parseGrpcTimeout('10S'), 10_000);
    assert.equal(parseGrpcTimeout('250m'), 250);
    assert.equal(parseGrpcTimeout('5000u'), 5);
    assert.equal(parseGrpcTimeout('1000000n'), 1);
    for (const bad of ['10', 'S', '123456789S', '-1S', '1.5S', '10s', '10 S x'])
      assert.ok(parseGrpcTimeout(bad) instanceof FrameError, bad);
  });
});
