/**
 * What a membership report says (docs/notifications.md, "Membership notifications"): the
 * cluster, the action that changed it, the nodes added, removed and replaced, and every
 * current member with its addresses as its profile reports them (Nova: the server's
 * `addresses`). Also starts the configured operation on the members that stayed.
 */
import { ActionCause } from '../common/constants.js';
import type { ActionRecord } from '../db/queries/actions.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { listClusterNodes } from '../db/queries/nodes.js';
import type { VersionedObject } from '../messaging/senlin-objects.js';
import { versioned } from '../messaging/senlin-objects.js';
import { createAction } from './action-create.js';
import type { MembershipSettings } from './membership-config.js';
import { behaviourOf, loadProfile } from './node-ops.js';
import { nodeView, profileCallContext, profileView } from './profile-context.js';
import type { EngineServices } from './services.js';
import { short } from './services.js';

/** What changed between two snapshots. */
export interface MembershipChange {
  /** Nodes that now have a resource in the cluster and had none there before. */
  readonly added: string[];
  /** Nodes that left the cluster. */
  readonly removed: string[];
  /** Nodes whose resource was replaced (recreated by a recovery). */
  readonly replaced: string[];
  /** Nodes with a resource before and after, unchanged. */
  readonly stayed: string[];
}

/** One address of a member. */
export interface MemberAddress {
  readonly addr: string;
  readonly version: number | null;
  /** `fixed` or `floating` when the cloud says. */
  readonly type: string | null;
}

/** One member in a report. */
export interface MemberReport {
  readonly id: string;
  readonly name: string;
  readonly index: number;
  readonly role: string | null;
  readonly status: string;
  readonly physical_id: string | null;
  readonly addresses: Record<string, MemberAddress[]>;
}

/** The report in its two forms, and the members an operation may run on. */
export interface MembershipData {
  /** Payload of `cluster.membership.update`: the versioned object `ClusterMembershipPayload`. */
  readonly payload: VersionedObject;
  /** Body of the webhook POST: the same fields with `event_type`. */
  readonly body: Record<string, unknown>;
  /** Members that stayed and are ACTIVE. */
  readonly stayedActive: string[];
}

const DETAILS_TIMEOUT_MS = 30_000;
const DETAILS_CONCURRENCY = 8;

function addressesOf(details: Record<string, unknown>): Record<string, MemberAddress[]> {
  const out: Record<string, MemberAddress[]> = {};
  const raw = details.addresses;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [network, list] of Object.entries(raw)) {
    if (!Array.isArray(list)) continue;
    out[network] = list
      .filter((a): a is Record<string, unknown> => typeof a === 'object' && a !== null)
      .filter((a) => typeof a.addr === 'string')
      .map((a) => ({
        addr: a.addr as string,
        version: typeof a.version === 'number' ? a.version : null,
        type: typeof a['OS-EXT-IPS:type'] === 'string' ? (a['OS-EXT-IPS:type'] as string) : null,
      }));
  }
  return out;
}

async function memberAddresses(
  svc: EngineServices,
  node: NodeRecord,
): Promise<Record<string, MemberAddress[]>> {
  if (!node.physicalId) return {};
  try {
    const profile = profileView(await loadProfile(svc, node.profileId));
    const signal = AbortSignal.timeout(DETAILS_TIMEOUT_MS);
    const ctx = await profileCallContext(svc, node, profile, signal);
    return addressesOf(await behaviourOf(profile.type).details(nodeView(node), profile, ctx));
  } catch (err) {
    svc.logger.debug({ err, node: node.id }, 'no addresses for a member');
    return {};
  }
}

/** Builds the report of a change of `cluster`'s members made by `action`. */
export async function membershipData(
  svc: EngineServices,
  cluster: ClusterRecord,
  action: ActionRecord,
  change: MembershipChange,
): Promise<MembershipData> {
  const nodes = [...(await svc.db.retry((k) => listClusterNodes(k, cluster.id)))].sort(
    (a, b) => a.index - b.index,
  );
  const members: MemberReport[] = [];
  // A few members at a time: each needs a call to the cloud for its addresses.
  for (let i = 0; i < nodes.length; i += DETAILS_CONCURRENCY) {
    const chunk = nodes.slice(i, i + DETAILS_CONCURRENCY);
    const addresses = await Promise.all(chunk.map((node) => memberAddresses(svc, node)));
    chunk.forEach((node, j) => {
      members.push({
        id: node.id,
        name: node.name,
        index: node.index,
        role: node.role,
        status: node.status,
        physical_id: node.physicalId,
        addresses: addresses[j] ?? {},
      });
    });
  }
  const data = {
    cluster: {
      id: cluster.id,
      name: cluster.name,
      project: cluster.project,
      user: cluster.user,
      profile_id: cluster.profileId,
      status: cluster.status,
      desired_capacity: cluster.desiredCapacity,
      min_size: cluster.minSize,
      max_size: cluster.maxSize,
    },
    action: {
      id: action.id,
      name: action.name,
      action: action.action,
      cause: action.cause,
      status: action.status,
    },
    nodes_added: change.added,
    nodes_removed: change.removed,
    nodes_replaced: change.replaced,
    members,
    timestamp: svc.now().toISOString(),
  };
  const active = new Set(nodes.filter((n) => n.status === 'ACTIVE').map((n) => n.id));
  return {
    payload: versioned('ClusterMembershipPayload', data),
    body: { event_type: 'cluster.membership.update', ...data },
    stayedActive: change.stayed.filter((id) => active.has(id)),
  };
}

/** Starts `membership.operation` on the members that stayed (a CLUSTER_OPERATION). */
export async function startMembershipOperation(
  svc: EngineServices,
  cluster: ClusterRecord,
  action: ActionRecord,
  settings: MembershipSettings,
  nodeIds: readonly string[],
): Promise<void> {
  const operation = settings.operation;
  if (!operation || nodeIds.length === 0 || !action.context) return;
  const context = action.context;
  const created = await svc.db.transaction((trx) =>
    createAction(
      trx,
      context,
      {
        name: `membership_${operation}_${short(cluster.id)}`,
        action: 'CLUSTER_OPERATION',
        target: cluster.id,
        clusterId: cluster.id,
        cause: ActionCause.RPC,
        inputs: { operation, params: settings.operationParams, nodes: [...nodeIds] },
        timeout: cluster.timeout,
      },
      svc.now(),
      // The action waits for the cluster lock like any other; no admission conflicts.
      { force: true },
    ),
  );
  svc.logger.info(
    { cluster: cluster.id, action: created.id, operation, nodes: nodeIds.length },
    'membership operation started',
  );
  svc.bus.ready();
}
