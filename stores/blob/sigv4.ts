/**
 * Query-string (presigned) AWS Signature Version 4 for one S3 request, with a
 * chosen set of signed headers. The `minio` client presigns with `host` only,
 * so its PUT URLs accept any size and content type; a PUT URL of the blob port
 * must be bound to both, so this signs `content-length;content-type;host`:
 * the server recomputes the signature from the request's own headers, and a
 * request with another size or type is refused (SignatureDoesNotMatch).
 *
 * The algorithm (canonical request, string to sign, derived signing key) is
 * the published SigV4 specification; the payload is UNSIGNED-PAYLOAD.
 */
import { createHash, createHmac } from 'node:crypto';

export interface PresignInput {
  readonly method: 'GET' | 'PUT';
  /** Endpoint origin, e.g. http://127.0.0.1:7070 (path-style addressing). */
  readonly endpoint: string;
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly expiresInSeconds: number;
  /** Headers to sign (besides host), with their exact values. */
  readonly headers: Readonly<Record<string, string>>;
  readonly now?: Date;
}

/** RFC 3986 percent-encoding as SigV4 wants it ('/' kept in paths when `keepSlash`). */
function encode(s: string, keepSlash = false): string {
  let out = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (keepSlash) out = out.replace(/%2F/g, '/');
  return out;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

export function presignV4(input: PresignInput): string {
  const now = input.now ?? new Date();
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const origin = new URL(input.endpoint);
  const scope = `${day}/${input.region}/s3/aws4_request`;
  const headers: Record<string, string> = { host: origin.host };
  for (const [k, v] of Object.entries(input.headers)) headers[k.toLowerCase()] = v.trim().replace(/ +/g, ' ');
  const signedHeaders = Object.keys(headers).sort();
  const path = `/${encode(input.bucket)}/${encode(input.key, true)}`;
  const query: [string, string][] = [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
    ['X-Amz-Credential', `${input.accessKey}/${scope}`],
    ['X-Amz-Date', amzDate],
    ['X-Amz-Expires', String(input.expiresInSeconds)],
    ['X-Amz-SignedHeaders', signedHeaders.join(';')],
  ];
  const canonicalQuery = query
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const canonicalRequest = [
    input.method,
    path,
    canonicalQuery,
    signedHeaders.map((h) => `${h}:${headers[h]}\n`).join(''),
    signedHeaders.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${input.secretKey}`, day), input.region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${origin.origin}${path}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}
