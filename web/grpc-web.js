// gRPC-Web calls over fetch (binary application/grpc-web+proto) to the server
// that served this page. Frames: flag byte, 4-byte big-endian length, bytes;
// flag 0x80 carries the trailers (grpc-status, grpc-message).
import { decode, encode } from './protobuf.js';

export class GrpcWebError extends Error {
  constructor(status, message) {
    super(`gRPC status ${status}: ${message}`);
    this.status = status;
  }
}

/** A contract error of the answer (`error` of the oneof). */
export class ContractError extends Error {
  constructor(error) {
    super(`${error.code ?? 'UNKNOWN'}: ${error.message ?? ''}`);
    this.code = error.code ?? 'UNKNOWN';
  }
}

function frame(payload) {
  const out = new Uint8Array(5 + payload.length);
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, 5);
  return out;
}

function parseTrailers(bytes) {
  const out = {};
  for (const line of new TextDecoder('latin1').decode(bytes).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

const unescape = (text) => {
  try {
    return decodeURIComponent(text ?? '');
  } catch {
    return text ?? '';
  }
};

/**
 * Calls a unary method (METHODS entry of messages.js) and returns the `success`
 * member of its answer; throws ContractError or GrpcWebError.
 */
export async function call(method, request, token) {
  const headers = { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1', 'grpc-timeout': '30S' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(method.path, { method: 'POST', headers, body: frame(encode(method.request, request)) });
  if (!res.ok) throw new GrpcWebError(-1, `HTTP ${res.status}`);
  const early = res.headers.get('grpc-status');
  if (early !== null && early !== '0') throw new GrpcWebError(Number(early), unescape(res.headers.get('grpc-message')));
  const bytes = new Uint8Array(await res.arrayBuffer());
  let answer;
  let trailers = early !== null ? { 'grpc-status': early } : undefined;
  for (let at = 0; at < bytes.length; ) {
    if (at + 5 > bytes.length) throw new GrpcWebError(13, 'truncated frame');
    const flag = bytes[at];
    const length = new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getUint32(0);
    const payload = bytes.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if (flag === 0x80) trailers = parseTrailers(payload);
    else if (flag === 0) answer = decode(method.response, payload);
  }
  const status = Number(trailers?.['grpc-status'] ?? 2);
  if (status !== 0) throw new GrpcWebError(status, unescape(trailers?.['grpc-message']));
  if (answer === undefined) throw new GrpcWebError(13, 'no answer');
  if (answer.error) throw new ContractError(answer.error);
  return answer.success ?? {};
}
