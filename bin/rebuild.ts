/** `guardyn rebuild <view>`: rebuild views from their streams (stop the projection workers first). */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { allProjections, VIEW_NAMES, type ViewName } from '../projections/index.ts';
import { rebuildView } from '../projections/rebuild.ts';
import { openContext } from './context.ts';

export { VIEW_NAMES };

export async function rebuildViews(config: GuardynConfig, logger: Logger, views: readonly ViewName[]): Promise<void> {
  const ctx = await openContext(config, logger, { startLocalNats: false });
  try {
    const projections = allProjections(ctx.stores, ctx.log);
    for (const view of views) {
      const result = await rebuildView(ctx.log, projections[view], logger.child({ view }));
      logger.info({ view, ...result }, 'view rebuilt');
    }
  } finally {
    await ctx.close();
  }
}
