/**
 * What the presence engine reads besides the aggregate: the users the presence
 * view shows as present, page by page. The view implements it structurally and
 * bin/ passes it in; commands never import a view class.
 */

/** Users the presence view holds as present (a device ONLINE or AWAY), in user-id order. */
export interface PresentUsers {
  /** Up to `limit` user ids after `afterUserId` (from the start when absent). */
  present(limit: number, afterUserId?: string): Promise<string[]>;
}
