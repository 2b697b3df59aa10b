/** A child of `bench realtime`: a raw `ws` echo server (the baseline); prints its port. */
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({
  port: 0,
  host: '127.0.0.1',
  perMessageDeflate: false,
  clientTracking: false,
  maxPayload: 64 * 1024,
});
wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
wss.on('listening', () => process.stdout.write(`${(wss.address() as { port: number }).port}\n`));
