/**
 * Browsers on the embedded default: the notifications role's HTTP server (:8080)
 * also serves gRPC-Web for the gRPC services this process runs (forwarded on
 * loopback) and the demo web client (GUARDYN_WEB__*, runtime/config-web.ts).
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { RunningGuardyn } from './app.ts';
import type { HttpRouter } from '../gateways/http/server.ts';
import { authService, mediaService, messagingService, presenceService } from '../gateways/grpc/proto.ts';
import { mountGrpcWeb, type GrpcWebTarget } from '../gateways/grpc-web/bridge.ts';
import { mountWebClient } from '../gateways/http/web-client.ts';

/** The address of this process's own listener on `host`, as a loopback client reaches it. */
export function loopbackAddress(host: string, port: number): string {
  if (host === '0.0.0.0' || host === '') return `127.0.0.1:${port}`;
  if (host === '::' || host === '[::]') return `[::1]:${port}`;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Mounts what is enabled; returns what stops it. */
export function mountBrowserRoutes(router: HttpRouter, config: GuardynConfig, ports: RunningGuardyn['ports'], logger: Logger): () => Promise<void> {
  let close = () => {};
  if (config.web.grpcWeb) {
    const targets: GrpcWebTarget[] = [];
    const add = (definition: GrpcWebTarget['definition'], port: number | undefined) => {
      if (port !== undefined) targets.push({ definition, address: loopbackAddress(config.host, port) });
    };
    add(authService, ports.auth);
    add(messagingService, ports.messaging);
    add(presenceService, ports.presence);
    add(mediaService, ports.media);
    const bridge = mountGrpcWeb(router, {
      targets,
      allowedOrigins: config.web.allowedOrigins,
      maxMessageBytes: config.web.maxMessageBytes,
      clientAddressHeader: config.limits.clientAddressHeader,
      logger: logger.child({ gateway: 'grpc-web' }),
    });
    close = () => bridge.close();
    logger.info({ services: targets.length }, 'gRPC-Web mounted on the notifications HTTP server');
  }
  if (config.web.client) {
    mountWebClient(router, { websocketPort: ports.websocket });
    logger.info({ path: '/' }, 'web client mounted on the notifications HTTP server');
  }
  return async () => close();
}
