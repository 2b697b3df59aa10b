/**
 * Leases on units of projection work (a partition of the partitioned views, or
 * the single-owner views), held in a small JetStream stream of their own: one
 * subject per unit (`leases.unit.<unit>`) whose last message says who holds it
 * and until when, and one per worker (`leases.worker.<id>`), its heartbeat.
 *
 * Taking or renewing a lease is a publish with expected-last-subject-sequence:
 * of two workers racing for a unit, one wins. The sequence of the publish that
 * took a unit is the owner's epoch: it only grows, so a later owner's epoch is
 * always higher, and the view stores refuse writes fenced with an older one
 * (ProjectionTarget.claim / commit). A live worker renews every third of the
 * lease time; a worker that cannot renew stops applying the unit before its
 * lease runs out, and one that finds another owner on the subject stops at
 * once. A dead worker's units are free once its `until` has passed: taking
 * them needs no clock agreement for safety (the fence covers that), only for
 * how soon.
 *
 * Balance: every worker takes at most its fair share, ceil(units / live
 * workers), live meaning a heartbeat younger than the lease time, and gives
 * back what it holds beyond it (after stopping that work), so a worker that
 * joins gets its share within a few renewals.
 */
import * as t from 'io-ts';
import { isRight } from 'fp-ts/lib/Either.js';
import type { Logger } from 'pino';
import { token } from '../../streams/subjects.ts';
import { LeaseRaceLost, type LeaseLog } from '../../streams/lease-log.ts';
import { projectionLeaseChanges, projectionLeasesHeld } from '../../runtime/metrics.ts';

export { LEASE_STREAM } from '../../streams/lease-log.ts';
const UNIT = 'leases.unit.';
const WORKER = 'leases.worker.';

const leaseRecord = t.type({ worker: t.string, until: t.number });
type LeaseRecord = t.TypeOf<typeof leaseRecord>;

export interface LeaseHandlers {
  /** Start the unit's work as owner `epoch`; a throw gives the lease back. */
  acquired(unit: string, epoch: number): Promise<void>;
  /** Stop the unit's work (the lease was lost or is being given back); resolves once stopped. */
  released(unit: string): Promise<void>;
}

export interface LeaseOptions {
  readonly workerId: string;
  readonly units: readonly string[];
  readonly leaseMs: number;
  readonly replicas: number;
  readonly logger: Logger;
}

interface Held {
  epoch: number;
  /** Sequence of our last publish on the unit's subject (the expected one for the next). */
  rev: number;
  /** When our last renewal was acknowledged (local clock). */
  renewedAt: number;
}

export class LeaseKeeper {
  private readonly held = new Map<string, Held>();
  private readonly busy = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly leases: LeaseLog,
    private readonly options: LeaseOptions,
    private readonly handlers: LeaseHandlers,
  ) {
    token(options.workerId, 'worker id');
    for (const u of options.units) token(u, 'lease unit');
  }

  async start(): Promise<void> {
    await this.leases.ensure(this.options.replicas);
    await this.tick();
    this.schedule();
  }

  /** The units this worker holds now. */
  owned(): string[] {
    return [...this.held.keys()].sort();
  }

  /** Work of `unit` found itself fenced: drop the lease at once (the next round may take it again). */
  lost(unit: string): void {
    if (!this.held.has(unit)) return;
    this.held.delete(unit);
    this.counted('fenced');
    this.options.logger.warn({ unit }, 'lease lost (fenced)');
    void this.handlers.released(unit);
  }

  /** Stops renewing; the work of held units is stopped and their leases given back. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    for (const unit of this.owned()) await this.giveBack(unit);
    await this.publish(`${WORKER}${this.options.workerId}`, { worker: this.options.workerId, until: 0 }).catch(
      () => undefined,
    );
  }

  private counted(kind: 'taken' | 'given_back' | 'lost' | 'fenced'): void {
    projectionLeaseChanges.inc({ kind });
    projectionLeasesHeld.set(this.held.size);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(
      () => {
        this.ticking = this.tick()
          .catch((err: Error) => this.options.logger.error({ err: err.message }, 'lease round failed'))
          .finally(() => this.schedule());
      },
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
  }

  /** One round: heartbeat, renew, give back beyond the fair share, take free units up to it. */
  private async tick(): Promise<void> {
    const { workerId, leaseMs, units, logger } = this.options;
    const now = Date.now();
    await this.publish(`${WORKER}${workerId}`, { worker: workerId, until: now + leaseMs }).catch((err: Error) =>
      logger.warn({ err: err.message }, 'heartbeat failed'),
    );
    await this.renew();
    if (this.stopped) return;
    const live = await this.liveWorkers();
    const share = Math.ceil(units.length / Math.max(1, live));
    // Give back beyond the share (the highest units first, so workers converge on a split).
    for (const unit of this.owned()
      .reverse()
      .slice(0, Math.max(0, this.held.size - share)))
      await this.giveBack(unit);
    for (const unit of units) {
      if (this.held.size >= share || this.stopped) break;
      if (this.held.has(unit) || this.busy.has(unit)) continue;
      await this.tryTake(unit);
    }
  }

  private async renew(): Promise<void> {
    const { workerId, leaseMs, logger } = this.options;
    for (const [unit, h] of [...this.held]) {
      const now = Date.now();
      try {
        const seq = await this.publish(`${UNIT}${unit}`, { worker: workerId, until: now + leaseMs }, h.rev);
        h.rev = seq;
        h.renewedAt = now;
      } catch (err) {
        if (isWrongLast(err)) {
          logger.warn({ unit, epoch: h.epoch }, 'lease taken by another worker; stopping the unit');
          this.held.delete(unit);
          this.counted('lost');
          await this.handlers.released(unit);
        } else if (Date.now() - h.renewedAt > leaseMs - Math.max(100, leaseMs / 4)) {
          // Cannot renew: stop before the lease can run out and another worker take the unit.
          logger.warn(
            { unit, epoch: h.epoch, err: (err as Error).message },
            'lease not renewed in time; stopping the unit',
          );
          this.held.delete(unit);
          this.counted('lost');
          await this.handlers.released(unit);
        }
      }
    }
  }

  private async giveBack(unit: string): Promise<void> {
    const h = this.held.get(unit);
    if (!h) return;
    this.held.delete(unit);
    this.counted('given_back');
    this.busy.add(unit);
    try {
      await this.handlers.released(unit);
      await this.publish(`${UNIT}${unit}`, { worker: '', until: 0 }, h.rev).catch(() => undefined);
      this.options.logger.info({ unit }, 'lease given back');
    } finally {
      this.busy.delete(unit);
    }
  }

  private async tryTake(unit: string): Promise<void> {
    const { workerId, leaseMs, logger } = this.options;
    const current = await this.read(`${UNIT}${unit}`);
    const now = Date.now();
    if (
      current !== undefined &&
      current.record.worker !== '' &&
      current.record.until > now &&
      current.record.worker !== workerId
    )
      return;
    let epoch: number;
    try {
      epoch = await this.publish(`${UNIT}${unit}`, { worker: workerId, until: now + leaseMs }, current?.seq ?? 0);
    } catch (err) {
      if (isWrongLast(err)) return; // another worker was faster
      throw err;
    }
    this.held.set(unit, { epoch, rev: epoch, renewedAt: now });
    this.counted('taken');
    this.busy.add(unit);
    try {
      await this.handlers.acquired(unit, epoch);
      logger.info({ unit, epoch, from: current?.record.worker ?? '' }, 'lease taken');
    } catch (err) {
      logger.error({ unit, epoch, err: (err as Error).message }, 'could not start the unit; giving the lease back');
      this.busy.delete(unit);
      await this.giveBack(unit);
    } finally {
      this.busy.delete(unit);
    }
  }

  private async liveWorkers(): Promise<number> {
    const now = Date.now();
    let live = 0;
    for (const subject of await this.leases.subjects(`${WORKER}*`)) {
      const r = await this.read(subject);
      if (r !== undefined && r.record.until > now) live++;
    }
    return Math.max(1, live);
  }

  private async read(subject: string): Promise<{ seq: number; record: LeaseRecord } | undefined> {
    const m = await this.leases.last(subject);
    if (m === undefined) return undefined;
    const decoded = leaseRecord.decode(m.value);
    // A record that does not decode counts as free (its sequence still guards the takeover).
    return { seq: m.seq, record: isRight(decoded) ? decoded.right : { worker: '', until: 0 } };
  }

  /** Publishes a record; with `expected`, only if the subject's last sequence is still that. Resolves the new sequence. */
  private publish(subject: string, record: LeaseRecord, expected?: number): Promise<number> {
    return this.leases.write(subject, record, Math.max(500, Math.floor(this.options.leaseMs / 3)), expected);
  }
}

function isWrongLast(err: unknown): boolean {
  return err instanceof LeaseRaceLost;
}
