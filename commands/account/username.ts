/**
 * The username aggregate (subject accounts.username.<sha256 of the lower-cased name>): a name is claimed
 * once, by appending to its own subject with expected sequence 0. No lock and no
 * index are needed for uniqueness. The subject is a hash of the name and the
 * event carries only the user id: the name itself is never stored here.
 */
import { left, right } from 'fp-ts/lib/Either.js';
import { UsernameClaimed } from '../../streams/events/accounts.ts';
import type { EventOf } from '../../streams/events/registry.ts';
import { domainError, type Decider } from '../handler/decider.ts';

export type UsernameEvent = EventOf<typeof UsernameClaimed>;

export interface ClaimUsername {
  readonly kind: 'ClaimUsername';
  readonly username: string;
  readonly userId: string;
  readonly at: number;
}

export interface UsernameState {
  readonly claimedBy: string | undefined;
}

export const usernameDecider: Decider<ClaimUsername, UsernameEvent, UsernameState> = {
  initialState: { claimedBy: undefined },
  decide(command, state) {
    if (state.claimedBy === command.userId) return right([]);
    if (state.claimedBy !== undefined)
      return left(domainError('CONFLICT', `username ${command.username} is taken`, 'username'));
    return right([{ type: 'UsernameClaimed', data: { userId: command.userId, at: command.at } }]);
  },
  evolve(state, event) {
    return event.type === 'UsernameClaimed' && state.claimedBy === undefined ? { claimedBy: event.data.userId } : state;
  },
};
