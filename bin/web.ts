/**
 * Browsers on the embedded default: the notifications role's HTTP server (:8080)
 * also serves gRPC-Web for the gRPC services this process runs (dispatched
 * in-process to the handlers those servers run) and the demo web client
 * (GUARDYN_WEB__*, runtime/config-web.ts).
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { ProcessPorts } from './ports.ts';
import type { HttpRouter } from '../gateways/http/server.ts';
import type { ServiceBinding } from '../gateways/grpc/server.ts';
import { mountGrpcWeb } from '../gateways/grpc-web/bridge.ts';
import { mountWebClient } from '../gateways/http/web-client.ts';

export interface BrowserTargets {
  readonly ports: ProcessPorts;
  /** The services of this process's gRPC servers, as served (RunningGrpcServer.services). */
  readonly grpcServices: readonly ServiceBinding[];
}

/** Mounts what is enabled; returns what stops it. */
export function mountBrowserRoutes(
  router: HttpRouter,
  config: GuardynConfig,
  targets: BrowserTargets,
  logger: Logger,
): () => Promise<void> {
  let close = () => {};
  if (config.web.grpcWeb) {
    const bridge = mountGrpcWeb(router, {
      services: targets.grpcServices,
      allowedOrigins: config.web.allowedOrigins,
      maxMessageBytes: config.web.maxMessageBytes,
      clientAddressHeader: config.limits.clientAddressHeader,
      logger: logger.child({ gateway: 'grpc-web' }),
    });
    close = () => bridge.close();
    logger.info({ services: targets.grpcServices.length }, 'gRPC-Web mounted on the notifications HTTP server');
  }
  if (config.web.client) {
    // The call WebSocket, when this process runs the calls role (mounted before the roles listen:
    // the port is read at each request).
    mountWebClient(router, {
      websocketPort: targets.ports.websocket,
      callsWebsocketPort: () => targets.ports.callsWebsocket,
    });
    logger.info({ path: '/' }, 'web client mounted on the notifications HTTP server');
  }
  return async () => close();
}
