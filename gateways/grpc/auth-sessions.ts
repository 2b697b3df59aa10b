/** AuthService RPCs: Logout, RefreshToken, ValidateToken, ListDevices, RevokeDevice. */
import type * as grpc from '@grpc/grpc-js';
import type { AuthServiceDeps } from './auth.ts';

export function sessionRpcs(_deps: AuthServiceDeps): grpc.UntypedServiceImplementation {
  return {};
}
