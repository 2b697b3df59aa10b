/**
 * The partition count a partitioned view was built with, kept beside the views
 * (`proj-layout/<view>` in the key-value store). A view's partitions are only
 * meaningful for the count that made them: started with another count (or
 * unpartitioned after being split, or split after being built whole), workers
 * would apply commits again over a view that already holds them. So workers
 * check the record before they start, and a rebuild writes it.
 */
import type { KvStore } from '../../stores/kv/port.ts';
import { key } from '../../stores/kv/keys.ts';
import type { Projection } from './projection.ts';
import { isPartitioned, PARTITIONED_VIEWS } from './partitions.ts';

export const layoutKey = (view: string) => key('proj-layout', view);

export class LayoutMismatch extends Error {
  override readonly name = 'LayoutMismatch';
}

async function recorded(kv: KvStore, view: string): Promise<number | undefined> {
  const raw = await kv.get(layoutKey(view));
  return raw === undefined ? undefined : Number(Buffer.from(raw).toString('utf8'));
}

/** After a rebuild with `n` partitions: the view's record (none for an unpartitioned view). */
export async function recordLayout(kv: KvStore, view: string, n: number): Promise<void> {
  if (!PARTITIONED_VIEWS.includes(view)) return;
  if (isPartitioned(view, n)) await kv.put(layoutKey(view), Buffer.from(String(n)));
  else await kv.delete(layoutKey(view));
}

/**
 * Before workers apply anything: every partitionable view must have been built with `n`
 * partitions. A view without a record is taken as built unpartitioned when it has a
 * checkpoint, and as new (the record is written) when it has none.
 */
export async function checkLayout(kv: KvStore, projections: readonly Projection<unknown>[], n: number): Promise<void> {
  for (const p of projections) {
    if (!PARTITIONED_VIEWS.includes(p.name)) continue;
    const want = isPartitioned(p.name, n) ? n : 1;
    let have = await recorded(kv, p.name);
    if (have === undefined && want > 1) {
      if ((await p.target.checkpoint(p.name)) > 0) have = 1;
      else {
        // A new view: the first worker records the count (a concurrent one with the same count agrees).
        const swap = await kv.compareAndSwap(layoutKey(p.name), null, Buffer.from(String(want)));
        have = swap.swapped ? want : Number(Buffer.from(swap.previous!).toString('utf8'));
      }
    }
    if ((have ?? 1) !== want) {
      throw new LayoutMismatch(
        `view ${p.name} was built with ${have ?? 1} partition(s) and GUARDYN_PROJECTIONS__PARTITIONS asks for ${want}: ` +
          `set it back to ${have ?? 1}, or stop the workers and run \`guardyn rebuild all\` with the new count`,
      );
    }
  }
}
