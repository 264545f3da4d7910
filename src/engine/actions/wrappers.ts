/**
 * What every cluster action and every node action does around its own work: locks and policy
 * checks (engine contract §3.11, §3.12).
 */
import { ActionCause } from '../../common/constants.js';
import type { ClusterRecord } from '../../db/queries/clusters.js';
import { getCluster } from '../../db/queries/clusters.js';
import { CLUSTER_SCOPE, NODE_SCOPE } from '../../db/queries/locks.js';
import type { NodeRecord } from '../../db/queries/nodes.js';
import { getNode } from '../../db/queries/nodes.js';
import { evalClusterStatus } from '../cluster-status.js';
import type { ActionResult, Execution } from '../execution.js';
import { ActionStop, error } from '../execution.js';
import { lockCluster, lockNode, unlockCluster, unlockNode } from '../locks.js';
import { checkPolicies } from '../policy-check.js';
import { preScalingCheck, wantsPreScalingCheck } from './cluster/pre-scaling-check.js';

/** The work of a cluster action, given its cluster. */
export type ClusterWork = (x: Execution, cluster: ClusterRecord) => Promise<ActionResult>;
/** The work of a node action, given its node. */
export type NodeWork = (x: Execution, node: NodeRecord) => Promise<ActionResult>;

/** The result code of work that threw (stopped, timed out, or failed). */
function stoppedResult(err: unknown): ActionResult {
  if (err instanceof ActionStop) return { code: err.code, reason: err.message };
  return error(err instanceof Error ? err.message : String(err));
}

/** The signal AFTER checks run with: the action's, or a fresh one when it was stopped. */
function afterSignal(x: Execution): AbortSignal {
  return x.signal.aborted ? new AbortController().signal : x.signal;
}

/**
 * Cluster actions that put the cluster in a transitional status (CREATING, RESIZING, CHECKING
 * ...) and evaluate it from the nodes once their node actions have ended, whatever the result.
 */
const EVALUATED_AFTER = new Set([
  'CLUSTER_CREATE',
  'CLUSTER_DELETE',
  'CLUSTER_UPDATE',
  'CLUSTER_RESIZE',
  'CLUSTER_SCALE_OUT',
  'CLUSTER_SCALE_IN',
  'CLUSTER_ADD_NODES',
  'CLUSTER_DEL_NODES',
  'CLUSTER_REPLACE_NODES',
  'CLUSTER_CHECK',
  'CLUSTER_RECOVER',
  'CLUSTER_OPERATION',
]);

/**
 * Upstream's wait for node actions returns CANCEL or TIMEOUT to the handler, which then
 * evaluates the cluster's status as after any other result; here a stop unwinds the handler,
 * so the evaluation is made for it (else the cluster would stay RESIZING, CHECKING ... for
 * good).
 */
async function evalAfterStop(x: Execution, clusterId: string): Promise<void> {
  const { action } = x;
  if (!EVALUATED_AFTER.has(action.action)) return;
  const operation =
    action.action === 'CLUSTER_OPERATION' && typeof action.inputs.operation === 'string'
      ? action.inputs.operation
      : action.action;
  await evalClusterStatus(x.svc, clusterId, operation);
}

/** Cluster actions: exclusive cluster lock (forced for delete), BEFORE and AFTER policy checks. */
export function clusterAction(work: ClusterWork): (x: Execution) => Promise<ActionResult> {
  return async (x) => {
    const { svc, action } = x;
    const forced = action.action === 'CLUSTER_DELETE';
    if (!(await lockCluster(svc, action.target, action.id, CLUSTER_SCOPE, forced))) {
      return { code: 'RETRY', reason: 'Failed in locking cluster.' };
    }
    try {
      const cluster = await svc.db.retry((k) => getCluster(k, action.target));
      if (!cluster) return error(`The cluster '${action.target}' could not be found.`);
      if (wantsPreScalingCheck(x, cluster)) await preScalingCheck(x, cluster);
      if (!(await checkPolicies(x, cluster.id, 'BEFORE'))) {
        return error(`Policy check failure: ${String(action.data.reason)}`);
      }
      // The AFTER checks run whatever happened to the work (policies undo what their BEFORE
      // check did, e.g. health checking paused), with a signal of their own when the action
      // itself was stopped.
      let result: ActionResult;
      let thrown: unknown = null;
      try {
        result = await work(x, cluster);
      } catch (err) {
        thrown = err;
        result = stoppedResult(err);
      }
      action.inputs.action_result = result.code;
      if (await svc.db.retry((k) => getCluster(k, cluster.id))) {
        if (thrown instanceof ActionStop) await evalAfterStop(x, cluster.id);
        if (!(await checkPolicies(x, cluster.id, 'AFTER', afterSignal(x))) && thrown === null) {
          result = error(`Policy check failure: ${String(action.data.reason)}`);
        }
      }
      if (thrown !== null) throw thrown;
      return result;
    } finally {
      await unlockCluster(svc, action.target, action.id);
    }
  };
}

/**
 * Node actions: requests on member nodes share the cluster lock and run the cluster's policy
 * checks; every node action holds the node lock (forced for delete and operations).
 */
export function nodeAction(work: NodeWork): (x: Execution) => Promise<ActionResult> {
  return async (x) => {
    const { svc, action } = x;
    const node = await svc.db.retry((k) => getNode(k, action.target));
    if (!node) return error(`The node '${action.target}' could not be found.`);
    const forced = action.action === 'NODE_DELETE' || action.action === 'NODE_OPERATION';
    const clusterId = node.clusterId;
    const rpc = action.cause === ActionCause.RPC && clusterId !== '';
    if (rpc) {
      if (!(await lockCluster(svc, clusterId, action.id, NODE_SCOPE, false))) {
        return { code: 'RETRY', reason: 'Failed in locking cluster' };
      }
    }
    try {
      if (rpc && !(await checkPolicies(x, clusterId, 'BEFORE'))) {
        return error(`Policy check: ${String(action.data.reason)}`);
      }
      if (clusterId && action.cause === ActionCause.DERIVED_LCH)
        await checkPolicies(x, clusterId, 'BEFORE');
      if (!(await lockNode(svc, node.id, action.id, forced))) {
        return { code: 'RETRY', reason: 'Failed in locking node' };
      }
      try {
        let result: ActionResult;
        let thrown: unknown = null;
        try {
          result = await work(x, node);
        } catch (err) {
          thrown = err;
          result = stoppedResult(err);
        }
        if (rpc) {
          action.inputs.action_result = result.code;
          if (!(await checkPolicies(x, clusterId, 'AFTER', afterSignal(x))) && thrown === null) {
            result = error(`Policy check: ${String(action.data.reason)}`);
          }
        }
        if (thrown !== null) throw thrown;
        return result;
      } finally {
        await unlockNode(svc, node.id, action.id);
      }
    } finally {
      if (rpc) await unlockCluster(svc, clusterId, action.id);
    }
  };
}
