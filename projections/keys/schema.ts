/**
 * The keys view: per device, the published bundle, the unused one-time
 * pre-keys and the unused MLS key packages, for reads and inspection. Handing
 * keys out is decided on the device-keys aggregate, never on this view.
 *
 * Keys (one device's rows share a prefix, so withdrawing it is one range):
 *   keys/<userId>/<deviceId>/bundle
 *   keys/<userId>/<deviceId>/otk/<keyId>
 *   keys/<userId>/<deviceId>/mls/<packageId>
 */
import * as t from 'io-ts';
import { Base64Bytes } from '../../streams/events/codecs.ts';
import { childPrefix, key } from '../../stores/kv/keys.ts';
import { recordCodec } from '../runtime/view-codec.ts';

export const BundleRecord = t.type({
  userId: t.string,
  deviceId: t.string,
  identityKey: Base64Bytes,
  signedPreKey: Base64Bytes,
  signedPreKeySignature: Base64Bytes,
  publishedAt: t.number,
  signedPreKeyAt: t.number,
});
export type BundleRecord = t.TypeOf<typeof BundleRecord>;

export const OneTimePreKeyRecord = t.type({ keyId: t.number, key: Base64Bytes, addedAt: t.number });
export type OneTimePreKeyRecord = t.TypeOf<typeof OneTimePreKeyRecord>;

export const MlsKeyPackageRecord = t.type({
  packageId: t.string,
  keyPackage: Base64Bytes,
  uploadedAt: t.number,
  seq: t.number,
});
export type MlsKeyPackageRecord = t.TypeOf<typeof MlsKeyPackageRecord>;

export const bundleRecord = recordCodec('key bundle', BundleRecord);
export const oneTimePreKeyRecord = recordCodec('one-time pre-key', OneTimePreKeyRecord);
export const mlsKeyPackageRecord = recordCodec('MLS key package', MlsKeyPackageRecord);

export const keysKeys = {
  prefix: childPrefix('keys'),
  ofUser: (userId: string) => childPrefix('keys', userId),
  ofDevice: (userId: string, deviceId: string) => childPrefix('keys', userId, deviceId),
  bundle: (userId: string, deviceId: string) => key('keys', userId, deviceId, 'bundle'),
  oneTimePreKeys: (userId: string, deviceId: string) => childPrefix('keys', userId, deviceId, 'otk'),
  oneTimePreKey: (userId: string, deviceId: string, keyId: number) => key('keys', userId, deviceId, 'otk', keyId),
  mlsKeyPackages: (userId: string, deviceId: string) => childPrefix('keys', userId, deviceId, 'mls'),
  mlsKeyPackage: (userId: string, deviceId: string, packageId: string) =>
    key('keys', userId, deviceId, 'mls', packageId),
};

/** The subjects of the device aggregates (keys, push tokens) on ACCOUNTS. */
export const DEVICE_SUBJECTS = 'accounts.device.';

/** `accounts.device.<userId>.<deviceId>` → its two ids. */
export function deviceOfSubject(subject: string): { userId: string; deviceId: string } {
  const parts = subject.split('.');
  const [stream, kind, userId, deviceId] = parts;
  if (parts.length !== 4 || stream !== 'accounts' || kind !== 'device' || !userId || !deviceId)
    throw new Error(`${subject} is not a device subject`);
  return { userId, deviceId };
}
