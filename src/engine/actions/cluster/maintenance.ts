/** CLUSTER_CHECK, CLUSTER_RECOVER, CLUSTER_OPERATION (engine contract §3.11.10, 3.11.11, 3.11.15). */
import { nodesByRandom } from '../../../common/scaling.js';
import { listClusterNodes } from '../../../db/queries/nodes.js';
import { evalClusterStatus, setClusterStatus } from '../../cluster-status.js';
import type { ActionResult } from '../../execution.js';
import { ok } from '../../execution.js';
import { checkNode } from '../../node-ops.js';
import { short } from '../../services.js';
import { clusterAction } from '../wrappers.js';
import { createMembers, deleteMembers, nodeChild } from './members.js';

/** CLUSTER_CHECK */
export const clusterCheck = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc } = x;
  await setClusterStatus(svc, cluster.id, 'CHECKING', 'Check in progress');
  const nodes = await svc.db.retry((k) => listClusterNodes(k, cluster.id));
  if (x.action.inputs.delete_check_action === true && nodes.length > 0) {
    await svc.db.retry((k) =>
      k
        .deleteFrom('action')
        .where(
          'target',
          'in',
          nodes.map((n) => n.id),
        )
        .where('action', '=', 'NODE_CHECK')
        .where('status', 'in', ['SUCCEEDED', 'FAILED'])
        .execute(),
    );
  }
  const children = nodes.map((n) =>
    nodeChild(x, 'NODE_CHECK', n.id, cluster.id, `node_check_${short(n.id)}`, {
      ...x.action.inputs,
    }),
  );
  const result = await x.runChildren(children);
  await evalClusterStatus(svc, cluster.id, 'CLUSTER_CHECK');
  return result.code === 'OK' ? ok('Cluster checking completed.') : result;
});

/** CLUSTER_RECOVER; never changes desired_capacity, even with check_capacity. */
export const clusterRecover = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc, action } = x;
  await setClusterStatus(svc, cluster.id, 'RECOVERING', 'Recovery in progress');
  const nodes = await svc.db.retry((k) => listClusterNodes(k, cluster.id));
  const broken: string[] = [];
  for (const node of nodes) {
    if (action.inputs.check === true) await checkNode(svc, node, x.signal);
    if (node.status !== 'ACTIVE') broken.push(node.id);
  }
  const inputs: Record<string, unknown> = {};
  if (action.inputs.operation !== undefined) inputs.operation = action.inputs.operation;
  if (action.inputs.operation_params !== undefined)
    inputs.operation_params = action.inputs.operation_params;
  for (const key of ['delete_timeout', 'force_recreate']) {
    if (action.inputs[key] !== undefined) inputs[key] = action.inputs[key];
  }
  const children = broken.map((id) =>
    nodeChild(x, 'NODE_RECOVER', id, cluster.id, `node_recover_${short(id)}`, inputs),
  );
  const result = await x.runChildren(children);
  if (action.inputs.check_capacity === true) {
    const current = await svc.db.retry((k) => listClusterNodes(k, cluster.id));
    const desired = cluster.desiredCapacity ?? 0;
    if (current.length < desired) await createMembers(x, cluster, desired - current.length);
    else if (current.length > desired)
      await deleteMembers(x, cluster, nodesByRandom(current, current.length - desired));
  }
  await evalClusterStatus(svc, cluster.id, 'CLUSTER_RECOVER');
  return result.code === 'OK' ? ok('Cluster recovery succeeded.') : result;
});

/** CLUSTER_OPERATION */
export const clusterOperation = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc, action } = x;
  const operation = String(action.inputs.operation ?? '');
  const params = (action.inputs.params ?? {}) as Record<string, unknown>;
  const nodeIds = Array.isArray(action.inputs.nodes) ? action.inputs.nodes.map(String) : [];
  await setClusterStatus(svc, cluster.id, 'OPERATING', `Operation ${operation} in progress`);
  const children = nodeIds.map((id) =>
    nodeChild(x, 'NODE_OPERATION', id, cluster.id, `node_${operation}_${short(id)}`, {
      operation,
      params,
    }),
  );
  const result = await x.runChildren(children);
  await evalClusterStatus(svc, cluster.id, operation);
  return result.code === 'OK' ? ok(`Cluster operation '${operation}' completed.`) : result;
});
