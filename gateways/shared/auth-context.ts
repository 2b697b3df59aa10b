/**
 * Who is calling: the access token of a gRPC call, from the request's
 * `access_token` field and/or the `authorization: Bearer <jwt>` metadata.
 * When both are given, both must verify and name the same session.
 *
 * Failures are UNAUTHORIZED contract errors whose details say where the bad
 * token came from ({ field: 'access_token' } or { metadata: 'authorization' }).
 *
 * After the signature, every call asks the SessionCheck whether the token's
 * session is still active: a logged-out, revoked or deleted session answers
 * UNAUTHORIZED "session ended". The check is one cached lookup (see
 * projections/sessions/session-check.ts), so revocation takes effect within
 * about a second of the sessions view applying it.
 */
import type * as grpc from '@grpc/grpc-js';
import { isLeft, left, right, type Either } from 'fp-ts/lib/Either.js';
import type { AccessClaims, TokenService } from '../auth/tokens.ts';
import { errorResponse, type ErrorResponseShape } from './errors.ts';

/** What authenticate needs of a call: its metadata (every grpc-js server call has it). */
export interface CallWithMetadata {
  readonly metadata: grpc.Metadata;
}

/** A call whose request carries an `access_token` field (most RPCs: the generated request types say which). */
export interface CallWithAccessToken extends CallWithMetadata {
  readonly request: { readonly access_token: string };
}

export type AccessTokenVerifier = Pick<TokenService, 'verifyAccessToken'>;

/** Whether a session may still be used (not logged out, revoked or deleted). */
export interface SessionCheck {
  isActive(sessionId: string, userId: string): Promise<boolean>;
  /** Optional: this process just ended the session; refuse it at once. */
  ended?(sessionId: string, userId: string): void;
}

export const SESSION_ENDED = 'session ended';

type TokenSource = { readonly field: 'access_token' } | { readonly metadata: 'authorization' };
const FROM_FIELD: TokenSource = { field: 'access_token' };
const FROM_METADATA: TokenSource = { metadata: 'authorization' };
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

const unauthorized = (message: string, source?: TokenSource): ErrorResponseShape =>
  errorResponse('UNAUTHORIZED', message, source ?? {});

export async function authenticate(
  call: CallWithMetadata,
  fieldToken: string | undefined,
  tokens: AccessTokenVerifier,
  sessions: SessionCheck,
): Promise<Either<ErrorResponseShape, AccessClaims>> {
  const who = await verifyCaller(call, fieldToken, tokens);
  if (isLeft(who)) return who;
  if (!(await sessions.isActive(who.right.sessionId, who.right.userId))) return left(unauthorized(SESSION_ENDED));
  return who;
}

async function verifyCaller(
  call: CallWithMetadata,
  fieldToken: string | undefined,
  tokens: AccessTokenVerifier,
): Promise<Either<ErrorResponseShape, AccessClaims>> {
  const header = bearerToken(call.metadata);
  if (isLeft(header)) return header;
  const fromField = fieldToken === undefined || fieldToken === '' ? undefined : fieldToken;
  const fromHeader = header.right;

  if (fromField === undefined) {
    return fromHeader === undefined
      ? left(unauthorized('missing access token'))
      : verify(fromHeader, FROM_METADATA, tokens);
  }
  if (fromHeader === undefined || fromHeader === fromField) return verify(fromField, FROM_FIELD, tokens);
  const [byField, byHeader] = await Promise.all([
    verify(fromField, FROM_FIELD, tokens),
    verify(fromHeader, FROM_METADATA, tokens),
  ]);
  if (isLeft(byField)) return byField;
  if (isLeft(byHeader)) return byHeader;
  if (byField.right.sessionId !== byHeader.right.sessionId) {
    return left(
      unauthorized('the access_token field and the authorization metadata name different sessions: send one token'),
    );
  }
  return byField;
}

/** The token of `authorization: Bearer <token>`, undefined when the metadata is absent. */
function bearerToken(metadata: grpc.Metadata): Either<ErrorResponseShape, string | undefined> {
  const values = metadata.get('authorization');
  if (values.length === 0) return right(undefined);
  if (values.length > 1) return left(unauthorized('send one authorization metadata entry, not several', FROM_METADATA));
  const value = values[0];
  const match = BEARER.exec(typeof value === 'string' ? value : (value?.toString('utf8') ?? ''));
  if (match?.[1] === undefined)
    return left(unauthorized("authorization metadata must be 'Bearer <access token>'", FROM_METADATA));
  return right(match[1]);
}

async function verify(
  token: string,
  source: TokenSource,
  tokens: AccessTokenVerifier,
): Promise<Either<ErrorResponseShape, AccessClaims>> {
  const result = await tokens.verifyAccessToken(token);
  if (!isLeft(result)) return result;
  return left(
    result.left.reason === 'expired'
      ? unauthorized('access token expired: refresh it', source)
      : unauthorized('invalid access token', source),
  );
}
