/**
 * A child of `bench realtime`: the bare relay, the ceiling of the send → frame path. Nothing but
 * gRPC → JetStream → WebSocket: a unary call (bench/echo.proto, the payload carries the recipient
 * and a client message id as JSON) is published to a file-stored stream and acknowledged; one
 * ordered consumer of that stream hands each message to its recipient's sockets (an in-memory map)
 * as a JSON frame. No authentication, no aggregate, no views. Prints `<grpc port> <ws port>`.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, DeliverPolicy } from '@nats-io/jetstream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ECHO_PROTO } from './echo.ts';

const natsUrl = process.argv[2]!;
const nc = await connect({ servers: natsUrl, noAsyncTraces: true } as never);
const jsm = await jetstreamManager(nc);
await jsm.streams.add({ name: 'RELAY', subjects: ['relay.>'] }).catch(() => undefined);
const js = jetstream(nc);

const sockets = new Map<string, Set<WebSocket>>();
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false, clientTracking: false });
wss.on('connection', (ws, req) => {
  const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? '';
  let set = sockets.get(user);
  if (set === undefined) sockets.set(user, (set = new Set()));
  set.add(ws);
  ws.on('close', () => set!.delete(ws));
});

const consumer = await js.consumers.get('RELAY', { deliver_policy: DeliverPolicy.New });
void (async () => {
  for await (const m of await consumer.consume({ max_messages: 512 })) {
    const body = JSON.parse(Buffer.from(m.data).toString('utf8')) as { to: string; cid: string; content: string };
    const frame = JSON.stringify({
      type: 'message',
      payload: { client_message_id: body.cid, content: body.content, seq: m.seq },
    });
    for (const ws of sockets.get(body.to) ?? []) ws.send(frame);
  }
})();

const def = grpc.loadPackageDefinition(protoLoader.loadSync(ECHO_PROTO)) as unknown as {
  guardyn: { bench: { Echo: grpc.ServiceClientConstructor } };
};
const server = new grpc.Server();
server.addService(def.guardyn.bench.Echo.service, {
  Call: (call: grpc.ServerUnaryCall<{ payload: Buffer }, unknown>, done: grpc.sendUnaryData<unknown>) => {
    const to = (JSON.parse(call.request.payload.toString('utf8')) as { to: string }).to;
    js.publish(`relay.${to}`, call.request.payload).then(
      () => done(null, {}),
      (err: Error) => done(err),
    );
  },
});
const grpcPort = await new Promise<number>((resolve, reject) =>
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) =>
    err ? reject(err) : resolve(port),
  ),
);
await new Promise<void>((resolve) => (wss.address() ? resolve() : wss.once('listening', () => resolve())));
process.stdout.write(`${grpcPort} ${(wss.address() as { port: number }).port}\n`);
