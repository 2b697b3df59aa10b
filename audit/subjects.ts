/** Subject filters against stream subjects (NATS tokens, `*` one token, `>` the rest). */

/** Whether some subject could match both patterns. */
export function subjectsOverlap(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i++) {
    const p = x[i];
    const q = y[i];
    if (p === '>' || q === '>') return p !== undefined && q !== undefined;
    if (p === undefined || q === undefined) return p === q;
    if (p !== '*' && q !== '*' && p !== q) return false;
  }
}

const FILTER = /^([A-Za-z0-9_-]+|\*)(\.([A-Za-z0-9_-]+|\*))*(\.>)?$|^>$/;

/** A well-formed subject filter: tokens of [A-Za-z0-9_-], `*`, and `>` only at the end. */
export function isSubjectFilter(s: string): boolean {
  return s.length <= 512 && FILTER.test(s);
}
