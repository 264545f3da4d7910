/**
 * Recovering a node found unhealthy: a NODE_RECOVER action acting for the cluster's owner,
 * created through the engine's admission checks (a node already being worked on is left
 * alone), so that locks, policies (the load-balancing policy re-adds recreated members) and
 * action events apply as for a user's request. The detection is recorded as an event.
 */
import { ActionCause } from '../common/constants.js';
import { ActionConflict, ResourceIsLocked } from '../common/errors.js';
import { newId } from '../common/ids.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { createAction } from '../engine/action-create.js';
import type { EngineServices } from '../engine/services.js';
import { short } from '../engine/services.js';
import { recordHealthEvent } from './events.js';

/** What the recovery of one node is about. */
export interface RecoveryRequest {
  readonly cluster: Pick<ClusterRecord, 'id' | 'user' | 'project' | 'domain'>;
  readonly node: Pick<NodeRecord, 'id' | 'name' | 'clusterId'>;
  /** NODE_RECOVER inputs (see registrationRecoveryInputs). */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** What found the node unhealthy, e.g. `NODE_STATUS_POLLING`. */
  readonly detection: string;
  /** Why it is unhealthy. */
  readonly reason: string;
}

function recoveryName(inputs: Readonly<Record<string, unknown>>): string {
  return typeof inputs.operation === 'string' ? inputs.operation.toUpperCase() : 'RECREATE';
}

/**
 * Requests the recovery of a node; returns the id of the NODE_RECOVER action, or null when the
 * node is busy (locked or with another action pending), which the next check sees again.
 */
export async function requestRecovery(
  svc: EngineServices,
  request: RecoveryRequest,
): Promise<string | null> {
  const { cluster, node, inputs } = request;
  let actionId: string;
  try {
    const action = await svc.db.transaction((trx) =>
      createAction(
        trx,
        {
          user_id: cluster.user,
          project_id: cluster.project,
          domain_id: cluster.domain,
          is_admin: false,
          request_id: `req-${newId()}`,
          trusts: null,
        },
        {
          name: `node_recover_${short(node.id)}`,
          action: 'NODE_RECOVER',
          target: node.id,
          clusterId: node.clusterId,
          cause: ActionCause.RPC,
          inputs: { ...inputs },
          timeout: svc.config.DEFAULT.default_action_timeout,
        },
        svc.now(),
      ),
    );
    actionId = action.id;
  } catch (err) {
    if (err instanceof ActionConflict || err instanceof ResourceIsLocked) {
      svc.logger.debug({ node: node.id, err }, 'node busy: recovery left for the next check');
      return null;
    }
    throw err;
  }
  svc.bus.ready();
  await recordHealthEvent(
    svc,
    { id: node.id, name: node.name, otype: 'NODE', clusterId: node.clusterId },
    cluster,
    'WARN',
    'UNHEALTHY',
    `${request.detection}: ${request.reason}. Recovering with ${recoveryName(inputs)} (action ${short(actionId)}).`,
  );
  return actionId;
}
