/** The public entry of the event-log layer. */
export * from './subjects.ts';
export * from './capabilities.ts';
export * from './errors.ts';
export * from './envelope.ts';
export * from './hash-chain.ts';
export * from './specs.ts';
export * from './log.ts';
export { eventRegistry } from './events/index.ts';
export type { DomainEvent, EventRegistry } from './events/registry.ts';
