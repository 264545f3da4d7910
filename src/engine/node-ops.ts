/**
 * What happens to a node and its cloud resource: create, delete, update, check, recover,
 * operations, join and leave, through the behaviour of its profile type. Node statuses and
 * reasons are upstream's.
 */
import { EResourceError, EServerNotFound, InternalError } from '../common/errors.js';
import { getCluster, takeNextIndex } from '../db/queries/clusters.js';
import type { NodeRecord, NodeValues } from '../db/queries/nodes.js';
import { deleteNodeRow, getNode, updateNode } from '../db/queries/nodes.js';
import type { ProfileRecord } from '../db/queries/profiles.js';
import { decodeProfile } from '../db/queries/profiles.js';
import { profileBehaviours } from '../profiles/index.js';
import type {
  ProfileBehaviour,
  ProfileCallContext,
  ProfileView,
  RecoverOptions,
} from './contracts.js';
import { nodeView, profileCallContext, profileView } from './profile-context.js';
import type { EngineServices } from './services.js';

/** Outcome of a node operation: success and the reason to report. */
export interface NodeOutcome {
  readonly ok: boolean;
  readonly reason: string;
}

const NO_UPDATED_AT = ['CREATING', 'UPDATING', 'RECOVERING', 'OPERATING'];

/**
 * Sets a node's status with upstream's timestamps (ACTIVE after CREATING sets `created_at`;
 * settled statuses set `updated_at`). A member node turning ERROR makes an ACTIVE cluster
 * WARNING with the node's reason, so failures surface on the cluster.
 */
export async function setNodeStatus(
  svc: EngineServices,
  node: NodeRecord,
  status: string,
  reason: string,
  extra: NodeValues = {},
): Promise<void> {
  const now = svc.now();
  const values: NodeValues = { ...extra, status, statusReason: reason };
  if (status === 'ACTIVE' && node.status === 'CREATING') values.createdAt = now;
  if (!NO_UPDATED_AT.includes(status)) values.updatedAt = now;
  await svc.db.retry(async (k) => {
    await updateNode(k, node.id, values);
    if (status === 'ERROR' && node.clusterId) {
      await k
        .updateTable('cluster')
        .set({ status: 'WARNING', status_reason: `Node ${node.name}: ${reason}` })
        .where('id', '=', node.clusterId)
        .where('status', '=', 'ACTIVE')
        .execute();
    }
  });
  Object.assign(node, values);
}

/** The profile record of a node. */
export async function loadProfile(svc: EngineServices, profileId: string): Promise<ProfileRecord> {
  const row = await svc.db.retry((k) =>
    k.selectFrom('profile').selectAll().where('id', '=', profileId).executeTakeFirst(),
  );
  if (!row) throw new InternalError(`The profile '${profileId}' could not be found.`);
  return decodeProfile(row);
}

/** The behaviour of a profile type. */
export function behaviourOf(type: string): ProfileBehaviour {
  const behaviour = profileBehaviours.get(type);
  if (!behaviour) throw new InternalError(`The profile type '${type}' has no behaviour.`);
  return behaviour;
}

interface Bound {
  behaviour: ProfileBehaviour;
  profile: ProfileView;
  ctx: ProfileCallContext;
}

async function bind(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
  profileId = node.profileId,
): Promise<Bound> {
  const profile = profileView(await loadProfile(svc, profileId));
  return {
    behaviour: behaviourOf(profile.type),
    profile,
    ctx: await profileCallContext(svc, node, profile, signal),
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An action that was cancelled or timed out stops here (after the node status is recorded). */
function rethrowIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

/** Creates the node's resource (node must be INIT). */
export async function createNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
): Promise<NodeOutcome> {
  if (node.status !== 'INIT') return { ok: false, reason: 'Node must be in INIT status' };
  await setNodeStatus(svc, node, 'CREATING', 'Creation in progress');
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  let physicalId: string;
  try {
    physicalId = await behaviour.create(nodeView(node), profile, ctx);
  } catch (err) {
    const partial = err instanceof EResourceError ? err.resourceId : null;
    await setNodeStatus(svc, node, 'ERROR', message(err), partial ? { physicalId: partial } : {});
    rethrowIfStopped(signal);
    return { ok: false, reason: message(err) };
  }
  const stillThere = await svc.db.retry((k) => getNode(k, node.id));
  if (!stillThere) {
    // The node was deleted while its server was being made: do not leave the server behind.
    await behaviour
      .delete({ ...nodeView(node), physicalId }, profile, ctx, { force: true })
      .catch(() => undefined);
    return { ok: false, reason: 'Node was deleted during creation' };
  }
  Object.assign(node, { status: stillThere.status, data: stillThere.data });
  await setNodeStatus(svc, node, 'ACTIVE', 'Creation succeeded', { physicalId });
  return { ok: true, reason: 'Node created successfully.' };
}

/** Deletes the node's resource and its row. */
export async function deleteNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
  options: { force?: boolean; timeout?: number | null } = {},
): Promise<NodeOutcome> {
  await setNodeStatus(svc, node, 'DELETING', 'Deletion in progress');
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  try {
    await behaviour.delete(nodeView(node), profile, ctx, options);
  } catch (err) {
    await setNodeStatus(svc, node, 'ERROR', message(err));
    rethrowIfStopped(signal);
    return { ok: false, reason: message(err) };
  }
  await svc.db.retry((k) => deleteNodeRow(k, node.id));
  return { ok: true, reason: 'Node deleted successfully.' };
}

/** Updates a node (properties and, with `newProfileId`, its resource). */
export async function updateNodeResource(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
  inputs: Record<string, unknown>,
): Promise<NodeOutcome> {
  if (!node.physicalId) return { ok: false, reason: 'Node has no physical resource to update.' };
  const previous = { status: node.status, reason: node.statusReason };
  await setNodeStatus(svc, node, 'UPDATING', 'Update in progress');
  const newProfileId = typeof inputs.new_profile_id === 'string' ? inputs.new_profile_id : null;
  const values: NodeValues = {};
  if (newProfileId) {
    const { behaviour, profile, ctx } = await bind(svc, node, signal);
    const next = profileView(await loadProfile(svc, newProfileId));
    let updated: boolean;
    try {
      updated = await behaviour.update(nodeView(node), profile, next, ctx, inputs);
    } catch (err) {
      await setNodeStatus(svc, node, 'ERROR', message(err));
      rethrowIfStopped(signal);
      return { ok: false, reason: message(err) };
    }
    if (!updated) {
      // Nothing was changed on the resource: the node keeps its status (upstream left it UPDATING).
      await setNodeStatus(
        svc,
        node,
        previous.status,
        `Update failed: the new profile cannot be applied. ${previous.reason}`.trim(),
      );
      return { ok: false, reason: 'Update failed: the new profile cannot be applied to the node.' };
    }
    values.profileId = newProfileId;
  }
  if (typeof inputs.name === 'string') values.name = inputs.name;
  if ('role' in inputs) values.role = (inputs.role as string | null) ?? null;
  if ('metadata' in inputs)
    values.metadata = (inputs.metadata as Record<string, unknown> | null) ?? {};
  if ('tainted' in inputs) values.tainted = Boolean(inputs.tainted);
  await setNodeStatus(svc, node, 'ACTIVE', 'Update succeeded', values);
  return { ok: true, reason: 'Node updated successfully.' };
}

/** Checks a node's resource; a vanished resource makes the node ERROR but the check succeeds. */
export async function checkNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
): Promise<NodeOutcome> {
  if (!node.physicalId) return { ok: false, reason: 'Node check failed.' };
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  let healthy: boolean;
  try {
    healthy = await behaviour.check(nodeView(node), profile, ctx);
  } catch (err) {
    if (err instanceof EServerNotFound) {
      await setNodeStatus(svc, node, 'ERROR', message(err), { physicalId: null });
      return { ok: true, reason: 'Node checked.' };
    }
    await setNodeStatus(svc, node, 'ERROR', message(err));
    rethrowIfStopped(signal);
    return { ok: false, reason: 'Node check failed.' };
  }
  if (healthy) {
    if (node.status === 'WARNING') {
      await setNodeStatus(
        svc,
        node,
        'WARNING',
        `Check: Physical object is ACTIVE but the node status was WARNING. ${node.statusReason}`,
      );
    } else {
      await setNodeStatus(svc, node, 'ACTIVE', 'Check: Node is ACTIVE.');
    }
  } else {
    await setNodeStatus(svc, node, 'ERROR', 'Check: Node is not ACTIVE.');
  }
  return { ok: true, reason: 'Node check succeeded.' };
}

/** Recovers a node (after an optional check). */
export async function recoverNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
  inputs: Record<string, unknown>,
): Promise<NodeOutcome> {
  const operation =
    typeof inputs.operation === 'string' ? inputs.operation.toUpperCase() : undefined;
  if (!node.physicalId && (operation === 'REBOOT' || operation === 'REBUILD')) {
    return { ok: false, reason: 'Recovery failed: the node has no physical resource.' };
  }
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  if (inputs.check === true && node.physicalId) {
    const healthy = await behaviour.check(nodeView(node), profile, ctx).catch(() => false);
    if (healthy) {
      await setNodeStatus(svc, node, 'ACTIVE', 'Recover: Node is ACTIVE.');
      return { ok: true, reason: 'Node recovered successfully.' };
    }
  }
  await setNodeStatus(svc, node, 'RECOVERING', 'Recovery in progress');
  const options: RecoverOptions = {
    ...(operation ? { operation } : {}),
    operationParams: (inputs.operation_params as Record<string, unknown> | undefined) ?? {},
    forceRecreate: inputs.force_recreate === true,
    deleteTimeout: typeof inputs.delete_timeout === 'number' ? inputs.delete_timeout : null,
  };
  let result: { physicalId: string | null; ok: boolean };
  try {
    result = await behaviour.recover(nodeView(node), profile, ctx, options);
  } catch (err) {
    const partial = err instanceof EResourceError ? err.resourceId : undefined;
    await setNodeStatus(
      svc,
      node,
      'ERROR',
      message(err),
      partial !== undefined ? { physicalId: partial } : {},
    );
    rethrowIfStopped(signal);
    return { ok: false, reason: message(err) };
  }
  if (!result.ok) {
    await setNodeStatus(svc, node, 'ERROR', 'Recovery failed');
    return { ok: false, reason: 'Recovery failed' };
  }
  const values: NodeValues = {};
  if (result.physicalId && result.physicalId !== node.physicalId) {
    // The behaviour stored data while it worked (ports of the new server): start from that.
    const current = (await svc.db.retry((k) => getNode(k, node.id)))?.data ?? node.data;
    const { recreating: _done, ...data } = current;
    values.physicalId = result.physicalId;
    values.data = { ...data, recovery: 'RECREATE' };
  }
  await setNodeStatus(svc, node, 'ACTIVE', 'Recovery succeeded', values);
  return { ok: true, reason: 'Node recovered successfully.' };
}

/** Runs an operation of the profile type on the node. */
export async function operateNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
  name: string,
  params: Record<string, unknown>,
): Promise<NodeOutcome> {
  if (!node.physicalId)
    return { ok: false, reason: `Operation '${name}' failed: the node has no physical resource.` };
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  await setNodeStatus(svc, node, 'OPERATING', `Operation '${name}' in progress`);
  try {
    await behaviour.operation(nodeView(node), profile, ctx, name, params);
  } catch (err) {
    await setNodeStatus(svc, node, 'ERROR', message(err));
    rethrowIfStopped(signal);
    return { ok: false, reason: message(err) };
  }
  await setNodeStatus(svc, node, 'ACTIVE', `Operation '${name}' succeeded`);
  return { ok: true, reason: `Node operation '${name}' succeeded.` };
}

/** Moves a node into a cluster (new index) and tells its resource. */
export async function joinNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
  clusterId: string,
): Promise<NodeOutcome> {
  if (node.clusterId === clusterId) return { ok: true, reason: 'Node joined cluster.' };
  if (!(await svc.db.retry((k) => getCluster(k, clusterId))))
    return { ok: false, reason: 'Node failed in joining cluster.' };
  const index = await svc.db.transaction((trx) => takeNextIndex(trx, clusterId));
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  let joined: boolean;
  try {
    joined = await behaviour.join({ ...nodeView(node), clusterId, index }, profile, ctx, clusterId);
  } catch {
    joined = false;
  }
  if (!joined) return { ok: false, reason: 'Node failed in joining cluster.' };
  await svc.db.retry((k) => updateNode(k, node.id, { clusterId, index, updatedAt: svc.now() }));
  Object.assign(node, { clusterId, index });
  return { ok: true, reason: 'Node joined cluster.' };
}

/** Moves a node out of its cluster and tells its resource. */
export async function leaveNode(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
): Promise<NodeOutcome> {
  if (!node.clusterId) return { ok: true, reason: 'Node left cluster.' };
  const { behaviour, profile, ctx } = await bind(svc, node, signal);
  let left: boolean;
  try {
    left = await behaviour.leave(nodeView(node), profile, ctx);
  } catch {
    left = false;
  }
  if (!left) return { ok: false, reason: 'Node failed in leaving cluster.' };
  await svc.db.retry((k) =>
    updateNode(k, node.id, { clusterId: '', index: -1, updatedAt: svc.now() }),
  );
  Object.assign(node, { clusterId: '', index: -1 });
  return { ok: true, reason: 'Node left cluster.' };
}
