/**
 * Health check before scaling (upstream TODO "always do health check before any scaling
 * action"): before a scale-out, scale-in or resize the members are checked in parallel, so
 * that nodes found dead are marked ERROR — they are then the first victims of a scale-in and
 * not counted as capacity — and, when the cluster has a health policy and the action grows
 * the cluster, recovered the way that policy says first. The cost is reported as an event.
 */
import { fromDbBool, fromDbJson } from '../../../db/codec.js';
import type { ClusterRecord } from '../../../db/queries/clusters.js';
import { listClusterNodes } from '../../../db/queries/nodes.js';
import { registrationRecoveryInputs } from '../../../policies/index.js';
import { eventEntity, recordEvent } from '../../events.js';
import type { Execution } from '../../execution.js';
import { checkNode } from '../../node-ops.js';
import { short } from '../../services.js';
import { nodeChild } from './members.js';

const SCALING = ['CLUSTER_SCALE_OUT', 'CLUSTER_SCALE_IN', 'CLUSTER_RESIZE'];
const PARALLEL = 20;
const SETTLED = ['ACTIVE', 'ERROR', 'WARNING'];

/** Whether the check runs for this action on this cluster. */
export function wantsPreScalingCheck(x: Execution, cluster: ClusterRecord): boolean {
  if (!SCALING.includes(x.action.action)) return false;
  const own = cluster.config['cluster.check_before_scaling'];
  if (own === false || own === 'false') return false;
  return x.svc.config.engine.check_before_scaling;
}

async function healthRecovery(
  x: Execution,
  clusterId: string,
): Promise<Record<string, unknown> | null> {
  const row = await x.svc.db.retry((k) =>
    k
      .selectFrom('health_registry')
      .select(['params', 'enabled'])
      .where('cluster_id', '=', clusterId)
      .executeTakeFirst(),
  );
  if (!row || fromDbBool(row.enabled) === false) return null;
  return registrationRecoveryInputs(fromDbJson<Record<string, unknown>>(row.params) ?? {});
}

function grows(x: Execution): boolean {
  if (x.action.action === 'CLUSTER_SCALE_OUT') return true;
  if (x.action.action !== 'CLUSTER_RESIZE') return false;
  return Number((x.action.data.creation as { count?: number } | undefined)?.count ?? 0) > 0;
}

/** Checks the members; returns the ids found unhealthy. */
export async function preScalingCheck(x: Execution, cluster: ClusterRecord): Promise<string[]> {
  const { svc } = x;
  const started = performance.now();
  const members = (await svc.db.retry((k) => listClusterNodes(k, cluster.id))).filter(
    (n) => n.physicalId && SETTLED.includes(n.status),
  );
  const unhealthy: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < members.length) {
      const node = members[next++];
      if (!node) continue;
      await x.checkpoint();
      await checkNode(svc, node, x.signal).catch(() => undefined);
      if (node.status === 'ERROR') unhealthy.push(node.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, members.length) }, worker));
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  await recordEvent(
    svc,
    x.action,
    await eventEntity(svc, cluster.id, x.action.action),
    'INFO',
    'health_check',
    `Checked ${members.length} node(s) in ${seconds} s before scaling: ${unhealthy.length} unhealthy.`,
  );
  if (unhealthy.length > 0 && grows(x)) {
    const recovery = await healthRecovery(x, cluster.id);
    if (recovery) {
      const children = unhealthy.map((id) =>
        nodeChild(x, 'NODE_RECOVER', id, cluster.id, `node_recover_${short(id)}`, recovery),
      );
      await x.runChildren(children);
    }
  }
  return unhealthy;
}
