/**
 * Typed infrastructure errors of the event log. The gateway converts each, once,
 * into the contract's error code; nothing below it speaks gRPC.
 */

/** Another commit landed on the subject first (expected-last-subject-sequence failed). */
export class WrongExpectedSequence extends Error {
  override readonly name = 'WrongExpectedSequence';
  constructor(
    readonly subject: string,
    readonly expected: number,
  ) {
    super(`subject ${subject} moved past sequence ${expected}`);
  }
}

/** The command kept conflicting after the bounded number of retries. */
export class ConcurrencyExhausted extends Error {
  override readonly name = 'ConcurrencyExhausted';
  constructor(
    readonly subject: string,
    readonly attempts: number,
  ) {
    super(`gave up on ${subject} after ${attempts} conflicting attempts`);
  }
}

/** JetStream could not be reached or did not answer in time. */
export class LogUnavailable extends Error {
  override readonly name = 'LogUnavailable';
}

/** JetStream refused the commit for a reason other than concurrency (size, config). */
export class AppendRejected extends Error {
  override readonly name = 'AppendRejected';
}

/** The streams on the server differ from the spec in a way JetStream cannot apply. */
export class StreamDrift extends Error {
  override readonly name = 'StreamDrift';
}
