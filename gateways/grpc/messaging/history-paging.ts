/**
 * The paging fields GetMessages and GetGroupMessages share: their validation,
 * what they mean for a history query, and the legacy pagination block of the
 * answer.
 */
import * as t from 'io-ts';
import type { HistoryQuery } from '../../../projections/timeline/paging.ts';
import { timestampToMs } from '../timestamps.ts';
import { Nullable, OptionalTimestamp, PageNumber, PageSizeWithDefault, StreamSeq } from '../../shared/validation.ts';
import type { PaginationResponse } from '../generated/guardyn/common/PaginationResponse.ts';

export const HistoryPageProps = {
  pagination: Nullable(t.type({ page: PageNumber, page_size: PageSizeWithDefault(50) })),
  limit: PageSizeWithDefault(50),
  start_time: OptionalTimestamp,
  end_time: OptionalTimestamp,
  min_seq: StreamSeq,
};

type HistoryPageRequest = t.TypeOf<t.TypeC<typeof HistoryPageProps>> & { readonly cursor: string };

/** `rawLimit`: the request's limit as sent (0 or absent: not given). */
export function historyQuery(rawLimit: number | undefined, r: HistoryPageRequest): HistoryQuery {
  return {
    // limit wins when given; else the legacy page_size; else the default.
    limit: rawLimit ? r.limit : (r.pagination?.page_size ?? r.limit),
    page: Math.max(1, r.pagination?.page ?? 1),
    cursor: r.cursor,
    fromTime: r.start_time ? timestampToMs(r.start_time) : undefined,
    // end_time is inclusive for clients; the view's bound is exclusive.
    toTime: r.end_time ? timestampToMs(r.end_time) + 1 : undefined,
    minSeq: r.min_seq,
  };
}

/** guardyn.common.PaginationResponse of a page. */
export function paginationOf(totalItems: number, page: number, limit: number): PaginationResponse {
  return { total_items: totalItems, total_pages: Math.ceil(totalItems / limit), current_page: page, page_size: limit };
}
