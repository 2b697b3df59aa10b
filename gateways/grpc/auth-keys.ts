/** AuthService RPCs: GetKeyBundle, UploadPreKeys, UploadMlsKeyPackage, GetMlsKeyPackage, RotateSignedPreKey. */
import type * as grpc from '@grpc/grpc-js';
import type { AuthServiceDeps } from './auth.ts';

export function keyRpcs(_deps: AuthServiceDeps): grpc.UntypedServiceImplementation {
  return {};
}
