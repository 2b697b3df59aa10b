/**
 * The FCM and APNs adapters against local HTTP/2 servers that speak those
 * protocols (test/support/push-providers.ts): credentials (OAuth JWT grant,
 * provider token), payloads without content, and the outcome of each
 * provider answer (delivered, invalid token, retry with Retry-After, failed).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FcmProvider } from './fcm.ts';
import { ApnsProvider } from './apns.ts';
import type { PushRequest } from './provider.ts';
import {
  FCM_UNAVAILABLE,
  FCM_UNREGISTERED,
  startFakeApns,
  startFakeFcm,
  type FakeApns,
  type FakeFcm,
} from '../../../test/support/push-providers.ts';

const request = (token: string, extra: Partial<PushRequest> = {}): PushRequest => ({
  id: '0b6f8b58-7c2e-4d0e-9d3c-2f0f3a8c1e11',
  token,
  environment: 'production',
  data: { type: 'message', conversation_id: 'c1', group: '0', seq: '42' },
  collapseKey: 'c1',
  ...extra,
});

describe('FCM HTTP v1 adapter', () => {
  let fcm: FakeFcm;
  let provider: FcmProvider;
  let clock = Date.now();
  before(async () => {
    fcm = await startFakeFcm();
    provider = new FcmProvider({ serviceAccount: fcm.serviceAccount, endpoint: fcm.url, now: () => clock });
  });
  after(async () => {
    provider.close();
    await fcm.stop();
  });

  it('gets an access token by the JWT bearer grant, caches it, and sends a data message', async () => {
    assert.deepEqual(await provider.send(request('tok-a')), { kind: 'delivered' });
    assert.deepEqual(await provider.send(request('tok-b')), { kind: 'delivered' });
    assert.equal(fcm.issued.length, 1, 'one token for both sends');
    assert.deepEqual(fcm.refused, []);
    const sent = fcm.received[0]!.body['message'];
    assert.equal(sent.token, 'tok-a');
    assert.deepEqual(sent.data, { type: 'message', conversation_id: 'c1', group: '0', seq: '42' });
    assert.equal(sent.notification, undefined, 'no visible notification text');
    assert.equal(sent.android.priority, 'high');
  });

  it('fetches a new access token when the cached one expires, and after a 401', async () => {
    clock += 3600_000;
    assert.deepEqual(await provider.send(request('tok-c')), { kind: 'delivered' });
    assert.equal(fcm.issued.length, 2);
    fcm.script('tok-d', [{ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED' } } }]);
    assert.equal((await provider.send(request('tok-d'))).kind, 'retry');
    assert.equal((await provider.send(request('tok-d'))).kind, 'delivered');
    assert.equal(fcm.issued.length, 3, 'the 401 dropped the cached token');
  });

  it('reads UNREGISTERED as an invalid token, 503 and 429 as retry (with Retry-After), other refusals as failed', async () => {
    fcm.script('gone', [FCM_UNREGISTERED]);
    assert.deepEqual(await provider.send(request('gone')), { kind: 'invalid-token', reason: '404 UNREGISTERED' });
    fcm.script('busy', [
      FCM_UNAVAILABLE,
      {
        status: 429,
        body: { error: { status: 'RESOURCE_EXHAUSTED', details: [{ errorCode: 'QUOTA_EXCEEDED' }] } },
        headers: { 'retry-after': '7' },
      },
    ]);
    assert.deepEqual(await provider.send(request('busy')), { kind: 'retry', reason: '503 UNAVAILABLE' });
    assert.deepEqual(await provider.send(request('busy')), {
      kind: 'retry',
      reason: '429 QUOTA_EXCEEDED',
      retryAfterMs: 7000,
    });
    fcm.script('malformed', [
      {
        status: 400,
        body: { error: { status: 'INVALID_ARGUMENT', details: [{ fieldViolations: [{ field: 'message.token' }] }] } },
      },
    ]);
    assert.equal((await provider.send(request('malformed'))).kind, 'invalid-token');
    fcm.script('bad', [
      {
        status: 400,
        body: { error: { status: 'INVALID_ARGUMENT', details: [{ fieldViolations: [{ field: 'message.data' }] }] } },
      },
    ]);
    assert.deepEqual(await provider.send(request('bad')), { kind: 'failed', reason: '400 INVALID_ARGUMENT' });
  });

  it('answers retry when the provider cannot be reached', async () => {
    const down = new FcmProvider({
      serviceAccount: { ...fcm.serviceAccount, token_uri: 'http://127.0.0.1:1/token' },
      endpoint: 'http://127.0.0.1:1',
      timeoutMs: 2000,
    });
    const result = await down.send(request('x'));
    down.close();
    assert.equal(result.kind, 'retry');
  });
});

describe('APNs HTTP/2 adapter', () => {
  let apns: FakeApns;
  let provider: ApnsProvider;
  let clock = Date.now();
  const deviceToken = 'ab'.repeat(32);
  before(async () => {
    apns = await startFakeApns();
    provider = new ApnsProvider({
      key: apns.key,
      keyId: apns.keyId,
      teamId: apns.teamId,
      topic: apns.topic,
      endpoints: { production: apns.url, sandbox: apns.url },
      now: () => clock,
    });
  });
  after(async () => {
    provider.close();
    await apns.stop();
  });

  it('sends an alert without content, with the provider token and the apns headers', async () => {
    assert.deepEqual(await provider.send(request(deviceToken)), { kind: 'delivered' });
    assert.deepEqual(apns.refused, []);
    const got = apns.received[0]!;
    assert.equal(got.token, deviceToken);
    assert.equal(got.headers['apns-topic'], apns.topic);
    assert.equal(got.headers['apns-push-type'], 'alert');
    assert.equal(got.headers['apns-priority'], '10');
    assert.equal(got.headers['apns-id'], request('').id);
    assert.deepEqual(got.body['aps']['alert'], { 'loc-key': 'GUARDYN_NEW_MESSAGE' }, 'a localisation key, never text');
    assert.equal(got.body['conversation_id'], 'c1');
    assert.equal(got.body['seq'], '42');
  });

  it('reuses the provider token for 50 minutes, then signs a new one; ExpiredProviderToken forces one', async () => {
    await provider.send(request(deviceToken));
    assert.equal(provider.signed, 1);
    clock += 51 * 60_000;
    await provider.send(request(deviceToken));
    assert.equal(provider.signed, 2);
    apns.script(deviceToken, [{ status: 403, body: { reason: 'ExpiredProviderToken' } }]);
    assert.deepEqual(await provider.send(request(deviceToken)), { kind: 'retry', reason: '403 ExpiredProviderToken' });
    await provider.send(request(deviceToken));
    assert.equal(provider.signed, 3);
  });

  it('reads 410 and BadDeviceToken as an invalid token, 429/503 as retry, other refusals as failed', async () => {
    apns.script(deviceToken, [
      { status: 410, body: { reason: 'Unregistered', timestamp: Date.now() } },
      { status: 400, body: { reason: 'BadDeviceToken' } },
      { status: 429, body: { reason: 'TooManyRequests' } },
      { status: 503, body: { reason: 'ServiceUnavailable' }, headers: { 'retry-after': '3' } },
      { status: 413, body: { reason: 'PayloadTooLarge' } },
    ]);
    assert.deepEqual(await provider.send(request(deviceToken)), { kind: 'invalid-token', reason: '410 Unregistered' });
    assert.deepEqual(await provider.send(request(deviceToken)), {
      kind: 'invalid-token',
      reason: '400 BadDeviceToken',
    });
    assert.deepEqual(await provider.send(request(deviceToken)), { kind: 'retry', reason: '429 TooManyRequests' });
    assert.deepEqual(await provider.send(request(deviceToken)), {
      kind: 'retry',
      reason: '503 ServiceUnavailable',
      retryAfterMs: 3000,
    });
    assert.deepEqual(await provider.send(request(deviceToken)), { kind: 'failed', reason: '413 PayloadTooLarge' });
  });
});
