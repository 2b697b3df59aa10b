/**
 * Argument checks of the timeline port, shared by its adapters. Each adapter
 * adds its own limits (key sizes) through the partition and name checks it
 * passes in; the rest is the port's contract.
 */
import { MAX_PAGE_LIMIT, type PageOptions, type TimelineRow } from './port.ts';

export type PartitionCheck = (partition: unknown, field?: string) => void;
export type NameCheck = (name: unknown) => void;

export function requirePosition(position: unknown, field = 'position'): asserts position is number {
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 1) {
    throw new RangeError(`${field} must be a positive safe integer, got ${String(position)}`);
  }
}

export function requireRow(row: TimelineRow, index: number, requirePartition: PartitionCheck): void {
  const field = `rows[${index}]`;
  if (typeof row !== 'object' || row === null) throw new TypeError(`${field} must be an object`);
  requirePartition(row.partition, `${field}.partition`);
  requirePosition(row.position, `${field}.position`);
  if (typeof row.time !== 'number' || !Number.isSafeInteger(row.time)) {
    throw new RangeError(`${field}.time must be an integer number of milliseconds, got ${String(row.time)}`);
  }
  if (!(row.value instanceof Uint8Array)) throw new TypeError(`${field}.value must be a Uint8Array`);
  requireVersion(row.version, `${field}.version`);
}

/** An optional version (TimelineRow.version): a non-negative safe integer. */
export function requireVersion(version: unknown, field: string): void {
  if (version !== undefined && (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)) {
    throw new RangeError(`${field} must be a non-negative safe integer, got ${String(version)}`);
  }
}

/** A checkpoint name: a non-empty string (adapters add their size limits). */
export function requireCheckpointName(name: unknown): asserts name is string {
  if (typeof name !== 'string') throw new TypeError(`checkpoint name must be a string, got ${typeof name}`);
  if (name.length === 0) throw new RangeError('checkpoint name must not be empty');
}

export function requireCheckpoint(
  checkpoint: { readonly name: string; readonly position: number; readonly version?: number },
  requireName: NameCheck,
): void {
  if (typeof checkpoint !== 'object' || checkpoint === null) throw new TypeError('checkpoint must be an object');
  requireName(checkpoint.name);
  const { position } = checkpoint;
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`checkpoint position must be a non-negative safe integer, got ${String(position)}`);
  }
  requireVersion(checkpoint.version, 'checkpoint version');
}

export function requirePageOptions(options: PageOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('page options must be an object');
  const { limit, before, fromTime, toTime } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new RangeError(`page limit must be an integer from 1 to ${MAX_PAGE_LIMIT}, got ${String(limit)}`);
  }
  if (before !== undefined) requirePosition(before, 'page before');
  for (const [field, value] of [
    ['fromTime', fromTime],
    ['toTime', toTime],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new RangeError(`page ${field} must be a finite number of milliseconds, got ${String(value)}`);
    }
  }
}
