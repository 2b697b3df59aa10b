/** AuthService RPCs: SearchUsers, GetUserProfile, DeleteAccount. */
import type * as grpc from '@grpc/grpc-js';
import type { AuthServiceDeps } from './auth.ts';

export function directoryRpcs(_deps: AuthServiceDeps): grpc.UntypedServiceImplementation {
  return {};
}
