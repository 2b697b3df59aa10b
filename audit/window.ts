/**
 * A replay or audit window: each bound is a stream sequence (a whole number) or
 * a moment (ISO 8601 date-time, e.g. 2025-01-31T12:00:00Z). Bounds are inclusive.
 */
export type Bound = { readonly kind: 'seq'; readonly seq: number } | { readonly kind: 'time'; readonly ms: number };

export interface Window {
  readonly from?: Bound | undefined;
  readonly to?: Bound | undefined;
}

export class AuditArgumentError extends Error {
  override readonly name = 'AuditArgumentError';
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses `--from`/`--to`: a sequence (>= 1) or an ISO 8601 moment; throws AuditArgumentError naming the option. */
export function parseBound(raw: string, option: string): Bound {
  const value = raw.trim();
  if (/^\d+$/.test(value)) {
    const seq = Number(value);
    if (!Number.isSafeInteger(seq) || seq < 1)
      throw new AuditArgumentError(`${option} ${JSON.stringify(raw)}: a sequence must be a whole number from 1`);
    return { kind: 'seq', seq };
  }
  if (ISO.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return { kind: 'time', ms };
  }
  throw new AuditArgumentError(
    `${option} ${JSON.stringify(raw)} is neither a sequence (e.g. 1200) nor an ISO 8601 time (e.g. 2025-01-31T12:00:00Z)`,
  );
}

export function parseWindow(from: string | undefined, to: string | undefined): Window {
  const window: Window = {
    from: from === undefined ? undefined : parseBound(from, '--from'),
    to: to === undefined ? undefined : parseBound(to, '--to'),
  };
  const a = window.from;
  const b = window.to;
  if (
    a &&
    b &&
    a.kind === b.kind &&
    (a.kind === 'seq' ? a.seq > (b as { seq: number }).seq : a.ms > (b as { ms: number }).ms)
  ) {
    throw new AuditArgumentError('--from is after --to: the window is empty');
  }
  return window;
}

export function describeBound(b: Bound | undefined): string | number | null {
  if (b === undefined) return null;
  return b.kind === 'seq' ? b.seq : new Date(b.ms).toISOString();
}
