/**
 * The one place where failures become contract errors: the plain object that
 * goes into a response's `error` member (guardyn.common.ErrorResponse).
 *
 * - Domain errors (a business rule said no) keep their code and message.
 * - Infrastructure faults are classified: a transient one (the event log is
 *   unreachable, a command kept losing races) is SERVICE_UNAVAILABLE with
 *   "try again"; anything else is INTERNAL_ERROR with a generic message and an
 *   incident id that is also in the log line, so support can find the cause.
 *   The real error (name, message, stack) goes to the log only, never to the
 *   client, and nothing of the request is logged.
 * - Mistakes of the client (ClientMistake: a request stream that broke off, a
 *   cancelled call, a body cut short) are not faults of the server: answered
 *   with their own code, logged at warn or info without an incident id, and
 *   rate-limited per kind, so one client cannot flood the log.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DomainError } from '../../commands/handler/decider.ts';
import { AppendRejected, ConcurrencyExhausted, LogUnavailable, WrongExpectedSequence } from '../../streams/errors.ts';
import { LogRateLimiter } from '../../runtime/log-limit.ts';
import {
  _guardyn_common_ErrorResponse_ErrorCode as ErrorCodes,
  type ErrorResponse__Output,
} from '../grpc/generated/guardyn/common/ErrorResponse.ts';

/** The names of guardyn.common.ErrorResponse.ErrorCode (the loader's enums: String form). */
export type ErrorCode = ErrorResponse__Output['code'];

export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCodes);

/** guardyn.common.ErrorResponse as a plain object for the `error` member of a response (as generated, read-only). */
export type ErrorResponseShape = Readonly<ErrorResponse__Output>;

/** A response carrying only its error member: what any unary RPC may answer. */
export interface ErrorReply {
  readonly error: ErrorResponseShape;
}

export function isErrorCode(u: unknown): u is ErrorCode {
  return typeof u === 'string' && (ERROR_CODES as readonly string[]).includes(u);
}

export function errorResponse(
  code: ErrorCode,
  message: string,
  details: Readonly<Record<string, string>> = {},
): ErrorResponseShape {
  return { code, message, details };
}

/** A DomainError as a contract error; `details.field` names the request field at fault, when known. */
export function fromDomain(error: DomainError): ErrorResponseShape {
  return errorResponse(error.code, error.message, error.field === undefined ? {} : { field: error.field });
}

/**
 * A failure the client caused, not the server: its request stream broke off
 * (an undecodable frame, a reset connection), it cancelled the call, it cut
 * its body short. `kind` names the sort (the key of the log limit); the
 * message is safe to show. fromInfrastructure answers it with `code` and logs
 * it at warn (or info) through `clientMistakeLog`, without an incident id.
 */
export class ClientMistake extends Error {
  override readonly name = 'ClientMistake';
  /** warn by default; info for what clients do in the normal course (cancelling a call). */
  readonly level: 'warn' | 'info';
  constructor(
    readonly kind: string,
    message: string,
    readonly code: ErrorCode = 'INVALID_REQUEST',
    options?: { readonly cause?: unknown; readonly level?: 'warn' | 'info' },
  ) {
    super(message, options);
    this.level = options?.level ?? 'warn';
  }
}

/**
 * The log limit of client mistakes: at most this many lines per kind a
 * minute, then one "suppressed K similar" line (GUARDYN_LOG__CLIENT_MISTAKES_PER_MINUTE).
 */
export const clientMistakeLog = new LogRateLimiter({ perInterval: 20, intervalMs: 60_000 });

const TRY_AGAIN = 'the service is temporarily unavailable: try again in a moment';
const BUSY = 'too many concurrent changes to the same data: try again';
const INTERNAL = 'internal error: the request was not completed';

/**
 * An unexpected failure (a thrown error) as a contract error. Logs it with
 * `logger` (a child carrying the method and correlation id is best).
 */
export function fromInfrastructure(err: unknown, logger: Logger): ErrorResponseShape {
  if (err instanceof ClientMistake) {
    clientMistakeLog.log(logger, err.level, err.kind, { kind: err.kind, cause: describeCause(err.cause) }, err.message);
    return errorResponse(err.code, err.message);
  }
  if (err instanceof LogUnavailable) {
    logger.warn({ err }, 'event log unavailable');
    return errorResponse('SERVICE_UNAVAILABLE', TRY_AGAIN);
  }
  if (err instanceof ConcurrencyExhausted || err instanceof WrongExpectedSequence) {
    logger.warn({ err }, 'gave up on a contended aggregate');
    return errorResponse('SERVICE_UNAVAILABLE', BUSY);
  }
  const incident = randomUUID();
  if (err instanceof AppendRejected) {
    logger.error({ err, incident }, 'event log rejected a commit');
  } else if (err instanceof Error) {
    logger.error({ err, incident }, 'unexpected error');
  } else {
    // Not an Error: its content could be anything (even request data), so only its kind is logged.
    logger.error({ thrown: describeKind(err), incident }, 'unexpected non-Error value thrown');
  }
  return errorResponse('INTERNAL_ERROR', `${INTERNAL} (incident ${incident})`, { incident });
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `object ${value.constructor?.name ?? 'without prototype'}`;
  return typeof value;
}

/** What a client mistake's cause was, for the log: its name, code and the start of its message. */
function describeCause(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return cause === undefined ? undefined : describeKind(cause);
  const code = (cause as { readonly code?: unknown }).code;
  return `${cause.name}${code === undefined ? '' : ` ${String(code)}`}: ${cause.message.slice(0, 120)}`;
}
