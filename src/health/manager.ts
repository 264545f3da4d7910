/**
 * The health manager: watches the clusters whose health registrations it owns and recovers
 * their failed nodes.
 *
 * Ownership lives in the database (`health_registry.engine_id` = this manager's service id).
 * Every sweep (half a `periodic_interval`, and also right when another manager's heartbeat is
 * about to become too old) claims the registrations nobody live owns (new ones, those of
 * managers whose heartbeat is older than 2 × `periodic_interval`, those of stopped managers),
 * takes some from busier live managers so that all share the load, deletes the service rows of
 * dead managers, and starts or stops its cluster watches to match what it owns. A stopping
 * manager hands its registrations back, so the others claim them at their next sweep.
 */
import type { EngineServices } from '../engine/services.js';
import type { NotificationSource, ResourceEvent } from '../messaging/types.js';
import { LIFECYCLE_EVENTS } from './check-plan.js';
import type { WatchEnv, WatchSnapshot } from './cluster-watch.js';
import { ClusterWatch } from './cluster-watch.js';
import { liveManagers, nextDeadline, planTakeovers } from './distribution.js';
import { findEventNode } from './event-routing.js';
import { Limiter } from './limiter.js';
import {
  claimOrphans,
  countByOwner,
  deleteDeadManagers,
  getRegistration,
  listManagers,
  listOwnedRegistrations,
  releaseAll,
  takeFrom,
} from './registry-store.js';
import { isRecoverableEvent } from './watch-rules.js';

/** What a health manager is made of. */
export interface HealthManagerDeps {
  /** Database, configuration, cloud, bus (wakes the local engine), logger and clock. */
  readonly services: EngineServices;
  /** This manager's service id: its `service` row, heartbeated by whoever started it. */
  readonly serviceId: string;
  /**
   * Notifications about cloud resources (Nova servers, Heat stacks) for clusters registered
   * with LIFECYCLE_EVENTS; without it such clusters are not watched for events.
   */
  readonly notificationSource?: NotificationSource;
}

/** Outcome of one sweep. */
export interface SweepResult {
  /** Registrations claimed from nobody or from dead managers. */
  readonly claimed: number;
  /** Registrations taken from busier live managers. */
  readonly taken: number;
  /** Clusters this manager watches after the sweep. */
  readonly watching: number;
}

/** Multiple of `periodic_interval` after which a manager without heartbeat is dead. */
const DEAD_AFTER_INTERVALS = 2;
/** Multiple of `periodic_interval` after which a dead manager's service row is deleted. */
const CLEANUP_AFTER_INTERVALS = 2.2;

/** A health manager; start() it, stop() it at shutdown. */
export class HealthManager {
  readonly id: string;
  readonly #svc: EngineServices;
  readonly #source: NotificationSource | undefined;
  readonly #watches = new Map<string, ClusterWatch>();
  readonly #env: WatchEnv;
  #timer: NodeJS.Timeout | null = null;
  #sweeping: Promise<SweepResult> | null = null;
  #unsubscribe: (() => void) | null = null;
  #started = false;
  #stopped = false;

  constructor(deps: HealthManagerDeps) {
    this.id = deps.serviceId;
    this.#svc = deps.services;
    this.#source = deps.notificationSource;
    const { config } = deps.services;
    this.#env = {
      svc: deps.services,
      managerId: deps.serviceId,
      limiter: new Limiter(config.health_manager.threads),
      bounds: {
        min: config.DEFAULT.health_check_interval_min,
        max: config.DEFAULT.check_interval_max,
      },
      lost: (clusterId) => this.#drop(clusterId),
    };
  }

  /** Starts sweeping (the first sweep is immediate) and listening to notifications. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    if (this.#source) {
      const unsubscribe = this.#source.subscribe((event) => this.#onEvent(event));
      const unwatch = this.#source.onReconnect?.(() => {
        for (const watch of this.#watches.values()) watch.catchUp();
      });
      this.#unsubscribe = () => {
        unsubscribe();
        unwatch?.();
      };
    }
    this.#schedule(0);
  }

  /** The clusters watched now, with their state. */
  snapshot(): WatchSnapshot[] {
    return [...this.#watches.values()].map((w) => w.snapshot());
  }

  /** Runs one sweep now (sweeps never overlap). */
  sweep(): Promise<SweepResult> {
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  /**
   * Stops watching. With `release` (the default) the registrations are handed back for other
   * managers to claim at once; without, they stay this manager's until it is judged dead, as
   * after a crash.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    await this.#sweeping?.catch(() => undefined);
    const watches = [...this.#watches.values()];
    this.#watches.clear();
    await Promise.all(watches.map((w) => w.stop()));
    if (options.release !== false) {
      await releaseAll(this.#svc.db, this.id).catch((err: unknown) => {
        this.#svc.logger.error({ err }, 'handing back health registrations failed');
      });
    }
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, delayMs));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    let next = (this.#svc.config.DEFAULT.periodic_interval * 1000) / 2;
    try {
      await this.sweep();
    } catch (err) {
      this.#svc.logger.error({ err }, 'health registry sweep failed');
    }
    const deadline = await this.#nextDeadline().catch(() => null);
    if (deadline !== null) next = Math.min(next, deadline);
    this.#schedule(next);
  }

  /** Milliseconds until another live manager would be judged dead, plus a little. */
  async #nextDeadline(): Promise<number | null> {
    const period = this.#svc.config.DEFAULT.periodic_interval;
    const managers = await this.#svc.db.retry((k) => listManagers(k));
    const now = this.#svc.now();
    const live = liveManagers(managers, this.id, now, DEAD_AFTER_INTERVALS * period);
    const at = nextDeadline(managers, this.id, live, DEAD_AFTER_INTERVALS * period);
    return at === null ? null : at.getTime() - now.getTime() + 50;
  }

  async #sweepOnce(): Promise<SweepResult> {
    const { db, config } = this.#svc;
    const period = config.DEFAULT.periodic_interval;
    const now = this.#svc.now();
    const managers = await db.retry((k) => listManagers(k));
    const live = liveManagers(managers, this.id, now, DEAD_AFTER_INTERVALS * period);
    const claimed = await claimOrphans(db, this.id, live);
    let taken = 0;
    const counts = await db.retry((k) => countByOwner(k));
    for (const { donor, count } of planTakeovers(counts, this.id, live)) {
      taken += await takeFrom(db, this.id, donor, count);
    }
    await deleteDeadManagers(db, new Date(now.getTime() - CLEANUP_AFTER_INTERVALS * period * 1000));
    if (claimed + taken > 0) {
      this.#svc.logger.info({ claimed, taken, live: live.length }, 'health registrations claimed');
    }
    await this.#reconcile();
    return { claimed, taken, watching: this.#watches.size };
  }

  /** Starts, updates and stops watches to match the registrations owned now. */
  async #reconcile(): Promise<void> {
    const owned = await this.#svc.db.retry((k) => listOwnedRegistrations(k, this.id));
    if (this.#stopped) return;
    const seen = new Set<string>();
    for (const registration of owned) {
      seen.add(registration.clusterId);
      const watch = this.#watches.get(registration.clusterId);
      if (watch) {
        watch.update(registration);
        continue;
      }
      const created = new ClusterWatch(this.#env, registration);
      this.#watches.set(registration.clusterId, created);
      created.start();
    }
    for (const clusterId of [...this.#watches.keys()]) {
      if (!seen.has(clusterId)) this.#drop(clusterId);
    }
  }

  #drop(clusterId: string): void {
    const watch = this.#watches.get(clusterId);
    if (!watch) return;
    this.#watches.delete(clusterId);
    void watch.stop();
  }

  async #onEvent(event: ResourceEvent): Promise<void> {
    if (this.#stopped) return;
    if (!this.#svc.config.health_manager.enabled_endpoints.includes(event.service)) return;
    // only events meaning a failure lead to a recovery: the others need no lookup
    if (!isRecoverableEvent(event)) return;
    try {
      const node = await findEventNode(this.#svc, event);
      if (!node) return;
      const watch = this.#watches.get(node.clusterId) ?? (await this.#claimFor(node.clusterId));
      watch?.notify(node.id, event);
    } catch (err) {
      this.#svc.logger.error({ err, event: event.eventType }, 'handling a resource event failed');
    }
  }

  /**
   * The watch of a cluster whose LIFECYCLE_EVENTS registration nobody owns yet (its health
   * policy was attached since the last sweep): a sweep now claims it, so that an event about
   * its nodes is not lost while the registration waits for the next regular sweep. Null when
   * there is no such registration or another manager got it.
   */
  async #claimFor(clusterId: string): Promise<ClusterWatch | null> {
    const registration = await this.#svc.db.retry((k) => getRegistration(k, clusterId));
    if (!registration || registration.owner !== null) return null;
    if (!registration.checkType.split(',').includes(LIFECYCLE_EVENTS)) return null;
    await this.sweep();
    return this.#watches.get(clusterId) ?? null;
  }
}
