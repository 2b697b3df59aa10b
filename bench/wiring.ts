/**
 * What some benchmarks take from the wiring. Only bin/ builds and wires the parts, and bin/ runs
 * the benchmarks (`guardyn bench`), so bin/guardyn.ts hands these over to runBench and the
 * benchmarks never import bin/ (no folder cycle between bin/ and bench/).
 */
import type { Logger } from 'pino';
import type { GuardynConfig } from '../runtime/config.ts';
import type { Projection } from '../projections/runtime/projection.ts';

/** The roles the in-process benchmarks start (a subset of bin/app.ts ROLES). */
export type BenchRole = 'auth' | 'messaging' | 'presence' | 'projections' | 'media' | 'notifications' | 'calls';

/** A Guardyn started in the benchmark's process: the ports its servers listen on. */
export interface BenchGuardyn {
  readonly ports: { readonly auth?: number; readonly messaging?: number; readonly calls?: number };
  stop(): Promise<void>;
}

export interface BenchWiring {
  /** Guardyn with `roles` in this process (bin/app.ts startGuardyn). */
  startGuardyn(
    config: GuardynConfig,
    logger: Logger,
    roles: readonly BenchRole[],
    options: { startLocalNats: boolean },
  ): Promise<BenchGuardyn>;
  /** The serving processes of `guardyn up`, in start order (bin/supervisor.ts UP_GROUPS). */
  readonly upGroups: readonly { readonly name: string; readonly roles: readonly string[] }[];
  /** Where `guardyn up` writes the pid of a group's serving process (bin/supervisor.ts). */
  servePidFile(dataDir: string, group: string): string;
  /** The views of each reader, as the projection worker groups them (bin/projection-workers.ts byReader). */
  byReader(projections: readonly Projection<unknown>[]): readonly { readonly projections: Projection<unknown>[] }[];
}
