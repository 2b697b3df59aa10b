import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredCommit } from '../../streams/envelope.ts';
import { STREAMS } from '../../streams/subjects.ts';
import { defineProjection } from './define.ts';
import type { ProjectionTarget } from './projection.ts';

type Events =
  | { type: 'Counted'; data: { by: number } }
  | { type: 'Named'; data: { name: string } }
  | { type: 'Ignored'; data: { x: boolean } };

const target = {} as ProjectionTarget<string[]>;
const commit = (events: Events[]): StoredCommit =>
  ({ seq: 7, subject: 'messages.conv.c1', events }) as unknown as StoredCommit;

describe('defineProjection', () => {
  it('hands each event to the handler of its type, with its own data, in order, and skips the types it does not handle', async () => {
    const view = defineProjection<Events, string[]>({
      name: 'typed',
      stream: STREAMS.messages,
      target,
      on: {
        Counted: (e, c, tx) => {
          tx.push(`count ${e.data.by + 1} at ${c.seq}`);
        },
        Named: async (e, _c, tx) => {
          tx.push(`name ${e.data.name.toUpperCase()}`);
        },
      },
    });
    assert.equal(view.filterSubject, 'messages.>');
    assert.deepEqual(view.handles, ['Counted', 'Named']);
    const tx: string[] = [];
    await view.project(
      commit([
        { type: 'Named', data: { name: 'a' } },
        { type: 'Ignored', data: { x: true } },
        { type: 'Counted', data: { by: 1 } },
      ]),
      tx,
    );
    assert.deepEqual(tx, ['name A', 'count 2 at 7']);
  });

  it('passes a handler failure on (the runtime parks the commit)', async () => {
    const view = defineProjection<Events, string[]>({
      name: 'failing',
      stream: STREAMS.messages,
      target,
      on: {
        Counted: () => {
          throw new Error('refused');
        },
      },
    });
    await assert.rejects(async () => view.project(commit([{ type: 'Counted', data: { by: 1 } }]), []), /refused/);
  });

  it('with `subjects`, applies only the commits on those subjects (the checkpoint still follows the whole stream)', async () => {
    const view = defineProjection<Events, string[]>({
      name: 'devices',
      stream: STREAMS.accounts,
      subjects: 'accounts.device.',
      target,
      on: {
        Named: (e, c, tx) => {
          tx.push(`${c.subject} ${e.data.name}`);
        },
      },
    });
    assert.equal(view.filterSubject, 'accounts.>');
    const tx: string[] = [];
    const on = (subject: string): StoredCommit =>
      ({ seq: 1, subject, events: [{ type: 'Named', data: { name: 'n' } }] }) as unknown as StoredCommit;
    await view.project(on('accounts.user.u1'), tx);
    await view.project(on('accounts.device.u1.d1'), tx);
    assert.deepEqual(tx, ['accounts.device.u1.d1 n']);
    assert.throws(
      () =>
        defineProjection<Events, string[]>({
          name: 'off',
          stream: STREAMS.accounts,
          subjects: 'messages.conv.',
          target,
          on: { Named: () => undefined },
        }),
      /not on stream ACCOUNTS/,
    );
  });

  it('refuses a definition without handlers, or on a stream no view follows', () => {
    assert.throws(
      () => defineProjection<Events, string[]>({ name: 'empty', stream: STREAMS.messages, target, on: {} }),
      /handles no event type/,
    );
    assert.throws(
      () =>
        defineProjection<Events, string[]>({
          name: 'audit',
          stream: 'AUDIT' as typeof STREAMS.messages,
          target,
          on: { Named: () => undefined },
        }),
      /no view follows/,
    );
  });
});
