/**
 * What the account use cases read besides the aggregate: the narrow side of
 * the users view that the user directory asks first. The view implements it
 * structurally and bin/ passes it in; commands never import a view class.
 */

/** Who is registered, by id and by username, as far as the users view has applied. */
export interface UserIndex {
  /** True when the view holds the user (registered, not deleted). */
  has(userId: string): Promise<boolean>;
  /** The user id holding a username (case-insensitive); undefined when the view knows none. */
  idByUsername(username: string): Promise<string | undefined>;
}
