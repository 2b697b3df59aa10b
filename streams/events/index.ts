/** Every event type Guardyn stores, in one registry. */
import { EventRegistry } from './registry.ts';
import { accountEvents } from './accounts.ts';
import { messageEvents } from './messages.ts';

export const eventRegistry = new EventRegistry().register(...accountEvents, ...messageEvents);

export * from './registry.ts';
export * from './codecs.ts';
