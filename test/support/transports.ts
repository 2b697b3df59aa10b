/**
 * One client surface over both ways into the gRPC services, so a contract test
 * runs unchanged over native gRPC (grpc-js to the role's port) and over
 * gRPC-Web (fetch to the notifications HTTP server): every answer comes back
 * as gRPC status, status message, response message and Guardyn trailers.
 */
import * as grpc from '@grpc/grpc-js';
import { encodeMessage } from '../../gateways/grpc-web/frames.ts';
import { methodOf, openWebCall } from './grpc-web-client.ts';

type Obj = Record<string, any>;

export interface Answer {
  readonly status: number;
  readonly message: string;
  /** The one response of a unary call (undefined on a non-OK status). */
  readonly response: Obj | undefined;
  /** Trailing metadata named guardyn-* (the contract's stream errors). */
  readonly trailers: Record<string, string>;
}

export interface OpenStream {
  /** The next message; rejects when the stream ends first. */
  next(): Promise<Obj>;
  /** The final status (after cancel: whatever the transport reports). */
  readonly done: Promise<Answer>;
  cancel(): void;
}

export interface ContractTransport {
  readonly name: 'gRPC' | 'gRPC-Web';
  /** A unary call; `request` as raw bytes sends them as the message, undecoded. */
  unary(path: string, request: Obj | Buffer, headers?: Record<string, string>): Promise<Answer>;
  stream(path: string, request: Obj, headers?: Record<string, string>): Promise<OpenStream>;
  close(): void;
}

const guardynOnly = (entries: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(entries)
      .filter(([k]) => k.startsWith('guardyn-'))
      .map(([k, v]) => [k, String(v)]),
  );

const passThrough = (b: Buffer): Buffer => b;

/** Messages as they arrive, handed out one `next()` at a time; after `end()` a `next()` with none left rejects. */
function messageQueue() {
  const queue: Obj[] = [];
  const waiting: { resolve(m: Obj): void; reject(e: Error): void }[] = [];
  let ended = false;
  return {
    push: (m: Obj) => (waiting.length > 0 ? waiting.shift()!.resolve(m) : void queue.push(m)),
    end: () => {
      ended = true;
      for (const w of waiting.splice(0)) w.reject(new Error('stream ended'));
    },
    next: (): Promise<Obj> =>
      queue.length > 0
        ? Promise.resolve(queue.shift()!)
        : ended
          ? Promise.reject(new Error('stream ended'))
          : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
  };
}

/** Native gRPC: `portOf('guardyn.auth.AuthService')` is the port of the role serving it. */
export function nativeTransport(portOf: (service: string) => number): ContractTransport {
  const clients = new Map<number, grpc.Client>();
  const clientFor = (path: string): grpc.Client => {
    const port = portOf(path.split('/')[1]!);
    let client = clients.get(port);
    if (client === undefined)
      clients.set(port, (client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure())));
    return client;
  };
  const metadataOf = (headers: Record<string, string>): grpc.Metadata => {
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers)) md.set(k, v);
    return md;
  };
  const answerOf = (status: grpc.StatusObject, response: Obj | undefined): Answer => ({
    status: status.code,
    message: status.code === grpc.status.OK ? '' : status.details,
    response,
    trailers: guardynOnly(status.metadata.getMap()),
  });
  return {
    name: 'gRPC',
    unary: (path, request, headers = {}) =>
      new Promise((resolve) => {
        const def = methodOf(path);
        const raw = Buffer.isBuffer(request);
        let response: Obj | undefined;
        const call = clientFor(path).makeUnaryRequest<unknown, Obj>(
          path,
          raw ? (passThrough as (v: unknown) => Buffer) : (def.requestSerialize as (v: unknown) => Buffer),
          def.responseDeserialize,
          request,
          metadataOf(headers),
          { deadline: Date.now() + 30_000 },
          (err, value) => {
            if (err === null) response = value;
          },
        );
        call.on('status', (status: grpc.StatusObject) =>
          setImmediate(() => resolve(answerOf(status, status.code === grpc.status.OK ? response : undefined))),
        );
      }),
    stream: async (path, request, headers = {}) => {
      const def = methodOf(path);
      const call = clientFor(path).makeServerStreamRequest<Obj, Obj>(
        path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        metadataOf(headers),
        { deadline: Date.now() + 60_000 },
      );
      const messages = messageQueue();
      call.on('data', messages.push);
      call.on('error', () => undefined);
      const done = new Promise<Answer>((resolve) =>
        call.on('status', (status: grpc.StatusObject) => {
          messages.end();
          resolve(answerOf(status, undefined));
        }),
      );
      return {
        next: messages.next,
        done,
        cancel: () => call.cancel(),
      };
    },
    close: () => {
      for (const c of clients.values()) c.close();
    },
  };
}

/** gRPC-Web on `base` (the notifications HTTP server). */
export function webTransport(base: string): ContractTransport {
  const toAnswer = (r: {
    grpcStatus: number | undefined;
    grpcMessage: string;
    messages: Obj[];
    trailers: Record<string, string>;
  }): Answer => ({
    status: r.grpcStatus ?? -1,
    message: r.grpcStatus === 0 ? '' : r.grpcMessage,
    response: r.grpcStatus === 0 ? r.messages[0] : undefined,
    trailers: guardynOnly(r.trailers),
  });
  return {
    name: 'gRPC-Web',
    unary: async (path, request, headers = {}) => {
      const raw = Buffer.isBuffer(request);
      const call = await openWebCall(base, path, raw ? {} : request, {
        headers,
        ...(raw ? { rawBody: encodeMessage(request) } : {}),
      });
      return toAnswer(await call.reply());
    },
    stream: async (path, request, headers = {}) => {
      const abort = new AbortController();
      const call = await openWebCall(base, path, request, { headers, signal: abort.signal });
      const iterator = call.messages()[Symbol.asyncIterator]();
      const all: Obj[] = [];
      const messages = messageQueue();
      // The reader drains the body to its end (the trailers), handing messages out as asked.
      const done = (async (): Promise<Answer> => {
        try {
          for (;;) {
            const { done: end, value } = await iterator.next();
            if (end) break;
            all.push(value);
            messages.push(value);
          }
        } catch {
          // aborted
        }
        messages.end();
        const reply = call.result(all);
        return reply.grpcStatus === undefined
          ? { status: grpc.status.CANCELLED, message: 'cancelled', response: undefined, trailers: {} }
          : toAnswer(reply);
      })();
      return {
        next: messages.next,
        done,
        cancel: () => abort.abort(),
      };
    },
    close: () => undefined,
  };
}
