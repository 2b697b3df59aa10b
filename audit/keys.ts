/**
 * The audit key: Ed25519. The private key signs checkpoints (the process that
 * writes them); the public key is all `guardyn audit verify` needs.
 *
 * - GUARDYN_AUDIT__SIGNING_KEY: a PKCS#8 PEM Ed25519 private key.
 * - GUARDYN_AUDIT__PUBLIC_KEY: an SPKI PEM Ed25519 public key (for verifiers
 *   that do not hold the private key).
 * - Neither: the embedded default, `<dataDir>/keys/audit-ed25519.pem`,
 *   generated on first use (mode 600).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ConfigError } from '../runtime/config.ts';

export const AUDIT_KEY_FILE = path.join('keys', 'audit-ed25519.pem');

export interface AuditKeyConfig {
  readonly dataDir: string;
  readonly audit: { readonly signingKeyPem: string | undefined; readonly publicKeyPem: string | undefined };
}

/** The key id a checkpoint names: the first 16 hex of the SHA-256 of the public key (SPKI DER). */
export function keyIdOf(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

function ed25519Private(pem: string, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ConfigError(`${source} is not a PEM private key`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new ConfigError(
      `${source} is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; the audit key must be Ed25519`,
    );
  return key;
}

/** The signing key: configured, else the embedded default (generated when absent). */
export async function loadSigningKey(config: AuditKeyConfig): Promise<KeyObject> {
  if (config.audit.signingKeyPem !== undefined)
    return ed25519Private(config.audit.signingKeyPem, 'GUARDYN_AUDIT__SIGNING_KEY');
  const file = path.join(config.dataDir, AUDIT_KEY_FILE);
  try {
    return ed25519Private(await fs.readFile(file, 'utf8'), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    await fs.writeFile(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process generated it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return ed25519Private(await fs.readFile(file, 'utf8'), file);
    throw err;
  }
  return privateKey;
}

/**
 * The public key that verifies checkpoints: GUARDYN_AUDIT__PUBLIC_KEY, else the
 * configured signing key's, else the embedded default's (undefined when there is none).
 */
export async function loadVerifyKey(config: AuditKeyConfig): Promise<KeyObject | undefined> {
  if (config.audit.publicKeyPem !== undefined) {
    let key: KeyObject;
    try {
      key = createPublicKey(config.audit.publicKeyPem);
    } catch {
      throw new ConfigError('GUARDYN_AUDIT__PUBLIC_KEY is not a PEM public key');
    }
    if (key.asymmetricKeyType !== 'ed25519')
      throw new ConfigError('GUARDYN_AUDIT__PUBLIC_KEY must be an Ed25519 public key');
    return key;
  }
  if (config.audit.signingKeyPem !== undefined)
    return createPublicKey(ed25519Private(config.audit.signingKeyPem, 'GUARDYN_AUDIT__SIGNING_KEY'));
  const file = path.join(config.dataDir, AUDIT_KEY_FILE);
  try {
    return createPublicKey(ed25519Private(await fs.readFile(file, 'utf8'), file));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
