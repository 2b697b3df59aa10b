/**
 * Local HTTP/2 servers that speak the push providers' protocols, for tests
 * (the real providers are unreachable here):
 *
 * - FCM: an OAuth token endpoint (`POST /token`, JWT bearer grant: the RS256
 *   assertion is verified with the service account's public key, scope,
 *   issuer and audience checked) and `POST /v1/projects/<id>/messages:send`
 *   (the bearer must be a token it issued);
 * - APNs: `POST /3/device/<token>` with the provider token (ES256, kid, iss
 *   verified) and the apns-* headers checked.
 *
 * Each answers 200 unless a test scripted answers for a device token
 * (`script(token, [...answers])`, used in order); every request is recorded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import http2 from 'node:http2';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { importSPKI, jwtVerify } from 'jose';
import { FCM_SCOPE } from '../../projections/push/providers/fcm.ts';

export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReceivedPush {
  readonly token: string;
  readonly body: Record<string, any>;
  readonly headers: http2.IncomingHttpHeaders;
  readonly at: number;
}

export interface FakeProvider {
  readonly url: string;
  readonly received: ReceivedPush[];
  /** Refused requests (bad credentials, wrong headers), with why. */
  readonly refused: string[];
  script(token: string, answers: readonly ScriptedAnswer[]): void;
  waitFor(n: number, ms?: number): Promise<ReceivedPush[]>;
  stop(): Promise<void>;
}

interface Base {
  readonly received: ReceivedPush[];
  readonly refused: string[];
  readonly scripts: Map<string, ScriptedAnswer[]>;
}

function respond(
  stream: http2.ServerHttp2Stream,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  stream.respond({ ':status': status, 'content-type': 'application/json', ...headers });
  stream.end(text);
}

async function readBody(stream: http2.ServerHttp2Stream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function listen(
  handler: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => Promise<void>,
  base: Base,
): Promise<FakeProvider> {
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    handler(stream, headers).catch((err: Error) => {
      base.refused.push(`handler error: ${err.message}`);
      if (!stream.headersSent) respond(stream, 500, { error: 'fake provider failed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received: base.received,
    refused: base.refused,
    script: (token, answers) => base.scripts.set(token, [...answers]),
    async waitFor(n, ms = 15_000) {
      const deadline = Date.now() + ms;
      while (base.received.length < n) {
        if (Date.now() > deadline)
          throw new Error(`expected ${n} pushes, got ${base.received.length} (refused: ${base.refused.join('; ')})`);
        await sleep(20);
      }
      return base.received;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Sessions a client keeps open would hold close() up.
        setTimeout(resolve, 500).unref();
      }),
  };
}

function nextAnswer(base: Base, token: string): ScriptedAnswer | undefined {
  const answers = base.scripts.get(token);
  return answers && answers.length > 0 ? answers.shift() : undefined;
}

export interface FakeFcm extends FakeProvider {
  /** The service-account key file contents pointing at this server. */
  readonly serviceAccount: { project_id: string; client_email: string; private_key: string; token_uri: string };
  /** Access tokens issued. */
  readonly issued: string[];
}

export async function startFakeFcm(): Promise<FakeFcm> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const verifyKey = await importSPKI(publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'RS256');
  const base: Base = { received: [], refused: [], scripts: new Map() };
  const issued: string[] = [];
  const email = 'guardyn-push@test-project.iam.gserviceaccount.com';
  let tokenUri = '';
  const provider = await listen(async (stream, headers) => {
    const path = String(headers[':path']);
    const body = await readBody(stream);
    if (headers[':method'] === 'POST' && path === '/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        base.refused.push('token: wrong grant_type');
        return respond(stream, 400, { error: 'unsupported_grant_type' });
      }
      try {
        const { payload, protectedHeader } = await jwtVerify(form.get('assertion') ?? '', verifyKey, {
          issuer: email,
          audience: tokenUri,
          algorithms: ['RS256'],
        });
        if (payload['scope'] !== FCM_SCOPE || protectedHeader.alg !== 'RS256' || typeof payload.exp !== 'number')
          throw new Error('scope or exp');
      } catch (err) {
        base.refused.push(`token: bad assertion (${(err as Error).message})`);
        return respond(stream, 400, { error: 'invalid_grant' });
      }
      const accessToken = `ya29.${randomUUID()}`;
      issued.push(accessToken);
      return respond(stream, 200, { access_token: accessToken, expires_in: 3599, token_type: 'Bearer' });
    }
    const send = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(path);
    if (headers[':method'] === 'POST' && send) {
      const bearer = /^Bearer (.+)$/.exec(String(headers['authorization'] ?? ''))?.[1];
      if (!bearer || !issued.includes(bearer)) {
        base.refused.push('send: unknown access token');
        return respond(stream, 401, {
          error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' },
        });
      }
      if (send[1] !== 'test-project')
        return respond(stream, 404, { error: { code: 404, status: 'NOT_FOUND', message: 'unknown project' } });
      const parsed = JSON.parse(body) as { message?: { token?: string } };
      const token = parsed.message?.token ?? '';
      base.received.push({ token, body: parsed, headers, at: Date.now() });
      const answer = nextAnswer(base, token);
      if (answer) return respond(stream, answer.status, answer.body, answer.headers);
      return respond(stream, 200, { name: `projects/test-project/messages/${randomUUID()}` });
    }
    respond(stream, 404, { error: { code: 404, status: 'NOT_FOUND' } });
  }, base);
  tokenUri = `${provider.url}/token`;
  return {
    ...provider,
    issued,
    serviceAccount: { project_id: 'test-project', client_email: email, private_key: pem, token_uri: tokenUri },
  };
}

/** FCM's answer for a token that is no longer registered. */
export const FCM_UNREGISTERED: ScriptedAnswer = {
  status: 404,
  body: {
    error: {
      code: 404,
      message: 'Requested entity was not found.',
      status: 'NOT_FOUND',
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }],
    },
  },
};
export const FCM_UNAVAILABLE: ScriptedAnswer = {
  status: 503,
  body: {
    error: {
      code: 503,
      message: 'The service is currently unavailable.',
      status: 'UNAVAILABLE',
      details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNAVAILABLE' }],
    },
  },
};

export interface FakeApns extends FakeProvider {
  readonly key: string;
  readonly keyId: string;
  readonly teamId: string;
  readonly topic: string;
  /** Provider tokens seen (distinct). */
  readonly providerTokens: Set<string>;
}

export async function startFakeApns(): Promise<FakeApns> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const verifyKey = await importSPKI(publicKey.export({ format: 'pem', type: 'spki' }).toString(), 'ES256');
  const base: Base = { received: [], refused: [], scripts: new Map() };
  const keyId = 'ABC123DEFG';
  const teamId = 'TEAM123456';
  const topic = 'app.guardyn.ios';
  const providerTokens = new Set<string>();
  const provider = await listen(async (stream, headers) => {
    const path = String(headers[':path']);
    const body = await readBody(stream);
    const device = /^\/3\/device\/([0-9a-fA-F]+)$/.exec(path)?.[1];
    if (headers[':method'] !== 'POST' || device === undefined) return respond(stream, 404, { reason: 'BadPath' });
    const jwt = /^bearer (.+)$/.exec(String(headers['authorization'] ?? ''))?.[1];
    if (!jwt) return respond(stream, 403, { reason: 'MissingProviderToken' });
    try {
      const { protectedHeader, payload } = await jwtVerify(jwt, verifyKey, { issuer: teamId, algorithms: ['ES256'] });
      if (protectedHeader.kid !== keyId || typeof payload.iat !== 'number') throw new Error('kid or iat');
    } catch (err) {
      base.refused.push(`apns: bad provider token (${(err as Error).message})`);
      return respond(stream, 403, { reason: 'InvalidProviderToken' });
    }
    providerTokens.add(jwt);
    // Alerts go to the app's topic; VoIP pushes (ringing calls) to <topic>.voip, as APNs requires.
    const voip = headers['apns-push-type'] === 'voip';
    if (headers['apns-topic'] !== (voip ? `${topic}.voip` : topic))
      return respond(stream, 400, { reason: 'TopicDisallowed' });
    if (headers['apns-push-type'] !== 'alert' && !voip) return respond(stream, 400, { reason: 'InvalidPushType' });
    base.received.push({ token: device, body: JSON.parse(body) as Record<string, any>, headers, at: Date.now() });
    const answer = nextAnswer(base, device);
    const apnsId = String(headers['apns-id'] ?? randomUUID());
    if (answer) return respond(stream, answer.status, answer.body, { 'apns-id': apnsId, ...answer.headers });
    stream.respond({ ':status': 200, 'apns-id': apnsId });
    stream.end();
  }, base);
  return { ...provider, key, keyId, teamId, topic, providerTokens };
}
