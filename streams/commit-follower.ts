/**
 * Follows a stream's commits from a known sequence, decoded once, in stream
 * order: the reader a gateway process uses to hand new messages to the devices
 * connected to it (gateways/delivery/live-hub.ts). Built on OrderedFollower, so
 * it survives the loss of the server holding its consumer without a gap.
 */
import { DeliverPolicy } from '@nats-io/jetstream';
import type { EventLog } from './log.ts';
import type { StoredCommit } from './envelope.ts';
import { OrderedFollower } from './pull.ts';

/** Messages the consumer keeps buffered ahead of the handler. */
const MAX_BUFFERED = 512;

export interface CommitSource {
  /** The stream's last sequence now (0: empty): a follower started after it sees everything new. */
  head(): Promise<number>;
  /** Commits with seq > `after`, in order, until `close()`; an undecodable commit reads as `undefined`, with its seq. */
  follow(after: number): CommitStream;
}

/**
 * One followed commit. `commit` is decoded when first read (then kept), so a reader that only needs
 * the position or the subject pays no decode; an undecodable commit reads as `undefined`.
 */
export interface FollowedCommit {
  readonly seq: number;
  readonly subject: string;
  readonly commit: StoredCommit | undefined;
}

export interface CommitStream extends AsyncIterable<FollowedCommit> {
  close(): Promise<void>;
}

/** A CommitSource over one stream of the log, optionally narrowed to a subject filter. */
export function commitSource(log: EventLog, stream: string, filterSubject?: string): CommitSource {
  return {
    head: () => log.lastSeq(stream),
    follow(after) {
      const follower = new OrderedFollower(
        log.js,
        stream,
        {
          // One filter as a string (the consumer's `filter_subject`): a list needs a 2.10 server.
          ...(filterSubject !== undefined ? { filter_subjects: filterSubject } : {}),
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: after + 1,
        },
        MAX_BUFFERED,
      );
      return {
        async *[Symbol.asyncIterator]() {
          for await (const m of follower) {
            let decoded = false;
            let commit: StoredCommit | undefined;
            yield {
              seq: m.seq,
              subject: m.subject,
              get commit() {
                if (decoded) return commit;
                decoded = true;
                try {
                  // The headers are parsed only if the commit's prev or hash is read (m.headers parses them).
                  commit = log.decode(stream, {
                    subject: m.subject,
                    seq: m.seq,
                    data: m.data,
                    get headers() {
                      return m.headers;
                    },
                  });
                } catch {
                  commit = undefined;
                }
                return commit;
              },
            };
          }
        },
        close: () => follower.close(),
      };
    },
  };
}
