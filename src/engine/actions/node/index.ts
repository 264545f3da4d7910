/** Node actions (engine contract §3.12). */

import { ActionCause } from '../../../common/constants.js';
import { checkSizeParams } from '../../../common/scaling.js';
import { getCluster } from '../../../db/queries/clusters.js';
import type { NodeRecord } from '../../../db/queries/nodes.js';
import { updateNode } from '../../../db/queries/nodes.js';
import { evalClusterStatus } from '../../cluster-status.js';
import type { ActionResult, Execution } from '../../execution.js';
import { error, ok } from '../../execution.js';
import {
  checkNode,
  createNode,
  deleteNode,
  joinNode,
  leaveNode,
  operateNode,
  recoverNode,
  setNodeStatus,
  updateNodeResource,
} from '../../node-ops.js';
import { nodeAction } from '../wrappers.js';

function isRequestOnMember(x: Execution, node: NodeRecord): boolean {
  return x.action.cause === ActionCause.RPC && node.clusterId !== '';
}

async function memberCount(x: Execution, clusterId: string): Promise<number> {
  const row = await x.svc.db.retry((k) =>
    k
      .selectFrom('node')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('cluster_id', '=', clusterId)
      .executeTakeFirst(),
  );
  return Number(row?.n ?? 0);
}

/** NODE_CREATE */
export const nodeCreate = nodeAction(async (x, node): Promise<ActionResult> => {
  const member = isRequestOnMember(x, node);
  const clusterId = node.clusterId;
  let desired = 0;
  if (member) {
    const cluster = await x.svc.db.retry((k) => getCluster(k, clusterId));
    desired = await memberCount(x, clusterId);
    const problem = cluster
      ? checkSizeParams(
          cluster,
          { desired, strict: true },
          x.svc.config.DEFAULT.max_nodes_per_cluster,
        )
      : null;
    if (problem) {
      await setNodeStatus(x.svc, node, 'ERROR', problem, { clusterId: '' });
      return error(problem);
    }
  }
  // Placement decided by policies (zone, region, server group) applies to this node too
  // (upstream computed it and threw it away).
  const placement = (
    x.action.data.placement as { placements?: Record<string, unknown>[] } | undefined
  )?.placements?.[0];
  if (placement) {
    const previous = (node.data.placement ?? {}) as Record<string, unknown>;
    node.data = { ...node.data, placement: { ...previous, ...placement } };
    await x.svc.db.retry((k) => updateNode(k, node.id, { data: node.data }));
  }
  const outcome = await createNode(x.svc, node, x.signal);
  if (member)
    await evalClusterStatus(x.svc, clusterId, 'NODE_CREATE', { desiredCapacity: desired });
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});

/** NODE_DELETE */
export const nodeDelete = nodeAction(async (x, node): Promise<ActionResult> => {
  const member = isRequestOnMember(x, node);
  const clusterId = node.clusterId;
  const deletion = (x.action.data.deletion ?? {}) as Record<string, unknown>;
  let desired = 0;
  if (member) {
    const cluster = await x.svc.db.retry((k) => getCluster(k, clusterId));
    desired = (await memberCount(x, clusterId)) - 1;
    const problem = cluster
      ? checkSizeParams(
          cluster,
          { desired, strict: true },
          x.svc.config.DEFAULT.max_nodes_per_cluster,
        )
      : null;
    if (problem) return error(problem);
    const grace = Number(deletion.grace_period ?? 0);
    if (grace > 0) await x.sleep(grace);
  }
  const outcome = await deleteNode(x.svc, node, x.signal, {
    force: x.action.inputs.force === true,
  });
  if (member) {
    const reduce = deletion.reduce_desired_capacity !== false && outcome.ok;
    await evalClusterStatus(
      x.svc,
      clusterId,
      'NODE_DELETE',
      reduce ? { desiredCapacity: desired } : {},
    );
  }
  return outcome.ok ? ok(outcome.reason) : error('Node deletion failed.');
});

/** NODE_UPDATE */
export const nodeUpdate = nodeAction(async (x, node): Promise<ActionResult> => {
  const inputs = { ...x.action.inputs };
  if (inputs.new_profile_id === node.profileId) delete inputs.new_profile_id;
  const meaningful = ['new_profile_id', 'name', 'role', 'metadata', 'tainted'].some(
    (k) => k in inputs,
  );
  if (!meaningful) return ok('No property to update.');
  const outcome = await updateNodeResource(x.svc, node, x.signal, inputs);
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});

/** NODE_JOIN */
export const nodeJoin = nodeAction(async (x, node): Promise<ActionResult> => {
  const clusterId = String(x.action.inputs.cluster_id ?? '');
  const outcome = await joinNode(x.svc, node, x.signal, clusterId);
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});

/** NODE_LEAVE */
export const nodeLeave = nodeAction(async (x, node): Promise<ActionResult> => {
  const outcome = await leaveNode(x.svc, node, x.signal);
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});

/** NODE_CHECK */
export const nodeCheck = nodeAction(async (x, node): Promise<ActionResult> => {
  const outcome = await checkNode(x.svc, node, x.signal);
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});

/** NODE_RECOVER */
export const nodeRecover = nodeAction(async (x, node): Promise<ActionResult> => {
  const outcome = await recoverNode(x.svc, node, x.signal, x.action.inputs);
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});

/** NODE_OPERATION */
export const nodeOperation = nodeAction(async (x, node): Promise<ActionResult> => {
  const name = String(x.action.inputs.operation ?? '');
  const params = (x.action.inputs.params ?? {}) as Record<string, unknown>;
  const outcome = await operateNode(x.svc, node, x.signal, name, params);
  return outcome.ok ? ok(outcome.reason) : error(outcome.reason);
});
