/**
 * Health checking of one registered cluster inside the health manager that owns its
 * registration: a timer polling the nodes every interval (catching up on missed runs the way
 * upstream's `chase_up` does, never overlapping runs), the lifecycle events routed to it, the
 * pauses, and the recoveries it requests. Every run first re-reads the registration, so a
 * change of the policy, a pause or a move to another manager is seen at once.
 */
import { getCluster } from '../db/queries/clusters.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { getNode, listClusterNodes } from '../db/queries/nodes.js';
import type { EngineServices } from '../engine/services.js';
import type { ResourceEvent } from '../messaging/types.js';
import type { CheckPlan, IntervalBounds } from './check-plan.js';
import { catchUpPlan, readCheckPlan } from './check-plan.js';
import { recordHealthEvent } from './events.js';
import type { Limiter } from './limiter.js';
import { eachLimited } from './limiter.js';
import { CHECKED_STATUSES, nodeVerdict } from './node-checks.js';
import type { PauseState } from './pause.js';
import { pauseState } from './pause.js';
import { requestRecovery } from './recovery.js';
import type { RegistrationRecord } from './registry-store.js';
import { getRegistration } from './registry-store.js';
import type { WatchState } from './watch-rules.js';
import {
  eventConcernsNode,
  isRecoverableEvent,
  nextDelayMs,
  transitionEvent,
} from './watch-rules.js';

/** Nodes of one cluster checked at the same time. */
const NODES_IN_PARALLEL = 10;

/** What a watch needs from its manager. */
export interface WatchEnv {
  readonly svc: EngineServices;
  /** Service id of the owning manager. */
  readonly managerId: string;
  /** Bounds the node checks of the whole manager (`[health_manager] threads`). */
  readonly limiter: Limiter;
  readonly bounds: IntervalBounds;
  /** Told when the registration is gone or belongs to another manager. */
  lost(clusterId: string): void;
}

/** What a watch reports about itself. */
export interface WatchSnapshot {
  readonly clusterId: string;
  readonly checkType: string;
  /** Seconds between polls (after clamping). */
  readonly interval: number;
  readonly state: WatchState;
  /** Why checking is paused or disabled. */
  readonly reason: string;
  /** Runs that checked the nodes. */
  readonly runs: number;
  /** Runs skipped because checking was paused or disabled. */
  readonly skipped: number;
  readonly nodesChecked: number;
  readonly recoveries: number;
  readonly pendingEvents: number;
  /** True while a run is under way. */
  readonly running: boolean;
}

/** Health checking of one cluster. */
export class ClusterWatch {
  readonly clusterId: string;
  readonly #env: WatchEnv;
  #registration: RegistrationRecord;
  #plan: CheckPlan;
  #timer: NodeJS.Timeout | null = null;
  #run: Promise<void> | null = null;
  #events: Promise<void> = Promise.resolve();
  readonly #abort = new AbortController();
  readonly #pending = new Map<string, ResourceEvent>();
  #stopped = false;
  #catchUp = false;
  #state: WatchState = 'active';
  #reason = '';
  #runs = 0;
  #skipped = 0;
  #nodesChecked = 0;
  #recoveries = 0;

  constructor(env: WatchEnv, registration: RegistrationRecord) {
    this.#env = env;
    this.clusterId = registration.clusterId;
    this.#registration = registration;
    this.#plan = readCheckPlan(registration, env.bounds);
    this.#warnUnknown();
  }

  /** The plan of the registration as last read. */
  get plan(): CheckPlan {
    return this.#plan;
  }

  /** Starts checking (the first run is immediate). */
  start(): void {
    if (!this.#stopped && !this.#timer && !this.#run) this.#schedule(0);
  }

  /** Takes a newer version of the registration (read by the manager's sweep). */
  update(registration: RegistrationRecord): void {
    const interval = this.#plan.interval;
    this.#apply(registration);
    if (this.#plan.interval !== interval && this.#timer) {
      clearTimeout(this.#timer);
      this.#schedule(this.#plan.interval * 1000);
    }
  }

  /** Stops checking; in-flight checks are aborted and awaited. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort.abort();
    await Promise.allSettled([this.#run, this.#events]);
  }

  /** A lifecycle event about one of the cluster's nodes: recovers it unless checking is paused. */
  notify(nodeId: string, event: ResourceEvent): void {
    if (this.#stopped || !this.#plan.events || !isRecoverableEvent(event)) return;
    this.#pending.set(nodeId, event);
    this.#drainEvents();
  }

  /**
   * The notification bus reconnected, so events about the nodes may have been lost: poll
   * every node once now with the status check (for clusters watched through events).
   */
  catchUp(): void {
    if (this.#stopped || !this.#plan.events) return;
    this.#catchUp = true;
    if (this.#run) return; // the run under way reschedules at once when it ends
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#schedule(0);
  }

  /** What the watch reports about itself. */
  snapshot(): WatchSnapshot {
    return {
      clusterId: this.clusterId,
      checkType: this.#registration.checkType,
      interval: this.#plan.interval,
      state: this.#state,
      reason: this.#reason,
      runs: this.#runs,
      skipped: this.#skipped,
      nodesChecked: this.#nodesChecked,
      recoveries: this.#recoveries,
      pendingEvents: this.#pending.size,
      running: this.#run !== null,
    };
  }

  #apply(registration: RegistrationRecord): void {
    const before = this.#registration.checkType;
    this.#registration = registration;
    this.#plan = readCheckPlan(registration, this.#env.bounds);
    if (registration.checkType !== before) this.#warnUnknown();
    if (!this.#plan.events) this.#pending.clear();
  }

  #warnUnknown(): void {
    if (this.#plan.unknown.length === 0) return;
    this.#env.svc.logger.warn(
      { cluster: this.clusterId, types: this.#plan.unknown },
      'unknown detection types are ignored',
    );
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, delayMs));
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    this.#timer = null;
    if (this.#stopped) return;
    const started = Date.now();
    this.#run = this.#runOnce().catch((err: unknown) => {
      this.#env.svc.logger.error({ err, cluster: this.clusterId }, 'health check run failed');
    });
    await this.#run;
    this.#run = null;
    if (this.#stopped) return;
    this.#schedule(this.#catchUp ? 0 : nextDelayMs(started, Date.now(), this.#plan.interval));
  }

  /** The registration if it is still this manager's; otherwise the watch ends. */
  async #reread(): Promise<RegistrationRecord | null> {
    const { svc, managerId } = this.#env;
    const registration = await svc.db.retry((k) => getRegistration(k, this.clusterId));
    if (!registration || registration.owner !== managerId) {
      this.#stopped = true;
      this.#env.lost(this.clusterId);
      return null;
    }
    this.#apply(registration);
    return registration;
  }

  async #runOnce(): Promise<void> {
    const { svc } = this.#env;
    const registration = await this.#reread();
    if (!registration) return;
    const cluster = await svc.db.retry((k) => getCluster(k, this.clusterId));
    if (!cluster) return;
    const pause = await svc.db.retry((k) => pauseState(k, registration));
    await this.#transition(cluster, pause);
    if (pause) {
      if (pause.state === 'disabled') this.#pending.clear();
      this.#skipped += 1;
      return;
    }
    if (this.#pending.size > 0) this.#drainEvents();
    const plan = this.#catchUp ? catchUpPlan(this.#plan) : this.#plan;
    this.#catchUp = false;
    if (plan.polling.length === 0) return;
    const nodes = (await svc.db.retry((k) => listClusterNodes(k, this.clusterId))).filter((n) =>
      CHECKED_STATUSES.includes(n.status),
    );
    await eachLimited(nodes, NODES_IN_PARALLEL, (node) =>
      this.#env.limiter.run(() =>
        this.#checkNode(cluster, node, plan).catch((err: unknown) => {
          svc.logger.error({ err, node: node.id }, 'health check of a node failed');
        }),
      ),
    );
    this.#runs += 1;
  }

  async #checkNode(
    cluster: { id: string; user: string; project: string; domain: string | null },
    node: NodeRecord,
    plan: CheckPlan,
  ): Promise<void> {
    if (this.#abort.signal.aborted) return;
    const { svc } = this.#env;
    const limit = Math.max(plan.interval * 5, 300) * 1000;
    const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(limit)]);
    const verdict = await nodeVerdict(svc, node, plan, signal);
    this.#nodesChecked += 1;
    if (this.#abort.signal.aborted) return;
    svc.metrics?.nodeChecked(
      verdict.healthy ? (verdict.unknown ? 'unknown' : 'healthy') : 'unhealthy',
    );
    if (verdict.healthy) {
      if (verdict.unknown) {
        svc.logger.info({ node: node.id, reason: verdict.reason }, 'node health unknown');
      }
      return;
    }
    // Checking may have been paused while the node was checked.
    if (await svc.db.retry((k) => pauseState(k, this.#registration))) return;
    const id = await requestRecovery(svc, {
      cluster,
      node,
      inputs: plan.recovery,
      detection: verdict.detection,
      reason: verdict.reason,
    });
    svc.metrics?.recoveryRequested(id ? 'requested' : 'busy');
    if (id) this.#recoveries += 1;
  }

  async #transition(
    cluster: { id: string; name: string; user: string; project: string },
    pause: PauseState | null,
  ): Promise<void> {
    const next: WatchState = pause?.state ?? 'active';
    const previous = this.#state;
    this.#state = next;
    this.#reason = pause?.reason ?? '';
    const change = transitionEvent(previous, next, this.#reason);
    if (!change) return;
    await recordHealthEvent(
      this.#env.svc,
      { id: cluster.id, name: cluster.name, otype: 'CLUSTER', clusterId: cluster.id },
      cluster,
      'INFO',
      change.status,
      change.reason,
    );
  }

  #drainEvents(): void {
    this.#events = this.#events
      .then(() => this.#recoverFromEvents())
      .catch((err: unknown) => {
        this.#env.svc.logger.error({ err, cluster: this.clusterId }, 'handling events failed');
      });
  }

  async #recoverFromEvents(): Promise<void> {
    if (this.#stopped || this.#pending.size === 0) return;
    const { svc } = this.#env;
    const registration = await this.#reread();
    if (!registration || !this.#plan.events) return;
    // While an action pauses checking the events wait for the next run after it; while the
    // operator has disabled checking they are dropped, as polling would not see them either.
    const pause = await svc.db.retry((k) => pauseState(k, registration));
    if (pause?.state === 'disabled') this.#pending.clear();
    if (pause) return;
    const cluster = await svc.db.retry((k) => getCluster(k, this.clusterId));
    if (!cluster) return;
    for (const [nodeId, event] of [...this.#pending]) {
      this.#pending.delete(nodeId);
      const node = await svc.db.retry((k) => getNode(k, nodeId));
      if (!node || !eventConcernsNode(node, this.clusterId, event)) continue;
      const id = await requestRecovery(svc, {
        cluster,
        node,
        inputs: this.#plan.recovery,
        detection: 'LIFECYCLE_EVENTS',
        reason: `${event.service} reported ${event.eventType} (${event.kind}) for ${event.physicalId}`,
      });
      svc.metrics?.recoveryRequested(id ? 'requested' : 'busy');
      if (id) this.#recoveries += 1;
    }
  }
}
