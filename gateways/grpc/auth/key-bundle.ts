/** Validation of guardyn.common.KeyBundle: public keys only, bounded in count and size. */
import * as t from 'io-ts';
import type { KeyBundleData } from '../../../streams/events/accounts.ts';
import { BoundedArray, BoundedBytes, Nullable } from '../../shared/validation.ts';

/** Public keys and signatures are tens of bytes; 1 KiB leaves room for post-quantum hybrids. */
export const MAX_KEY_BYTES = 1024;
export const MAX_ONE_TIME_PRE_KEYS = 200;

export const KeyBundleRequest = Nullable(
  t.type({
    identity_key: BoundedBytes(MAX_KEY_BYTES, { min: 1 }),
    signed_pre_key: BoundedBytes(MAX_KEY_BYTES, { min: 1 }),
    signed_pre_key_signature: BoundedBytes(MAX_KEY_BYTES, { min: 1 }),
    one_time_pre_keys: BoundedArray(BoundedBytes(MAX_KEY_BYTES, { min: 1 }), MAX_ONE_TIME_PRE_KEYS),
  }),
);

export function toKeyBundleData(bundle: t.TypeOf<typeof KeyBundleRequest>): KeyBundleData | null {
  if (bundle === null) return null;
  return {
    identityKey: bundle.identity_key,
    signedPreKey: bundle.signed_pre_key,
    signedPreKeySignature: bundle.signed_pre_key_signature,
    oneTimePreKeys: bundle.one_time_pre_keys,
  };
}
