/**
 * Creating and deleting cluster members with child node actions, shared by create, resize,
 * scale, delete and delete-nodes (engine contract §3.11.1, §3.11.3).
 */
import { ActionCause } from '../../../common/constants.js';
import { newId } from '../../../common/ids.js';
import { formatNodeName } from '../../../common/node-name.js';
import type { ClusterRecord } from '../../../db/queries/clusters.js';
import { takeNextIndex } from '../../../db/queries/clusters.js';
import type { NodeRecord } from '../../../db/queries/nodes.js';
import { insertNodes } from '../../../db/queries/nodes.js';
import type { NewAction } from '../../action-create.js';
import type { ActionResult, Execution } from '../../execution.js';
import { ok } from '../../execution.js';
import { short } from '../../services.js';
import type { LifecycleHooks } from './lifecycle-hooks.js';
import { runWithHooks } from './lifecycle-hooks.js';

/** A child node action of a cluster action. */
export function nodeChild(
  x: Execution,
  action: string,
  nodeId: string,
  clusterId: string,
  name: string,
  inputs: Record<string, unknown> = {},
): Omit<NewAction, 'status'> {
  return {
    name,
    action,
    target: nodeId,
    clusterId,
    inputs,
    timeout: x.svc.config.DEFAULT.default_action_timeout,
  };
}

/**
 * Creates `count` member nodes (names from `node.name.format`, placement decisions of policies
 * copied onto them) with one NODE_CREATE child each, and waits for them.
 */
export async function createMembers(
  x: Execution,
  cluster: ClusterRecord,
  count: number,
): Promise<ActionResult> {
  if (count <= 0) return ok('');
  const now = x.svc.now();
  const placement = (x.action.data.placement ?? {}) as { placements?: Record<string, unknown>[] };
  const nodes: NodeRecord[] = [];
  const ids = Array.from({ length: count }, () => newId());
  const children = ids.map((id) =>
    nodeChild(x, 'NODE_CREATE', id, cluster.id, `node_create_${short(id)}`),
  );
  const result = await x.runChildren(children, ActionCause.DERIVED, async (trx) => {
    const first = await takeNextIndex(trx, cluster.id, count);
    const format =
      typeof cluster.config['node.name.format'] === 'string'
        ? cluster.config['node.name.format']
        : null;
    for (let m = 0; m < count; m++) {
      const place = placement.placements?.[m];
      nodes.push({
        id: ids[m] ?? newId(),
        name: formatNodeName(format, first + m),
        physicalId: null,
        clusterId: cluster.id,
        profileId: cluster.profileId,
        user: cluster.user,
        project: cluster.project,
        domain: cluster.domain,
        index: first + m,
        role: '',
        initAt: now,
        createdAt: null,
        updatedAt: null,
        tainted: false,
        status: 'INIT',
        statusReason: 'Initializing',
        metadata: {},
        data: place ? { placement: place } : {},
        dependents: {},
      });
    }
    await insertNodes(trx, nodes);
  });
  if (result.code === 'OK') {
    x.action.outputs.nodes_added = ids;
    const creation = (x.action.data.creation ?? {}) as Record<string, unknown>;
    x.action.data.creation = { ...creation, nodes: ids };
    return ok('');
  }
  return result.code === 'ERROR' ? { code: 'ERROR', reason: 'Failed in creating nodes.' } : result;
}

/**
 * Removes members: NODE_DELETE children, or NODE_LEAVE when `data.deletion` says not to
 * destroy them; with `cluster.stop_node_before_delete` the nodes are stopped first (a failed
 * stop does not stop the deletion).
 */
export async function deleteMembers(
  x: Execution,
  cluster: ClusterRecord,
  nodeIds: readonly string[],
): Promise<ActionResult> {
  if (nodeIds.length === 0) return ok('');
  const deletion = (x.action.data.deletion ?? {}) as Record<string, unknown>;
  const childAction = deletion.destroy_after_deletion === false ? 'NODE_LEAVE' : 'NODE_DELETE';
  if (cluster.config['cluster.stop_node_before_delete'] === true) {
    const stops = nodeIds.map((id) =>
      nodeChild(x, 'NODE_OPERATION', id, cluster.id, `node_delete_${short(id)}`, {
        operation: 'stop',
        params: {},
        update_parent_status: false,
      }),
    );
    await x.runChildren(stops);
  }
  const children = nodeIds.map((id) =>
    nodeChild(x, childAction, id, cluster.id, `node_delete_${short(id)}`),
  );
  const hooks = x.action.data.hooks as LifecycleHooks | undefined;
  const result =
    hooks && Object.keys(hooks).length > 0
      ? await runWithHooks(x, hooks, children)
      : await x.runChildren(children);
  if (result.code === 'OK') {
    x.action.outputs.nodes_removed = [...nodeIds];
    return ok('');
  }
  return result.code === 'ERROR'
    ? { code: 'ERROR', reason: `Failed in deleting nodes: ${result.reason}` }
    : result;
}
