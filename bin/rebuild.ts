/** `guardyn rebuild <view>`: rebuild views from their streams (stop the projection workers first). */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import { allProjections, VIEW_NAMES, type ViewName } from '../projections/index.ts';
import { rebuildView } from '../projections/runtime/rebuild.ts';
import { isPartitioned } from '../projections/runtime/partitions.ts';
import { recordLayout } from '../projections/runtime/layout.ts';
import { recordVersion } from '../projections/runtime/versions.ts';
import { openContext } from './context.ts';
import path from 'node:path';
import { rebuildBesideLive } from '../audit/blue-green.ts';

export { VIEW_NAMES };

export async function rebuildViews(config: GuardynConfig, logger: Logger, views: readonly ViewName[]): Promise<void> {
  const ctx = await openContext(config, logger, { startLocalNats: false });
  try {
    const projections = allProjections(ctx.stores, ctx.log);
    for (const view of views) {
      const result = await rebuildView(
        ctx.log,
        projections[view],
        logger.child({ view }),
        config.projections.partitions,
      );
      await recordLayout(ctx.stores.kv, view, config.projections.partitions);
      await recordVersion(ctx.stores.kv, view);
      logger.info({ view, ...result }, 'view rebuilt');
    }
  } finally {
    await ctx.close();
  }
}

/**
 * `guardyn rebuild <view> --verify [--switch]`: rebuild beside the live view, report the
 * differences, and switch over only with --switch and once caught up. Returns the exit code:
 * 0 when the views match or the switch happened, 1 when they differ (or the switch was refused).
 */
export async function rebuildVerified(
  config: GuardynConfig,
  logger: Logger,
  view: ViewName,
  switchOver: boolean,
): Promise<number> {
  if (isPartitioned(view, config.projections.partitions)) {
    process.stderr.write(
      `guardyn rebuild ${view} --verify: the view is split into ${config.projections.partitions} partitions (GUARDYN_PROJECTIONS__PARTITIONS); --verify compares unpartitioned views only: rebuild it in place, or into a fresh GUARDYN_DATA_DIR and compare\n`,
    );
    return 2;
  }
  const ctx = await openContext(config, logger, { startLocalNats: false });
  try {
    const result = await rebuildBesideLive(
      ctx.log,
      ctx.stores,
      { view, greenDir: path.join(config.dataDir, 'views-green', view), switchOver },
      logger.child({ view, version: 'green' }),
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    const differ =
      result.rows.changed + result.rows.onlyLive + result.rows.onlyNew > 0 ||
      result.liveCheckpoint !== result.newCheckpoint;
    process.stderr.write(
      `guardyn rebuild ${view} --verify: live at ${result.liveCheckpoint}, new version at ${result.newCheckpoint} (stream at ${result.streamLastSeq}); ` +
        `${result.rows.same} rows the same, ${result.rows.changed} changed, ${result.rows.onlyLive} only in the live view, ${result.rows.onlyNew} only in the new version` +
        `${result.switched ? '; switched over' : result.notSwitched ? `; not switched: ${result.notSwitched}` : differ ? '; run again with --switch to switch over' : ''}\n`,
    );
    if (result.switched) {
      await recordVersion(ctx.stores.kv, view);
      return 0;
    }
    return differ || result.notSwitched !== undefined ? 1 : 0;
  } finally {
    await ctx.close();
  }
}
