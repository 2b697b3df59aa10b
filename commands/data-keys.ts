/**
 * The per-user data keys the account's use cases seal personal data with (crypto-shredding,
 * decision 0023): the narrow interface they declare; stores/data-keys.ts implements it and
 * bin/ passes it in.
 */
import type { Sealed } from '../streams/events/accounts.ts';

export interface UserDataKeys {
  /** Creates the user's key (registration). */
  create(userId: string): Promise<void>;
  seal(userId: string, plaintext: string): Promise<Sealed>;
  /** The plaintext, or undefined when the user's key is gone. */
  open(userId: string, sealed: Sealed): Promise<string | undefined>;
  /** The plaintext, or what views show where the key is gone. */
  openOrRedacted(userId: string, sealed: Sealed): Promise<string>;
  /** Destroys the user's key: every value sealed with it becomes unreadable. */
  destroy(userId: string): Promise<void>;
}
