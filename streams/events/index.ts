/** Every event type Guardyn stores, in one registry. */
import { EventRegistry } from './registry.ts';
import { accountEvents } from './accounts.ts';
import { messageEvents } from './messages.ts';
import { deviceKeyEvents } from './devices.ts';
import { groupEvents } from './groups.ts';
import { mediaEvents } from './media.ts';
import { presenceEvents } from './presence.ts';
import { pushTokenEvents } from './push.ts';
import { callEvents } from './calls.ts';

export const eventRegistry = new EventRegistry().register(...accountEvents, ...messageEvents);
eventRegistry.register(...deviceKeyEvents);
eventRegistry.register(...groupEvents);
eventRegistry.register(...mediaEvents);
eventRegistry.register(...presenceEvents);
eventRegistry.register(...pushTokenEvents);
eventRegistry.register(...callEvents);

export * from './registry.ts';
export * from './codecs.ts';
