/**
 * Group rosters for live delivery: a group loaded from its aggregate (as of
 * now) gives the members at the message's point of the stream, the changes
 * after it undone; a group seen created is kept current by the stream.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { StoredCommit } from '../../streams/envelope.ts';
import { GroupRosters, type RosterSource } from './group-rosters.ts';

type Change = {
  seq: number;
  type: 'GroupMemberAdded' | 'GroupMemberRemoved' | 'GroupMemberLeft' | 'GroupMessageSent';
  userId: string;
};

const G = 'g1';

function commit(c: Change): StoredCommit {
  return { seq: c.seq, events: [{ type: c.type, data: { groupId: G, userId: c.userId } }] } as unknown as StoredCommit;
}

/** A source whose aggregate is the initial members with every change applied. */
function sourceOf(initial: readonly string[], changes: readonly Change[]): RosterSource & { loads: number } {
  const source = {
    loads: 0,
    async load() {
      source.loads++;
      const members = new Set(initial);
      for (const c of changes) {
        if (c.type === 'GroupMemberAdded') members.add(c.userId);
        else if (c.type !== 'GroupMessageSent') members.delete(c.userId);
      }
      return { members, seq: changes.length === 0 ? 1 : changes[changes.length - 1]!.seq };
    },
    async *commitsFrom(_groupId: string, fromSeq: number) {
      for (const c of changes) if (c.seq >= fromSeq) yield commit(c);
    },
  };
  return source;
}

describe('group rosters', () => {
  it('gives the members at the message, not as of now: a later addition does not see it, a later removal does', async () => {
    const changes: Change[] = [
      { seq: 2, type: 'GroupMessageSent', userId: 'a' },
      { seq: 3, type: 'GroupMemberAdded', userId: 'late' },
      { seq: 4, type: 'GroupMemberRemoved', userId: 'b' },
    ];
    const rosters = new GroupRosters(sourceOf(['a', 'b'], changes));
    assert.deepEqual([...(await rosters.membersAt(G, 2))].sort(), ['a', 'b']);
    // From here the stream keeps it current.
    rosters.apply({ type: 'GroupMemberAdded', data: { groupId: G, userId: 'late' } });
    rosters.apply({ type: 'GroupMemberRemoved', data: { groupId: G, userId: 'b' } });
    assert.deepEqual([...(await rosters.membersAt(G, 5))].sort(), ['a', 'late']);
  });

  it('knows a group from its creation without loading it', async () => {
    const source = sourceOf([], []);
    const rosters = new GroupRosters(source);
    rosters.apply({
      type: 'GroupCreated',
      data: {
        groupId: G,
        members: [
          { userId: 'o', role: 'owner' },
          { userId: 'm', role: 'member' },
        ],
      },
    });
    rosters.apply({ type: 'GroupMemberLeft', data: { groupId: G, userId: 'm' } });
    assert.deepEqual([...(await rosters.membersAt(G, 9))], ['o']);
    assert.equal(source.loads, 0);
  });

  it('for any history of joins and leaves, the roster at any message is the members at that point', async () => {
    const users = ['u1', 'u2', 'u3', 'u4'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ add: fc.boolean(), user: fc.constantFrom(...users) }), { maxLength: 20 }),
        fc.nat(),
        async (steps, pick) => {
          // A valid history (adds only of non-members, removals only of members), messages in between.
          const members = new Set(['u1']);
          const changes: Change[] = [];
          const truth = new Map<number, string[]>();
          let seq = 1;
          for (const s of steps) {
            seq++;
            if (s.add && !members.has(s.user)) {
              members.add(s.user);
              changes.push({ seq, type: 'GroupMemberAdded', userId: s.user });
            } else if (!s.add && members.has(s.user)) {
              members.delete(s.user);
              changes.push({ seq, type: 'GroupMemberRemoved', userId: s.user });
            }
            seq++;
            changes.push({ seq, type: 'GroupMessageSent', userId: 'u1' });
            truth.set(seq, [...members].sort());
          }
          if (truth.size === 0) return;
          const at = [...truth.keys()][pick % truth.size]!;
          const rosters = new GroupRosters(sourceOf(['u1'], changes));
          assert.deepEqual([...(await rosters.membersAt(G, at))].sort(), truth.get(at));
        },
      ),
      { numRuns: 200 },
    );
  });
});
