/**
 * The registry of replay's golden test (audit/replay-golden.test.ts), in a module of its own so
 * that replay's worker threads can load it: today's events plus one event type at version 2,
 * whose version 1 is upcast on the way in.
 */
import * as t from 'io-ts';
import { accountEvents } from '../streams/events/accounts.ts';
import { messageEvents } from '../streams/events/messages.ts';
import { deviceKeyEvents } from '../streams/events/devices.ts';
import { groupEvents } from '../streams/events/groups.ts';
import { mediaEvents } from '../streams/events/media.ts';
import { presenceEvents } from '../streams/events/presence.ts';
import { pushTokenEvents } from '../streams/events/push.ts';
import { defineEvent, EventRegistry } from '../streams/events/registry.ts';

const Renamed = defineEvent(
  'SampleRenamed',
  2,
  t.type({ id: t.string, title: t.string, at: t.number }),
  new Map([
    [
      1,
      {
        codec: t.type({ id: t.string, name: t.string }),
        up: (old: unknown) => ({ id: (old as { id: string }).id, title: (old as { name: string }).name, at: 0 }),
      },
    ],
  ]),
);
export const goldenRegistry = new EventRegistry().register(
  ...accountEvents,
  ...messageEvents,
  ...deviceKeyEvents,
  ...groupEvents,
  ...mediaEvents,
  ...presenceEvents,
  ...pushTokenEvents,
  Renamed,
);
