import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './config.ts';

test('GUARDYN_WEB__*: defaults, an origin list, any origin, and bad values naming the variable', () => {
  const defaults = loadConfig({}).web;
  assert.deepEqual(defaults, { grpcWeb: true, client: true, allowedOrigins: [], maxMessageBytes: 2 * 1024 * 1024 });
  const set = loadConfig({
    GUARDYN_WEB__ALLOWED_ORIGINS: 'https://App.example, http://localhost:3000',
    GUARDYN_WEB__GRPC_WEB: '0',
    GUARDYN_WEB__CLIENT: 'false',
    GUARDYN_WEB__MAX_MESSAGE_BYTES: '4096',
  }).web;
  assert.deepEqual(set, {
    grpcWeb: false,
    client: false,
    allowedOrigins: ['https://app.example', 'http://localhost:3000'],
    maxMessageBytes: 4096,
  });
  assert.equal(loadConfig({ GUARDYN_WEB__ALLOWED_ORIGINS: '*' }).web.allowedOrigins, '*');
  for (const [name, value] of [
    ['GUARDYN_WEB__ALLOWED_ORIGINS', 'https://app.example/path'],
    ['GUARDYN_WEB__ALLOWED_ORIGINS', 'app.example'],
    ['GUARDYN_WEB__GRPC_WEB', 'maybe'],
    ['GUARDYN_WEB__MAX_MESSAGE_BYTES', '10'],
  ] as const) {
    assert.throws(
      () => loadConfig({ [name]: value }),
      (e: unknown) => e instanceof ConfigError && e.message.includes(name),
      `${name}=${value}`,
    );
  }
});
