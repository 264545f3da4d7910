/** CLUSTER_ADD_NODES, CLUSTER_DEL_NODES, CLUSTER_REPLACE_NODES (engine contract §3.11.4/5/7). */

import { pyRepr } from '../../../common/py-repr.js';
import { checkSizeParams } from '../../../common/scaling.js';
import type { NodeRecord } from '../../../db/queries/nodes.js';
import { getNode, listClusterNodeIds } from '../../../db/queries/nodes.js';
import { evalClusterStatus } from '../../cluster-status.js';
import type { ActionResult, Execution } from '../../execution.js';
import { error, ok } from '../../execution.js';
import { short } from '../../services.js';
import { clusterAction } from '../wrappers.js';
import { deleteMembers, nodeChild } from './members.js';

function idList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

async function loadNodes(
  x: Execution,
  ids: readonly string[],
): Promise<{ found: NodeRecord[]; missing: string[] }> {
  const found: NodeRecord[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const node = await x.svc.db.retry((k) => getNode(k, id));
    if (node) found.push(node);
    else missing.push(id);
  }
  return { found, missing };
}

/** CLUSTER_ADD_NODES */
export const clusterAddNodes = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc } = x;
  const { found, missing } = await loadNodes(x, idList(x.action.inputs.nodes));
  const errors: string[] = [];
  if (missing.length > 0) errors.push(`Nodes not found: ${pyRepr(missing)}.`);
  const owned = found.filter((n) => n.clusterId !== '').map((n) => n.id);
  if (owned.length > 0) errors.push(`Nodes ${pyRepr(owned)} already owned by some cluster.`);
  const inactive = found.filter((n) => n.status !== 'ACTIVE').map((n) => n.id);
  if (inactive.length > 0) errors.push(`Nodes are not ACTIVE: ${pyRepr(inactive)}.`);
  if (errors.length > 0) return error(errors.join('\n'));
  const current = (await svc.db.retry((k) => listClusterNodeIds(k, cluster.id))).length;
  const desired = current + found.length;
  const problem = checkSizeParams(
    cluster,
    { desired, strict: true },
    svc.config.DEFAULT.max_nodes_per_cluster,
  );
  if (problem) return error(problem);
  const children = found.map((n) =>
    nodeChild(x, 'NODE_JOIN', n.id, cluster.id, `node_join_${short(n.id)}`, {
      cluster_id: cluster.id,
    }),
  );
  const result = await x.runChildren(children);
  if (result.code !== 'OK') return result;
  await evalClusterStatus(svc, cluster.id, 'CLUSTER_ADD_NODES', { desiredCapacity: desired });
  x.action.outputs.nodes_added = found.map((n) => n.id);
  x.action.data.creation = {
    ...((x.action.data.creation ?? {}) as object),
    nodes: found.map((n) => n.id),
  };
  return ok('Completed adding nodes.');
});

/** CLUSTER_DEL_NODES */
export const clusterDelNodes = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc, action } = x;
  const deletion = (action.data.deletion ?? null) as Record<string, unknown> | null;
  const destroy = deletion
    ? deletion.destroy_after_deletion === true
    : action.inputs.destroy_after_deletion === true;
  const grace = deletion ? Number(deletion.grace_period ?? 0) : 0;
  const reduce = deletion ? deletion.reduce_desired_capacity !== false : true;
  action.data.deletion = {
    ...(deletion ?? {}),
    destroy_after_deletion: destroy,
    grace_period: grace,
    reduce_desired_capacity: reduce,
  };
  const { found, missing } = await loadNodes(x, idList(action.inputs.candidates));
  if (missing.length > 0) return error(`Nodes not found: ${pyRepr(missing)}.`);
  const members = found.filter((n) => n.clusterId === cluster.id).map((n) => n.id);
  if (members.length === 0) return ok('Completed deleting nodes.');
  const current = (await svc.db.retry((k) => listClusterNodeIds(k, cluster.id))).length;
  const desired = current - members.length;
  const problem = checkSizeParams(
    cluster,
    { desired, strict: true },
    svc.config.DEFAULT.max_nodes_per_cluster,
  );
  if (problem) return error(problem);
  if (grace > 0) await x.sleep(grace);
  const result = await deleteMembers(x, cluster, members);
  await evalClusterStatus(
    svc,
    cluster.id,
    'CLUSTER_DEL_NODES',
    reduce ? { desiredCapacity: desired } : {},
  );
  return result.code === 'OK' ? ok('Completed deleting nodes.') : result;
});

/** CLUSTER_REPLACE_NODES: every original leaves and its replacement joins; all are awaited. */
export const clusterReplaceNodes = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const map = (x.action.inputs.candidates ?? {}) as Record<string, string>;
  const pairs = Object.entries(map);
  if (pairs.length === 0) return error('No node to replace.');
  const errors: string[] = [];
  for (const [original, replacement] of pairs) {
    const o = await x.svc.db.retry((k) => getNode(k, original));
    const r = await x.svc.db.retry((k) => getNode(k, replacement));
    if (!o || o.clusterId !== cluster.id)
      errors.push(`Node ${original} is not a member of the cluster.`);
    if (!r) errors.push(`Node ${replacement} could not be found.`);
    else if (r.clusterId !== '')
      errors.push(`Node ${replacement} is already a member of a cluster.`);
    else if (r.status !== 'ACTIVE') errors.push(`Node ${replacement} is not ACTIVE.`);
  }
  if (errors.length > 0) return error(errors.join('\n'));
  const children = pairs.flatMap(([original, replacement]) => [
    nodeChild(x, 'NODE_LEAVE', original, cluster.id, `node_leave_${short(original)}`),
    nodeChild(x, 'NODE_JOIN', replacement, cluster.id, `node_join_${short(replacement)}`, {
      cluster_id: cluster.id,
    }),
  ]);
  const result = await x.runChildren(children);
  await evalClusterStatus(x.svc, cluster.id, 'CLUSTER_REPLACE_NODES');
  if (result.code !== 'OK') return result;
  x.action.outputs.nodes_added = pairs.map(([, r]) => r);
  x.action.outputs.nodes_removed = pairs.map(([o]) => o);
  return ok('Completed replacing nodes.');
});
