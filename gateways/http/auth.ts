/**
 * Authentication of an HTTP request: `Authorization: Bearer <access token>`,
 * checked exactly as the gRPC gateways check a call (gateways/shared/auth-context.ts:
 * signature, claims, then the session check), so a logged-out or revoked
 * session is refused here as there.
 */
import * as grpc from '@grpc/grpc-js';
import type { IncomingMessage } from 'node:http';
import type { Either } from 'fp-ts/lib/Either.js';
import type { AccessClaims } from '../auth/tokens.ts';
import { authenticate, type AccessTokenVerifier, type SessionCheck } from '../shared/auth-context.ts';
import type { ErrorResponseShape } from '../shared/errors.ts';

export function authenticateRequest(
  req: IncomingMessage,
  tokens: AccessTokenVerifier,
  sessions: SessionCheck,
): Promise<Either<ErrorResponseShape, AccessClaims>> {
  const metadata = new grpc.Metadata();
  const header = req.headers.authorization;
  if (header !== undefined) metadata.set('authorization', header);
  return authenticate({ metadata }, undefined, tokens, sessions);
}
