// One-shot service of ops/compose.yaml: creates the JWT key set and the audit key
// pair in the volume mounted at /keys, once (existing keys are kept).
import { generateKeyPairSync } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';

const jwtDir = '/keys/jwt';
const auditDir = '/keys/audit';
mkdirSync(jwtDir, { recursive: true, mode: 0o700 });
mkdirSync(auditDir, { recursive: true, mode: 0o700 });
const pem = () =>
  generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
if (!readdirSync(jwtDir).some((f) => f.endsWith('.pem'))) {
  const kid = `k${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`;
  writeFileSync(`${jwtDir}/${kid}.pem`, pem().privateKey, { mode: 0o600 });
  console.log(`JWT key ${kid} created`);
}
if (!existsSync(`${auditDir}/signing-key.pem`)) {
  const { privateKey, publicKey } = pem();
  writeFileSync(`${auditDir}/signing-key.pem`, privateKey, { mode: 0o600 });
  writeFileSync(`${auditDir}/public-key.pem`, publicKey, { mode: 0o644 });
  console.log('audit key pair created');
}
// The roles run as 10001 (ops/Dockerfile); the volume is created by root.
const UID = 10001;
for (const dir of [jwtDir, auditDir]) {
  chownSync(dir, UID, UID);
  for (const f of readdirSync(dir)) chownSync(`${dir}/${f}`, UID, UID);
}
chownSync('/keys', UID, UID);
