/**
 * Membership changes reported to the members themselves (docs/notifications.md). Before a
 * user-level action that can change who is in a cluster runs, the members of the clusters it
 * touches are noted, when those clusters ask for it with `membership.*` config keys; after it
 * ended, the difference is reported: a `cluster.membership.update` notification, a webhook
 * POST, and a profile operation on the members that stayed. Derived actions are covered by
 * the action that made them. Reporting never fails an action: problems are logged.
 */
import { ActionCause } from '../common/constants.js';
import type { ActionRecord } from '../db/queries/actions.js';
import { getAction } from '../db/queries/actions.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { getCluster } from '../db/queries/clusters.js';
import { getNode, listClusterNodes } from '../db/queries/nodes.js';
import { membershipSettings } from './membership-config.js';
import type { MembershipChange } from './membership-report.js';
import { membershipData, startMembershipOperation } from './membership-report.js';
import type { EngineServices } from './services.js';

/** Actions after which the members of their cluster may differ. */
const CLUSTER_ACTIONS = new Set([
  'CLUSTER_CREATE',
  'CLUSTER_ADD_NODES',
  'CLUSTER_DEL_NODES',
  'CLUSTER_RESIZE',
  'CLUSTER_SCALE_OUT',
  'CLUSTER_SCALE_IN',
  'CLUSTER_REPLACE_NODES',
  'CLUSTER_RECOVER',
]);
const NODE_ACTIONS = new Set([
  'NODE_CREATE',
  'NODE_DELETE',
  'NODE_JOIN',
  'NODE_LEAVE',
  'NODE_RECOVER',
]);

/** Node id → physical id of a cluster's members. */
export type MemberSnapshot = ReadonlyMap<string, string | null>;

/** Compares the members before and after an action. */
export function diffMembers(before: MemberSnapshot, after: MemberSnapshot): MembershipChange {
  const change: MembershipChange = { added: [], removed: [], replaced: [], stayed: [] };
  for (const [id, physical] of after) {
    const previous = before.get(id);
    if (physical === null) continue;
    if (!previous) change.added.push(id);
    else if (previous !== physical) change.replaced.push(id);
    else change.stayed.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) change.removed.push(id);
  return change;
}

async function snapshot(svc: EngineServices, clusterId: string): Promise<MemberSnapshot> {
  const nodes = await svc.db.retry((k) => listClusterNodes(k, clusterId));
  return new Map(nodes.map((n) => [n.id, n.physicalId]));
}

async function clustersOf(svc: EngineServices, action: ActionRecord): Promise<string[]> {
  if (CLUSTER_ACTIONS.has(action.action)) return [action.target];
  if (!NODE_ACTIONS.has(action.action)) return [];
  const node = await svc.db.retry((k) => getNode(k, action.target));
  const ids = new Set<string>();
  if (node?.clusterId) ids.add(node.clusterId);
  const joining = action.inputs.cluster_id;
  if (action.action === 'NODE_JOIN' && typeof joining === 'string' && joining !== '') {
    ids.add(joining);
  }
  return [...ids];
}

function wantsReports(cluster: ClusterRecord): boolean {
  try {
    return membershipSettings(cluster.config) !== null;
  } catch {
    return false;
  }
}

/** The report to make once an action ended. */
export interface MembershipWatch {
  /** Reports the changes (if any) of the watched clusters. Never throws. */
  report(): Promise<void>;
}

/** Notes the members before `action` runs, when a cluster it touches asks for reports. */
export async function watchMembership(
  svc: EngineServices,
  action: ActionRecord,
): Promise<MembershipWatch | null> {
  if (action.cause !== ActionCause.RPC) return null;
  try {
    const watched = new Map<string, MemberSnapshot>();
    for (const clusterId of await clustersOf(svc, action)) {
      const cluster = await svc.db.retry((k) => getCluster(k, clusterId));
      if (cluster && wantsReports(cluster)) watched.set(clusterId, await snapshot(svc, clusterId));
    }
    if (watched.size === 0) return null;
    return { report: () => reportAll(svc, action, watched) };
  } catch (err) {
    svc.logger.warn({ err, action: action.id }, 'could not note the members of a cluster');
    return null;
  }
}

async function reportAll(
  svc: EngineServices,
  action: ActionRecord,
  watched: ReadonlyMap<string, MemberSnapshot>,
): Promise<void> {
  for (const [clusterId, before] of watched) {
    try {
      await reportOne(svc, action, clusterId, before);
    } catch (err) {
      svc.logger.warn({ err, cluster: clusterId }, 'could not report a membership change');
    }
  }
}

async function reportOne(
  svc: EngineServices,
  action: ActionRecord,
  clusterId: string,
  before: MemberSnapshot,
): Promise<void> {
  const cluster = await svc.db.retry((k) => getCluster(k, clusterId));
  const settings = cluster ? membershipSettings(cluster.config) : null;
  if (!cluster || !settings) return;
  const change = diffMembers(before, await snapshot(svc, clusterId));
  if (change.added.length + change.removed.length + change.replaced.length === 0) return;
  const ended = (await svc.db.retry((k) => getAction(k, action.id))) ?? action;
  const data = await membershipData(svc, cluster, ended, change);
  const notifier = svc.notifier;
  svc.logger.info(
    {
      cluster: clusterId,
      added: change.added.length,
      removed: change.removed.length,
      replaced: change.replaced.length,
    },
    'cluster membership changed',
  );
  if (settings.notify && notifier) {
    notifier.notify({
      eventType: 'cluster.membership.update',
      priority: 'info',
      payload: data.payload,
      context: action.context ?? {},
      ...(settings.topic ? { topics: [settings.topic] } : {}),
    });
  }
  if (settings.webhook) {
    if (notifier) notifier.postWebhook(settings.webhook, data.body);
    else svc.logger.warn({ cluster: clusterId }, 'no notifier: membership webhook not sent');
  }
  if (settings.operation) {
    await startMembershipOperation(svc, cluster, action, settings, data.stayedActive);
  }
}
