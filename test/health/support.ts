/**
 * Health manager test support: an API, an engine and health managers over one SQLite
 * database and the fake cloud, with helpers to build clusters with a health policy, break
 * their nodes and wait for what the manager does about it.
 */
import { afterAll } from 'vitest';
import { fromDbJson } from '../../src/db/codec.js';
import type { Db } from '../../src/db/connection.js';
import type { EngineMetrics } from '../../src/engine/metrics.js';
import { ServiceRegistration } from '../../src/engine/service-registry.js';
import { HealthManager } from '../../src/health/index.js';
import type { NotificationSource, ResourceEvent } from '../../src/messaging/types.js';
import type { TestApi } from '../api/harness.js';
import { NOVA_SPEC, startApi } from '../api/harness.js';
import { startEngine } from '../support/engine.js';

/** Polls `check` until it returns something truthy; fails after `ms`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An in-memory notification source: tests emit resource events into it. */
export class MemorySource implements NotificationSource {
  readonly #handlers = new Set<(event: ResourceEvent) => void | Promise<void>>();

  subscribe(handler: (event: ResourceEvent) => void | Promise<void>): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  /** Delivers an event to every subscriber and waits for their handlers. */
  async emit(event: ResourceEvent): Promise<void> {
    await Promise.all([...this.#handlers].map(async (h) => h(event)));
  }

  readonly #reconnects = new Set<() => void>();

  onReconnect(handler: () => void): () => void {
    this.#reconnects.add(handler);
    return () => this.#reconnects.delete(handler);
  }

  /** Tells the subscribers that the connection came back (events may have been lost). */
  reconnected(): void {
    for (const handler of this.#reconnects) handler();
  }

  async close(): Promise<void> {
    this.#handlers.clear();
    this.#reconnects.clear();
  }
}

/** A resource event with defaults. */
export function resourceEvent(over: Partial<ResourceEvent>): ResourceEvent {
  return {
    service: 'nova',
    eventType: 'instance.delete.end',
    kind: 'deleted',
    physicalId: '',
    projectId: null,
    state: null,
    metadata: {},
    timestamp: new Date().toISOString(),
    ...over,
  };
}

/** A health policy spec (version 1.2) with quick retries for URL polling. */
export function healthSpec(
  modes: readonly (string | { type: string; options?: Record<string, unknown> })[],
  options: {
    recovery?: string;
    interval?: number;
    nodeUpdateTimeout?: number;
    conditional?: 'ANY_FAILED' | 'ALL_FAILED';
    fencing?: string[];
  } = {},
): Record<string, unknown> {
  return {
    type: 'senlin.policy.health',
    version: '1.2',
    properties: {
      detection: {
        interval: options.interval ?? 1,
        node_update_timeout: options.nodeUpdateTimeout ?? 0,
        recovery_conditional: options.conditional ?? 'ANY_FAILED',
        detection_modes: modes.map((m) => (typeof m === 'string' ? { type: m } : m)),
      },
      recovery: {
        actions: [{ name: options.recovery ?? 'RECREATE' }],
        ...(options.fencing ? { fencing: options.fencing } : {}),
        node_delete_timeout: 5,
      },
    },
  };
}

/** The world of a health test file. */
export interface HealthWorld {
  readonly api: TestApi;
  readonly db: Db;
  /** Starts a health manager (with its heartbeating service row); stopped after the file. */
  manager(options?: {
    source?: NotificationSource;
    metrics?: EngineMetrics;
  }): Promise<HealthManager>;
  /** Creates a cluster of `size` nodes; returns its id. */
  cluster(size: number, spec?: unknown): Promise<string>;
  /** Creates a health policy and attaches it to the cluster; returns the policy id. */
  attach(clusterId: string, spec: unknown): Promise<string>;
  /** Waits for the action a 202 answer started; returns it as the API shows it. */
  finished(res: { statusCode: number; headers: Record<string, unknown>; data: any }): Promise<any>;
  /** Members of a cluster as the API shows them. */
  members(clusterId: string): Promise<any[]>;
  /** NODE_RECOVER actions of a node, oldest first. */
  recoveries(nodeId: string): Promise<any[]>;
  /** Health manager events of an object, oldest first. */
  healthEvents(oid: string): Promise<any[]>;
}

let serial = 0;

/** Starts the API and an engine with quick sweeps and a one-second minimum interval. */
export async function healthWorld(
  config: { DEFAULT?: Record<string, unknown>; engine?: Record<string, unknown> } = {},
): Promise<HealthWorld> {
  const api = await startApi({
    config: {
      DEFAULT: {
        cloud_backend: 'openstack_test',
        periodic_interval: 1,
        health_check_interval_min: 1,
        batch_interval: 0,
        lock_retry_interval: 1,
        ...config.DEFAULT,
      },
      engine: { poll_interval: 0.05, shutdown_timeout: 2, ...config.engine },
    } as never,
  });
  const svc = api.conductor.deps;
  const engine = await startEngine(svc);
  const stops: (() => Promise<void>)[] = [() => engine.stop()];
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  const created = async (path: string, key: string, body: unknown): Promise<string> => {
    const res = await api.call('POST', path, { body: { [key]: body } });
    if (res.statusCode >= 300) throw new Error(`${path}: ${JSON.stringify(res.data)}`);
    return res.data[key].id;
  };
  const finished: HealthWorld['finished'] = async (res) => {
    if (res.statusCode !== 202) throw new Error(`expected 202: ${JSON.stringify(res.data)}`);
    const id = String(res.headers.location).split('/actions/')[1] ?? '';
    await until(`action ${id}`, async () => {
      const a = (await api.call('GET', `/v1/actions/${id}`)).data.action;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(a.status) && a;
    });
    return (await api.call('GET', `/v1/actions/${id}`)).data.action;
  };
  const novaProfile = await created('/v1/profiles', 'profile', {
    name: 'hm-nova',
    spec: NOVA_SPEC,
  });

  return {
    api,
    db: api.db,
    async manager(options = {}) {
      const registration = await ServiceRegistration.start(api.db, {
        host: 'test',
        binary: 'senlin-health-manager',
        intervalSeconds: svc.config.DEFAULT.periodic_interval,
        onError: () => undefined,
      });
      const manager = new HealthManager({
        services: options.metrics ? { ...svc, metrics: options.metrics } : svc,
        serviceId: registration.id,
        ...(options.source ? { notificationSource: options.source } : {}),
      });
      manager.start();
      stops.push(async () => {
        await manager.stop();
        await registration.stop();
      });
      return manager;
    },
    async cluster(size, spec) {
      const profileId = spec
        ? await created('/v1/profiles', 'profile', { name: `hm-p-${++serial}`, spec })
        : novaProfile;
      const action = await finished(
        await api.call('POST', '/v1/clusters', {
          body: {
            cluster: { name: `hm-c-${++serial}`, profile_id: profileId, desired_capacity: size },
          },
        }),
      );
      if (action.status !== 'SUCCEEDED') throw new Error(`cluster create: ${action.status_reason}`);
      return action.target;
    },
    async attach(clusterId, spec) {
      const policyId = await created('/v1/policies', 'policy', { name: `hm-hp-${++serial}`, spec });
      const action = await finished(
        await api.call('POST', `/v1/clusters/${clusterId}/actions`, {
          body: { policy_attach: { policy_id: policyId } },
        }),
      );
      if (action.status !== 'SUCCEEDED') throw new Error(`attach: ${action.status_reason}`);
      return policyId;
    },
    finished,
    async members(clusterId) {
      return (await api.call('GET', '/v1/nodes', { query: { cluster_id: clusterId } })).data.nodes;
    },
    async recoveries(nodeId) {
      const rows = await api.db.retry((k) =>
        k
          .selectFrom('action')
          .selectAll()
          .where('target', '=', nodeId)
          .where('action', '=', 'NODE_RECOVER')
          .orderBy('created_at')
          .execute(),
      );
      return rows.map((r) => ({
        ...r,
        inputs: fromDbJson(r.inputs),
        context: fromDbJson(r.context),
      }));
    },
    async healthEvents(oid) {
      return api.db.retry((k) =>
        k
          .selectFrom('event')
          .selectAll()
          .where('oid', '=', oid)
          .where('action', 'in', ['NODE_CHECK', 'CLUSTER_CHECK'])
          .where('status', 'in', ['UNHEALTHY', 'PAUSED', 'RESUMED', 'DISABLED', 'ENABLED'])
          .orderBy('timestamp')
          .execute(),
      );
    },
  };
}
