/** CLUSTER_RESIZE, CLUSTER_SCALE_OUT, CLUSTER_SCALE_IN (engine contract §3.11.6, 3.11.8, 3.11.9, §11). */

import type { ResizeInputs } from '../../../common/scaling.js';
import { checkSizeParams, nodesByRandom, parseResizeParams } from '../../../common/scaling.js';
import type { ClusterRecord } from '../../../db/queries/clusters.js';
import { listClusterNodes } from '../../../db/queries/nodes.js';
import { evalClusterStatus, setClusterStatus } from '../../cluster-status.js';
import type { ActionResult, Execution } from '../../execution.js';
import { error, ok } from '../../execution.js';
import { clusterAction } from '../wrappers.js';
import { createMembers, deleteMembers } from './members.js';

function positiveInteger(value: unknown): number | null {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

async function victims(x: Execution, cluster: ClusterRecord, count: number): Promise<string[]> {
  const deletion = (x.action.data.deletion ?? {}) as { candidates?: string[] };
  if (deletion.candidates && deletion.candidates.length > 0) return deletion.candidates;
  const nodes = await x.svc.db.retry((k) => listClusterNodes(k, cluster.id));
  return nodesByRandom(nodes, count);
}

async function shrink(
  x: Execution,
  cluster: ClusterRecord,
  count: number,
  op: string,
  limits = {},
): Promise<ActionResult> {
  const nodes = await x.svc.db.retry((k) => listClusterNodes(k, cluster.id));
  const keep =
    op === 'CLUSTER_SCALE_IN' &&
    (x.action.data.deletion as { reduce_desired_capacity?: unknown } | undefined)
      ?.reduce_desired_capacity === false;
  const desired = keep ? (cluster.desiredCapacity ?? nodes.length) : nodes.length - count;
  await setClusterStatus(
    x.svc,
    cluster.id,
    'RESIZING',
    op === 'CLUSTER_RESIZE' ? 'Cluster resize started.' : 'Cluster scale in started.',
    {
      desiredCapacity: desired,
      ...limits,
    },
  );
  const deletion = (x.action.data.deletion ?? {}) as Record<string, unknown>;
  const grace = Number(deletion.grace_period ?? 0);
  if (grace > 0) await x.sleep(grace);
  const chosen = await victims(x, cluster, count);
  const result = await deleteMembers(x, cluster, chosen);
  await evalClusterStatus(x.svc, cluster.id, op);
  return result;
}

async function grow(
  x: Execution,
  cluster: ClusterRecord,
  count: number,
  op: string,
  limits = {},
): Promise<ActionResult> {
  const nodes = await x.svc.db.retry((k) => listClusterNodes(k, cluster.id));
  await setClusterStatus(
    x.svc,
    cluster.id,
    'RESIZING',
    op === 'CLUSTER_RESIZE' ? 'Cluster resize started.' : 'Cluster scale out started.',
    {
      desiredCapacity: nodes.length + count,
      ...limits,
    },
  );
  const result = await createMembers(x, cluster, count);
  await evalClusterStatus(x.svc, cluster.id, op);
  return result;
}

/** CLUSTER_RESIZE */
export const clusterResize = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc, action } = x;
  const inputs = action.inputs as ResizeInputs & Record<string, unknown>;
  const limits: { minSize?: number; maxSize?: number } = {};
  if (typeof inputs.min_size === 'number') limits.minSize = inputs.min_size;
  if (typeof inputs.max_size === 'number') limits.maxSize = inputs.max_size;
  if (!action.data.creation && !action.data.deletion) {
    const current = (await svc.db.retry((k) => listClusterNodes(k, cluster.id))).length;
    const plan = parseResizeParams(
      inputs,
      cluster,
      current,
      svc.config.DEFAULT.max_nodes_per_cluster,
    );
    if (!plan.ok) return error(plan.reason);
    if (plan.deletion)
      action.data.deletion = { ...((action.data.deletion ?? {}) as object), ...plan.deletion };
    if (plan.creation)
      action.data.creation = { ...((action.data.creation ?? {}) as object), ...plan.creation };
  }
  const deletion = action.data.deletion as { count?: number } | undefined;
  const creation = action.data.creation as { count?: number } | undefined;
  let result: ActionResult = ok('');
  if (deletion && Number(deletion.count) > 0)
    result = await shrink(x, cluster, Number(deletion.count), 'CLUSTER_RESIZE', limits);
  else if (creation && Number(creation.count) > 0)
    result = await grow(x, cluster, Number(creation.count), 'CLUSTER_RESIZE', limits);
  else {
    const nodes = await svc.db.retry((k) => listClusterNodes(k, cluster.id));
    await evalClusterStatus(svc, cluster.id, 'CLUSTER_RESIZE', {
      desiredCapacity: nodes.length,
      ...limits,
    });
  }
  return result.code === 'OK' ? ok('Cluster resize succeeded.') : result;
});

/** CLUSTER_SCALE_OUT */
export const clusterScaleOut = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc, action } = x;
  const creation = action.data.creation as { count?: unknown } | undefined;
  const raw = creation ? (creation.count ?? 1) : (action.inputs.count ?? 1);
  const count = creation && raw === 0 ? 0 : positiveInteger(raw);
  if (count === null) return error(`Invalid count (${String(raw)}) for scaling out.`);
  const current = (await svc.db.retry((k) => listClusterNodes(k, cluster.id))).length;
  const problem = checkSizeParams(
    cluster,
    { desired: current + count, strict: true },
    svc.config.DEFAULT.max_nodes_per_cluster,
  );
  if (problem) return error(problem);
  const result = await grow(x, cluster, count, 'CLUSTER_SCALE_OUT');
  return result.code === 'OK' ? ok('Cluster scaling succeeded.') : result;
});

/** CLUSTER_SCALE_IN */
export const clusterScaleIn = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc, action } = x;
  const deletion = action.data.deletion as { count?: unknown; candidates?: string[] } | undefined;
  let count: number | null;
  if (deletion) {
    count =
      deletion.candidates?.length ||
      (deletion.count === 0 ? 0 : positiveInteger(deletion.count ?? 1));
  } else {
    count = positiveInteger(action.inputs.count ?? 1);
    if (count === null)
      return error(`Invalid count (${String(action.inputs.count)}) for scaling in.`);
  }
  const current = (await svc.db.retry((k) => listClusterNodes(k, cluster.id))).length;
  count = Math.min(count ?? 1, current);
  const problem = checkSizeParams(
    cluster,
    { desired: current - count, strict: true },
    svc.config.DEFAULT.max_nodes_per_cluster,
  );
  if (problem) return error(problem);
  const result = await shrink(x, cluster, count, 'CLUSTER_SCALE_IN');
  return result.code === 'OK' ? ok('Cluster scaling succeeded.') : result;
});
