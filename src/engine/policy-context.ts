/** The services a policy's behaviour gets for one call, acting for the cluster's owner. */
import { setTimeout as delay } from 'node:timers/promises';
import { newId } from '../common/ids.js';
import { fromDbBool, fromDbJson, toDbBool, toDbJson, toDbTime } from '../db/codec.js';
import { getCluster, updateCluster } from '../db/queries/clusters.js';
import { getNode, listClusterNodes, updateNode } from '../db/queries/nodes.js';
import type { ClusterView, MemberView, PolicyContext } from './contracts.js';
import { behaviourOf, loadProfile, setNodeStatus } from './node-ops.js';
import { driversFor, nodeView, profileCallContext, profileView } from './profile-context.js';
import type { EngineServices } from './services.js';

/** A PolicyContext for the policies of a cluster. */
export function policyContext(
  svc: EngineServices,
  clusterId: string,
  signal: AbortSignal,
): PolicyContext {
  const { db, config } = svc;
  const cluster = async (): Promise<ClusterView> => {
    const c = await db.retry((k) => getCluster(k, clusterId));
    if (!c) throw new Error(`The cluster '${clusterId}' could not be found.`);
    const profile = await loadProfile(svc, c.profileId);
    return {
      id: c.id,
      name: c.name,
      profileId: c.profileId,
      profileType: profile.type ?? '',
      user: c.user,
      project: c.project,
      minSize: c.minSize,
      maxSize: c.maxSize,
      desiredCapacity: c.desiredCapacity,
      status: c.status,
      timeout: c.timeout,
      data: c.data,
      config: c.config,
      metadata: c.metadata,
    };
  };
  return {
    signal,
    settings: {
      maxNodesPerCluster: config.DEFAULT.max_nodes_per_cluster,
      healthCheckIntervalMin: config.DEFAULT.health_check_interval_min,
      novaTimeout: config.DEFAULT.default_nova_timeout,
      actionTimeout: config.DEFAULT.default_action_timeout,
    },
    now: () => svc.now(),
    cluster,
    async members(): Promise<MemberView[]> {
      const nodes = await db.retry((k) => listClusterNodes(k, clusterId));
      return nodes.map((n) => ({
        ...nodeView(n),
        profileId: n.profileId,
        statusReason: n.statusReason,
        tainted: n.tainted,
        createdAt: n.createdAt,
      }));
    },
    async profile(id) {
      const record = await loadProfile(svc, id);
      return { ...profileView(record), createdAt: record.createdAt };
    },
    async drivers() {
      const c = await cluster();
      return driversFor(svc, c);
    },
    async nodeDetails(nodeId) {
      const node = await db.retry((k) => getNode(k, nodeId));
      if (!node) return {};
      const profile = profileView(await loadProfile(svc, node.profileId));
      const ctx = await profileCallContext(svc, node, profile, signal);
      return behaviourOf(profile.type).details(nodeView(node), profile, ctx);
    },
    async saveNodeData(nodeId, data) {
      await db.retry((k) => updateNode(k, nodeId, { data }));
    },
    async setNodeStatus(nodeId, status, reason) {
      const node = await db.retry((k) => getNode(k, nodeId));
      if (node) await setNodeStatus(svc, node, status, reason);
    },
    async saveClusterData(data) {
      await db.retry((k) => updateCluster(k, clusterId, { data }));
    },
    async saveBindingData(bindingId, data) {
      await db.retry((k) =>
        k
          .updateTable('cluster_policy')
          .set({ data: toDbJson(data) })
          .where('id', '=', bindingId)
          .execute(),
      );
    },
    async setLastOp(bindingId, when) {
      await db.retry((k) =>
        k
          .updateTable('cluster_policy')
          .set({ last_op: toDbTime(when) })
          .where('id', '=', bindingId)
          .execute(),
      );
    },
    health: {
      async get() {
        const row = await db.retry((k) =>
          k
            .selectFrom('health_registry')
            .selectAll()
            .where('cluster_id', '=', clusterId)
            .executeTakeFirst(),
        );
        if (!row) return null;
        return {
          checkType: row.check_type ?? '',
          interval: row.interval ?? 0,
          params: fromDbJson<Record<string, unknown>>(row.params) ?? {},
          enabled: fromDbBool(row.enabled) !== false,
        };
      },
      async register(r) {
        await db.transaction(async (trx) => {
          // An existing registration is updated in place so that the health manager owning it
          // (`engine_id`) keeps it; a new one is left for a health manager to claim.
          const existing = await trx
            .selectFrom('health_registry')
            .select('id')
            .where('cluster_id', '=', clusterId)
            .executeTakeFirst();
          if (existing) {
            await trx
              .updateTable('health_registry')
              .set({
                check_type: r.checkType,
                interval: r.interval,
                params: toDbJson(r.params),
                enabled: toDbBool(r.enabled),
              })
              .where('cluster_id', '=', clusterId)
              .execute();
            return;
          }
          await trx
            .insertInto('health_registry')
            .values({
              id: newId(),
              cluster_id: clusterId,
              check_type: r.checkType,
              interval: r.interval,
              params: toDbJson(r.params),
              engine_id: null,
              enabled: toDbBool(r.enabled),
            })
            .execute();
        });
      },
      async unregister() {
        await db.retry((k) =>
          k.deleteFrom('health_registry').where('cluster_id', '=', clusterId).execute(),
        );
      },
      async setEnabled(enabled) {
        await db.retry((k) =>
          k
            .updateTable('health_registry')
            .set({ enabled: toDbBool(enabled) })
            .where('cluster_id', '=', clusterId)
            .execute(),
        );
      },
    },
    sleep: async (seconds) => {
      if (seconds > 0) await delay(seconds * 1000, undefined, { signal });
    },
  };
}
