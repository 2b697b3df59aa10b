/**
 * The dimensions an image declares, read from its header alone (a few dozen
 * bytes, no decoding), for every format the thumbnailer decodes: PNG (IHDR),
 * JPEG (the first SOFn frame header), GIF (logical screen), BMP (the DIB
 * header), TIFF (ImageWidth/ImageLength of the first IFD).
 *
 * An image bomb is a small file whose header declares a huge picture: the
 * decoder would allocate width × height × 4 bytes before finding out. The
 * thumbnailer checks the declared size against its pixel budget first, and
 * after decoding checks that the picture has the declared size (a header that
 * lies is refused).
 *
 * Never throws: anything that is not a well-formed header of a known format
 * is a `Left` saying why.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'tiff';

export interface ImageHeader {
  readonly format: ImageFormat;
  readonly width: number;
  readonly height: number;
}

export interface ImageHeaderRefusal {
  readonly kind: 'unknown-format' | 'truncated' | 'bad-dimensions';
  readonly message: string;
}

/** Largest side any of the decoders is asked to handle. */
export const MAX_IMAGE_SIDE = 65_535;

const refuse = (kind: ImageHeaderRefusal['kind'], message: string): Either<ImageHeaderRefusal, ImageHeader> =>
  left({ kind, message });

function sized(format: ImageFormat, width: number, height: number): Either<ImageHeaderRefusal, ImageHeader> {
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width > MAX_IMAGE_SIDE ||
    height > MAX_IMAGE_SIDE
  ) {
    return refuse(
      'bad-dimensions',
      `the ${format.toUpperCase()} header declares ${width}x${height} pixels (each side must be 1-${MAX_IMAGE_SIDE})`,
    );
  }
  return right({ format, width, height });
}

const startsWith = (b: Uint8Array, magic: readonly number[]) =>
  b.length >= magic.length && magic.every((v, i) => b[i] === v);

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function png(b: Buffer): Either<ImageHeaderRefusal, ImageHeader> {
  // signature, then the first chunk must be IHDR of 13 bytes: width, height (big-endian)
  if (b.length < 24) return refuse('truncated', 'the PNG header is cut short');
  if (b.readUInt32BE(8) !== 13 || b.toString('latin1', 12, 16) !== 'IHDR')
    return refuse('truncated', 'the PNG does not start with its IHDR header');
  return sized('png', b.readUInt32BE(16), b.readUInt32BE(20));
}

/** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function jpeg(b: Buffer): Either<ImageHeaderRefusal, ImageHeader> {
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) return refuse('truncated', 'the JPEG has a malformed segment before its frame header');
    while (i < b.length && b[i] === 0xff) i++; // fill bytes
    if (i >= b.length) break;
    const marker = b[i]!;
    i++;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda)
      return refuse('truncated', 'the JPEG has no frame header before its image data');
    if (i + 2 > b.length) break;
    const length = b.readUInt16BE(i);
    if (length < 2) return refuse('truncated', 'the JPEG has a segment of impossible length');
    if (isStartOfFrame(marker)) {
      if (length < 8 || i + 7 > b.length) break;
      // length(2) precision(1) height(2) width(2); a height of 0 (set later by a DNL marker) is refused
      return sized('jpeg', b.readUInt16BE(i + 5), b.readUInt16BE(i + 3));
    }
    i += length;
  }
  return refuse('truncated', 'the JPEG ends before its frame header');
}

function gif(b: Buffer): Either<ImageHeaderRefusal, ImageHeader> {
  if (b.length < 10) return refuse('truncated', 'the GIF header is cut short');
  return sized('gif', b.readUInt16LE(6), b.readUInt16LE(8));
}

function bmp(b: Buffer): Either<ImageHeaderRefusal, ImageHeader> {
  if (b.length < 26) return refuse('truncated', 'the BMP header is cut short');
  const dibSize = b.readUInt32LE(14);
  if (dibSize === 12) return sized('bmp', b.readUInt16LE(18), b.readUInt16LE(20)); // BITMAPCOREHEADER
  if (dibSize < 40 || dibSize > 256) return refuse('truncated', `the BMP has an unknown header of ${dibSize} bytes`);
  // BITMAPINFOHEADER and later: signed; a negative height means top-down rows
  return sized('bmp', b.readInt32LE(18), Math.abs(b.readInt32LE(22)));
}

const TIFF_WIDTH = 256;
const TIFF_LENGTH = 257;
const TIFF_SHORT = 3;
const TIFF_LONG = 4;

function tiff(b: Buffer): Either<ImageHeaderRefusal, ImageHeader> {
  if (b.length < 8) return refuse('truncated', 'the TIFF header is cut short');
  const le = b[0] === 0x49;
  const u16 = (at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > b.length) return refuse('truncated', 'the TIFF directory lies outside the file');
  const entries = u16(ifd);
  if (ifd + 2 + entries * 12 > b.length) return refuse('truncated', 'the TIFF directory is cut short');
  let width: number | undefined;
  let height: number | undefined;
  for (let e = 0; e < entries; e++) {
    const at = ifd + 2 + e * 12;
    const tag = u16(at);
    if (tag !== TIFF_WIDTH && tag !== TIFF_LENGTH) continue;
    const type = u16(at + 2);
    if (u32(at + 4) !== 1 || (type !== TIFF_SHORT && type !== TIFF_LONG))
      return refuse('truncated', 'the TIFF declares its size in an unknown form');
    const value = type === TIFF_SHORT ? u16(at + 8) : u32(at + 8);
    if (tag === TIFF_WIDTH) width = value;
    else height = value;
  }
  if (width === undefined || height === undefined)
    return refuse('truncated', 'the TIFF does not declare its width and height');
  return sized('tiff', width, height);
}

/** The format and declared size of `bytes` (the file's start suffices: 64 KiB covers any JPEG's frame header in practice). */
export function readImageHeader(bytes: Uint8Array): Either<ImageHeaderRefusal, ImageHeader> {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(b, PNG_MAGIC)) return png(b);
  if (startsWith(b, [0xff, 0xd8, 0xff])) return jpeg(b);
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38]) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) return gif(b); // GIF87a / GIF89a
  if (startsWith(b, [0x42, 0x4d])) return bmp(b);
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return tiff(b);
  return refuse('unknown-format', 'the media is not an image the server can decode (JPEG, PNG, BMP, GIF, TIFF)');
}

/** The thumbnailer's pixel budget: width × height at most `maxPixels`. */
export function withinPixelBudget(header: ImageHeader, maxPixels: number): boolean {
  return header.width * header.height <= maxPixels;
}
