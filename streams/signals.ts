/**
 * Signals: the port for core NATS publish/subscribe, the ephemeral side of
 * Guardyn (device connections, typing indicators, inbox wake-ups, delivery
 * receipts). Nothing published here is stored: no stream captures these
 * subjects (streams/specs.ts), delivery is at most once, and a signal nobody
 * listens to is dropped. Each kind of signal has its subject and codec beside
 * its module in streams/ (typing.ts, connections.ts, delivery-receipts.ts,
 * inbox-wakeups.ts); the rest of Guardyn holds a `Signals`, never a NATS
 * connection.
 *
 * One process's signals share the event log's connection (EventLog.signals):
 * what one part publishes reaches another part of the same process in order,
 * and `flush()` returns once the server has everything sent before it.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { serverList } from '../runtime/nats-servers.ts';

/** One received signal. */
export interface Signal {
  readonly subject: string;
  readonly data: Uint8Array;
}

/** Ends a subscription (idempotent). */
export type Unsubscribe = () => void;

export interface Signals {
  /**
   * Publishes one signal (fire and forget). Throws when the subject is not
   * valid or the connection is closed or draining (`closed` tells beforehand).
   */
  publish(subject: string, data?: Uint8Array | string): void;
  /**
   * Calls `onSignal` for every signal on `subject` (`*` and `>` wildcards
   * allowed) until the returned function is called. A listener that throws
   * does not end the subscription.
   */
  subscribe(subject: string, onSignal: (signal: Signal) => void): Unsubscribe;
  /** Resolves once the server has received everything sent before (publishes and subscriptions). */
  flush(): Promise<void>;
  /** Whether the connection is closed: nothing is sent or received any more. */
  readonly closed: boolean;
}

/** Signals over a connection somebody else owns (the event log's). */
export function natsSignals(nc: NatsConnection): Signals {
  return {
    publish: (subject, data) => nc.publish(subject, data),
    subscribe(subject, onSignal) {
      const sub = nc.subscribe(subject, {
        callback: (err, msg) => {
          if (err) return;
          try {
            onSignal({ subject: msg.subject, data: msg.data });
          } catch {
            // a listener's fault is its own: the subscription goes on
          }
        },
      });
      return () => sub.unsubscribe();
    },
    flush: () => nc.flush(),
    get closed() {
      return nc.isClosed();
    },
  };
}

/** Signals on a connection of their own (tools, tests); `close()` ends it. */
export interface OwnedSignals extends Signals {
  close(): Promise<void>;
}

/** Connects to NATS (a URL or a comma-separated list) for signals only. */
export async function connectSignals(url: string, name = 'guardyn-signals'): Promise<OwnedSignals> {
  const nc = await connect({ servers: serverList(url), name });
  return Object.assign(natsSignals(nc), { close: () => nc.close() });
}
