import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { DEFAULT_DENIED_PEER_IPS, turnUris } from './config-turn.ts';
import { coturnConfig } from '../ops/turn/coturn.ts';
import { loadTurnSecret } from './turn-secret.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardyn-turn-config-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const pem = (name: string, kind: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `-----BEGIN ${kind}-----\nAAAA\n-----END ${kind}-----\n`);
  return file;
};
const cert = pem('cert.pem', 'CERTIFICATE');
const key = pem('key.pem', 'PRIVATE KEY');
const notPem = path.join(dir, 'plain.txt');
fs.writeFileSync(notPem, 'hello');

test('GUARDYN_TURN__*: loopback, no TLS, private peers denied and loopback peers refused by default', () => {
  const turn = loadConfig({}).turn;
  assert.equal(turn.mode, 'auto');
  assert.equal(turn.listenIp, '127.0.0.1');
  assert.equal(turn.port, 3478);
  assert.equal(turn.tlsPort, 5349);
  assert.equal(turn.tls, undefined);
  assert.deepEqual(turn.relayPorts, { min: 49152, max: 65535 });
  assert.equal(turn.allowLoopbackPeers, false);
  assert.deepEqual(turn.deniedPeerIps, DEFAULT_DENIED_PEER_IPS);
  assert.deepEqual(turnUris(turn), ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp']);

  const conf = coturnConfig(turn, 'x'.repeat(20), '/data/run/coturn');
  assert.match(conf, /^no-tls$/m);
  assert.match(conf, /^no-dtls$/m);
  assert.match(conf, /^listening-ip=127\.0\.0\.1$/m);
  assert.match(conf, /^relay-ip=127\.0\.0\.1$/m);
  assert.match(conf, /^use-auth-secret$/m);
  assert.doesNotMatch(conf, /allow-loopback-peers|^cert=|external-ip/m);
  for (const range of [
    '10.0.0.0-10.255.255.255',
    '172.16.0.0-172.31.255.255',
    '192.168.0.0-192.168.255.255',
    '169.254.0.0-169.254.255.255',
    '100.64.0.0-100.127.255.255',
    'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  ]) {
    assert.match(conf, new RegExp(`^denied-peer-ip=${range.replace(/\./g, '\\.')}$`, 'm'), range);
  }
});

test('GUARDYN_TURN__*: production behind NAT with TLS on 5349', () => {
  const turn = loadConfig({
    GUARDYN_TURN__ENABLED: '1',
    GUARDYN_TURN__LISTEN_IP: '0.0.0.0',
    GUARDYN_TURN__EXTERNAL_IP: '203.0.113.7/10.0.0.5',
    GUARDYN_TURN__TLS_CERT_FILE: cert,
    GUARDYN_TURN__TLS_KEY_FILE: key,
    GUARDYN_TURN__MIN_PORT: '50000',
    GUARDYN_TURN__MAX_PORT: '50999',
    GUARDYN_TURN__REALM: 'turn.example.org',
    GUARDYN_TURN__ALLOWED_PEER_IPS: '10.0.0.5',
  }).turn;
  assert.equal(turn.mode, 'on');
  assert.deepEqual(turn.tls, { certFile: cert, keyFile: key });
  assert.deepEqual(turnUris(turn), [
    'turn:203.0.113.7:3478?transport=udp',
    'turn:203.0.113.7:3478?transport=tcp',
    'turns:203.0.113.7:5349?transport=tcp',
  ]);
  const conf = coturnConfig(turn, 'x'.repeat(20), '/run');
  for (const line of [
    'listening-ip=0.0.0.0',
    'external-ip=203.0.113.7/10.0.0.5',
    'tls-listening-port=5349',
    `cert=${cert}`,
    `pkey=${key}`,
    'min-port=50000',
    'max-port=50999',
    'realm=turn.example.org',
    'allowed-peer-ip=10.0.0.5',
    'no-tlsv1',
  ]) {
    assert.ok(conf.split('\n').includes(line), line);
  }
  assert.doesNotMatch(conf, /^no-tls$|^relay-ip=|allow-loopback-peers/m);
  assert.deepEqual(loadConfig({ GUARDYN_TURN__DENIED_PEER_IPS: 'none' }).turn.deniedPeerIps, []);
  assert.match(
    coturnConfig(loadConfig({ GUARDYN_TURN__ALLOW_LOOPBACK_PEERS: '1' }).turn, 'x'.repeat(20), '/run'),
    /^allow-loopback-peers$/m,
  );
});

test('GUARDYN_TURN__*: a bad value stops the start naming the variable', () => {
  for (const [env, name] of [
    [{ GUARDYN_TURN__ENABLED: 'sometimes' }, 'GUARDYN_TURN__ENABLED'],
    [{ GUARDYN_TURN__REALM: 'a realm' }, 'GUARDYN_TURN__REALM'],
    [{ GUARDYN_TURN__LISTEN_IP: 'localhost' }, 'GUARDYN_TURN__LISTEN_IP'],
    [{ GUARDYN_TURN__RELAY_IP: '10.0.0.300' }, 'GUARDYN_TURN__RELAY_IP'],
    [{ GUARDYN_TURN__EXTERNAL_IP: 'turn.example.org' }, 'GUARDYN_TURN__EXTERNAL_IP'],
    [{ GUARDYN_TURN__EXTERNAL_IP: '1.2.3.4/5.6.7.8/9.9.9.9' }, 'GUARDYN_TURN__EXTERNAL_IP'],
    [{ GUARDYN_TURN__PORT: '70000' }, 'GUARDYN_TURN__PORT'],
    [{ GUARDYN_TURN__TLS_PORT: '3478' }, 'GUARDYN_TURN__TLS_PORT'],
    [{ GUARDYN_TURN__TLS_CERT_FILE: cert }, 'GUARDYN_TURN__TLS_KEY_FILE'],
    [{ GUARDYN_TURN__TLS_KEY_FILE: key }, 'GUARDYN_TURN__TLS_CERT_FILE'],
    [
      { GUARDYN_TURN__TLS_CERT_FILE: path.join(dir, 'missing.pem'), GUARDYN_TURN__TLS_KEY_FILE: key },
      'GUARDYN_TURN__TLS_CERT_FILE',
    ],
    [{ GUARDYN_TURN__TLS_CERT_FILE: cert, GUARDYN_TURN__TLS_KEY_FILE: notPem }, 'GUARDYN_TURN__TLS_KEY_FILE'],
    [{ GUARDYN_TURN__MIN_PORT: '60000', GUARDYN_TURN__MAX_PORT: '50000' }, 'GUARDYN_TURN__MIN_PORT'],
    [{ GUARDYN_TURN__MIN_PORT: '80' }, 'GUARDYN_TURN__MIN_PORT'],
    [{ GUARDYN_TURN__DENIED_PEER_IPS: '10.0.0.0/8' }, 'GUARDYN_TURN__DENIED_PEER_IPS'],
    [{ GUARDYN_TURN__DENIED_PEER_IPS: '10.0.0.0-fc00::' }, 'GUARDYN_TURN__DENIED_PEER_IPS'],
    [{ GUARDYN_TURN__ALLOWED_PEER_IPS: 'everyone' }, 'GUARDYN_TURN__ALLOWED_PEER_IPS'],
    [{ GUARDYN_TURN__ALLOW_LOOPBACK_PEERS: 'please' }, 'GUARDYN_TURN__ALLOW_LOOPBACK_PEERS'],
  ] as const) {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      JSON.stringify(env),
    );
  }
});

test('the TURN REST secret (GUARDYN_CALLS__TURN_SECRET): configured, else generated once into the data directory (owner-only)', () => {
  assert.equal(loadTurnSecret('configured-secret-123', dir), 'configured-secret-123');
  const dataDir = path.join(dir, 'data');
  const first = loadTurnSecret(undefined, dataDir);
  assert.equal(loadTurnSecret(undefined, dataDir), first);
  assert.equal(fs.statSync(path.join(dataDir, 'keys', 'turn-secret')).mode & 0o777, 0o600);
});
