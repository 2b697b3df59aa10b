import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { AUDIT_KEY_FILE, keyIdOf, loadSigningKey, loadVerifyKey } from './keys.ts';
import { loadConfig } from '../runtime/config.ts';

const config = (dataDir: string, extra: Record<string, string> = {}) =>
  loadConfig({ GUARDYN_DATA_DIR: dataDir, ...extra });

describe('audit key', () => {
  it('is generated once into the data dir (mode 600) and its public half verifies', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-auditkey-'));
    try {
      assert.equal(await loadVerifyKey(config(dir)), undefined);
      const a = await loadSigningKey(config(dir));
      const b = await loadSigningKey(config(dir));
      assert.equal(a.asymmetricKeyType, 'ed25519');
      assert.equal(a.export({ type: 'pkcs8', format: 'pem' }), b.export({ type: 'pkcs8', format: 'pem' }));
      assert.equal(fs.statSync(path.join(dir, AUDIT_KEY_FILE)).mode & 0o777, 0o600);
      const pub = await loadVerifyKey(config(dir));
      assert.equal(keyIdOf(pub!), keyIdOf(a));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('comes from GUARDYN_AUDIT__* when set, and refuses what is not Ed25519', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pubPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const dir = '/nonexistent-guardyn-dir';
    assert.equal(keyIdOf(await loadSigningKey(config(dir, { GUARDYN_AUDIT__SIGNING_KEY: pem }))), keyIdOf(publicKey));
    assert.equal(
      keyIdOf((await loadVerifyKey(config(dir, { GUARDYN_AUDIT__PUBLIC_KEY: pubPem })))!),
      keyIdOf(publicKey),
    );
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await assert.rejects(
      loadSigningKey(config(dir, { GUARDYN_AUDIT__SIGNING_KEY: ec })),
      /GUARDYN_AUDIT__SIGNING_KEY is a ec key; the audit key must be Ed25519/,
    );
    await assert.rejects(
      loadSigningKey(config(dir, { GUARDYN_AUDIT__SIGNING_KEY: 'not a pem' })),
      /GUARDYN_AUDIT__SIGNING_KEY is not a PEM private key/,
    );
    await assert.rejects(
      loadVerifyKey(config(dir, { GUARDYN_AUDIT__PUBLIC_KEY: 'nope' })),
      /GUARDYN_AUDIT__PUBLIC_KEY is not a PEM public key/,
    );
    assert.throws(
      () => config(dir, { GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS: 'often' }),
      /GUARDYN_AUDIT__CHECKPOINT_INTERVAL_SECONDS="often" must be a whole number/,
    );
  });
});
