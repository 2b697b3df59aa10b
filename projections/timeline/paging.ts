/**
 * What every history query of the timeline shares (GetMessages, GetGroupMessages):
 * its fields (HistoryQuery), the cursor or legacy page number and the time range.
 * The read-your-writes wait for `min_seq` is projections/query/progress.ts.
 */
import { left, right, type Either } from 'fp-ts/lib/Either.js';
import { domainError, type DomainError } from '../../commands/handler/decider.ts';
import { cursor } from './queries.ts';

/** Deepest legacy page reachable by number (page × size); beyond it clients must use cursors. */
export const MAX_PAGE_DEPTH = 10_000;

export interface PagingInput {
  readonly limit: number;
  /** 1-based legacy page number; ignored when a cursor is given. */
  readonly page: number;
  readonly cursor: string;
}

/**
 * The fields of a history query (GetMessages, GetGroupMessages; gateways/grpc/messaging/history-paging.ts
 * maps the requests' fields onto it): the page, the time range and the read-your-writes sequence.
 */
export interface HistoryQuery extends PagingInput {
  /** Oldest time to include (ms), or no lower bound. */
  readonly fromTime: number | undefined;
  /** Exclusive upper time bound (ms), or none. */
  readonly toTime: number | undefined;
  /** Wait (bounded) until the views have applied this stream sequence; 0: do not wait. */
  readonly minSeq: number;
}

export interface Paging {
  /** Read rows before this position (from the cursor). */
  readonly before: number | undefined;
  /** The legacy page (1 when a cursor is used). */
  readonly page: number;
}

/** The cursor or page of a request; INVALID_REQUEST for a cursor this server did not issue or a page too deep. */
export function pagingOf(input: PagingInput): Either<DomainError, Paging> {
  if (input.cursor) {
    const before = cursor.decode(input.cursor);
    if (before === undefined)
      return left(domainError('INVALID_REQUEST', 'invalid request: cursor is not one this server issued', 'cursor'));
    return right({ before, page: 1 });
  }
  if (input.page * input.limit > MAX_PAGE_DEPTH) {
    return left(
      domainError(
        'INVALID_REQUEST',
        `invalid request: pages beyond ${MAX_PAGE_DEPTH} messages need the cursor`,
        'pagination.page',
      ),
    );
  }
  return right({ before: undefined, page: Math.max(1, input.page) });
}

/** The time range of a page query, leaving out the bounds not given. */
export function timeRange(input: { readonly fromTime: number | undefined; readonly toTime: number | undefined }): {
  fromTime?: number;
  toTime?: number;
} {
  return {
    ...(input.fromTime === undefined ? {} : { fromTime: input.fromTime }),
    ...(input.toTime === undefined ? {} : { toTime: input.toTime }),
  };
}
