/**
 * A small gRPC-Web client over fetch for the tests: messages encoded and decoded
 * with the project's proto definitions (as a browser client built from the same
 * .proto files would), frames read with the bridge's own codec.
 */
import {
  Base64Decoder,
  encodeMessage,
  FrameDecoder,
  parseTrailers,
  percentDecode,
} from '../../gateways/grpc-web/frames.ts';
import { packageDefinition } from '../../gateways/grpc/proto.ts';
import type { MethodDefinition } from '@grpc/proto-loader';

type Obj = Record<string, any>;

export interface WebReply {
  readonly httpStatus: number;
  readonly headers: Headers;
  readonly messages: Obj[];
  /** From the trailers frame, or the headers of a trailers-only answer. */
  readonly grpcStatus: number | undefined;
  readonly grpcMessage: string;
  readonly trailers: Record<string, string>;
}

export interface WebCallOptions {
  readonly text?: boolean;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** Raw body instead of the encoded request (for refusals). */
  readonly rawBody?: Buffer | string;
}

export function methodOf(path: string): MethodDefinition<Obj, Obj> {
  const [, service, method] = path.split('/');
  const def = (packageDefinition as Record<string, Record<string, MethodDefinition<Obj, Obj>>>)[service!]?.[method!];
  if (def === undefined) throw new Error(`no method ${path}`);
  return def;
}

const asBody = (body: Buffer | string): string | Uint8Array<ArrayBuffer> =>
  typeof body === 'string' ? body : new Uint8Array(body);

export function requestBody(path: string, request: Obj, text = false): Buffer | string {
  const frame = encodeMessage(methodOf(path).requestSerialize(request));
  return text ? frame.toString('base64') : frame;
}

/** Starts a call; `messages()` yields decoded responses as they arrive, then `done` has the status. */
export async function openWebCall(base: string, path: string, request: Obj, options: WebCallOptions = {}) {
  const text = options.text ?? false;
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      'content-type': text ? 'application/grpc-web-text' : 'application/grpc-web+proto',
      'x-grpc-web': '1',
      ...options.headers,
    },
    body: asBody(options.rawBody ?? requestBody(path, request, text)),
    signal: options.signal,
  });
  const def = methodOf(path);
  const trailers: Record<string, string> = {};
  const headerStatus = res.headers.get('grpc-status');
  if (headerStatus !== null) {
    trailers['grpc-status'] = headerStatus;
    trailers['grpc-message'] = res.headers.get('grpc-message') ?? '';
  }
  async function* messages(): AsyncGenerator<Obj> {
    if (res.body === null) return;
    const frames = new FrameDecoder(64 * 1024 * 1024);
    const b64 = text ? new Base64Decoder() : undefined;
    const decoder = new TextDecoder('latin1');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      const bytes = b64 === undefined ? chunk : b64.push(decoder.decode(chunk));
      for (const frame of frames.push(bytes)) {
        if (frame.trailers) Object.assign(trailers, parseTrailers(frame.payload));
        else yield def.responseDeserialize(frame.payload);
      }
    }
    frames.end();
  }
  /** The reply made of `all` and the status read so far (after `messages()` has ended). */
  const result = (all: Obj[]): WebReply => {
    const status = trailers['grpc-status'];
    return {
      httpStatus: res.status,
      headers: res.headers,
      messages: all,
      trailers,
      grpcStatus: status === undefined ? undefined : Number(status),
      grpcMessage: percentDecode(trailers['grpc-message'] ?? ''),
    };
  };
  return {
    res,
    messages,
    result,
    reply: async (): Promise<WebReply> => {
      const all: Obj[] = [];
      for await (const m of messages()) all.push(m);
      return result(all);
    },
  };
}

export async function webCall(
  base: string,
  path: string,
  request: Obj,
  options: WebCallOptions = {},
): Promise<WebReply> {
  return (await openWebCall(base, path, request, options)).reply();
}
