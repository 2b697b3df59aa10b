/**
 * View records are JSON validated with io-ts when read back: a row that does
 * not match its schema is reported, never trusted.
 */
import * as t from 'io-ts';
import { isLeft } from 'fp-ts/lib/Either.js';

export class ViewRecordError extends Error {
  override readonly name = 'ViewRecordError';
}

export interface RecordCodec<A> {
  encode(value: A): Uint8Array;
  decode(bytes: Uint8Array): A;
}

export function recordCodec<A, O>(name: string, type: t.Type<A, O, unknown>): RecordCodec<A> {
  return {
    encode: (value) => Buffer.from(JSON.stringify(type.encode(value))),
    decode: (bytes) => {
      const decoded = type.decode(
        JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')),
      );
      if (isLeft(decoded)) throw new ViewRecordError(`a ${name} record does not match its schema`);
      return decoded.right;
    },
  };
}
