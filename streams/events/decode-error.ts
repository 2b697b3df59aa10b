/**
 * The typed error of decoding a stored commit (its envelope or its events). It sits beside the
 * event codecs, which throw it; streams/errors.ts keeps the event log's other errors.
 */

/** A stored commit could not be decoded: unknown event type or version, or a broken body. */
export class CommitDecodeError extends Error {
  override readonly name = 'CommitDecodeError';
  constructor(
    message: string,
    readonly subject?: string,
    readonly seq?: number,
  ) {
    super(message);
  }
}
