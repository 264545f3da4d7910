/** Cluster membership actions: add nodes, delete nodes, replace nodes. */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import { BadRequest, MultipleChoices, ResourceInUse, ResourceNotFound } from '../common/errors.js';
import { pyRepr } from '../common/py-repr.js';
import { checkSizeParams } from '../common/scaling.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { decodeNode } from '../db/queries/nodes.js';
import type { Database } from '../db/schema.js';
import { findScoped, requestClusterAction } from './cluster-support.js';
import type { ConductorDeps } from './deps.js';

/** Arguments of del_nodes. */
export interface DelNodesInput {
  readonly nodes: readonly string[];
  /** Present from microversion 1.4 (false unless the client says otherwise). */
  readonly destroy_after_deletion?: boolean | null;
}

/** A node found by identity, or null when it does not resolve (missing or ambiguous). */
async function findNode(
  k: Kysely<Database>,
  ctx: RequestContext,
  identity: string,
): Promise<NodeRecord | null> {
  try {
    return decodeNode(await findScoped(k, ctx, 'node', identity));
  } catch (err) {
    if (err instanceof ResourceNotFound || err instanceof MultipleChoices) return null;
    throw err;
  }
}

/** Profile type of a profile id (null when the row is gone). */
async function profileType(k: Kysely<Database>, profileId: string): Promise<string | null> {
  const row = await k
    .selectFrom('profile')
    .select('type')
    .where('id', '=', profileId)
    .executeTakeFirst();
  return row?.type ?? null;
}

/** Throws one 400 holding every collected message, one per line. */
function refuse(messages: readonly (string | false)[]): void {
  const lines = messages.filter((m): m is string => m !== false);
  if (lines.length > 0) throw new BadRequest(lines.join('\n'));
}

/** The strict size check of a membership change to `desired` nodes. */
function checkTarget(deps: ConductorDeps, cluster: ClusterRecord, desired: number): void {
  const error = checkSizeParams(
    cluster,
    { desired, strict: true },
    deps.config.DEFAULT.max_nodes_per_cluster,
  );
  if (error) throw new BadRequest(error);
}

const list = (items: readonly string[]): string => pyRepr(items);

/** Membership operations bound to their dependencies. */
export function clusterMembershipOperations(deps: ConductorDeps) {
  return {
    /** CLUSTER_ADD_NODES: active orphan nodes of the cluster's profile type join it. */
    addNodes(ctx: RequestContext, identity: string, nodes: readonly string[]): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const clusterType = await profileType(trx, cluster.profileId);
        const found: string[] = [];
        const notFound: string[] = [];
        const inactive: string[] = [];
        const owned: string[] = [];
        const mismatched: string[] = [];
        for (const given of nodes) {
          const node = await findNode(trx, ctx, given);
          if (!node) {
            notFound.push(given);
            continue;
          }
          if (node.status !== 'ACTIVE') inactive.push(node.id);
          if (node.clusterId) owned.push(node.id);
          if ((await profileType(trx, node.profileId)) !== clusterType) mismatched.push(node.id);
          found.push(node.id);
        }
        refuse([
          mismatched.length > 0 &&
            `Profile type of nodes ${list(mismatched)} does not match that of the cluster.`,
          owned.length > 0 && `Nodes ${list(owned)} already owned by some cluster.`,
          inactive.length > 0 && `Nodes are not ACTIVE: ${list(inactive)}.`,
          notFound.length > 0 && `Nodes not found: ${list(notFound)}.`,
        ]);
        checkTarget(deps, cluster, (cluster.desiredCapacity ?? 0) + found.length);
        return { action: 'CLUSTER_ADD_NODES', inputs: { nodes: found } };
      });
    },

    /**
     * CLUSTER_DEL_NODES: members leave the cluster (destroyed when `destroy_after_deletion`
     * or a deletion policy says so). Nodes other nodes depend on cannot go (409).
     */
    delNodes(ctx: RequestContext, identity: string, input: DelNodesInput): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const found: string[] = [];
        const notFound: string[] = [];
        const strangers: string[] = [];
        const depended: string[] = [];
        for (const given of input.nodes) {
          const node = await findNode(trx, ctx, given);
          if (!node) notFound.push(given);
          else if (node.clusterId !== cluster.id) strangers.push(node.id);
          else if (node.dependents.nodes !== undefined && node.dependents.nodes !== null) {
            depended.push(node.id);
          } else found.push(node.id);
        }
        if (depended.length > 0) {
          throw new ResourceInUse(
            'node',
            list(depended),
            `nodes ${list(depended)} are depended by other nodes, so can't be deleted or become orphan nodes`,
          );
        }
        refuse([
          notFound.length > 0 && `Nodes not found: ${list(notFound)}.`,
          strangers.length > 0 && `Nodes not members of specified cluster: ${list(strangers)}.`,
        ]);
        checkTarget(deps, cluster, (cluster.desiredCapacity ?? 0) - found.length);
        const inputs: Record<string, unknown> = { candidates: found, count: found.length };
        if (input.destroy_after_deletion !== undefined) {
          inputs.destroy_after_deletion = input.destroy_after_deletion;
        }
        return { action: 'CLUSTER_DEL_NODES', inputs };
      });
    },

    /**
     * CLUSTER_REPLACE_NODES: each member (key) is swapped for an active orphan node (value) of
     * the cluster's profile type.
     */
    replaceNodes(
      ctx: RequestContext,
      identity: string,
      pairs: Readonly<Record<string, string>>,
    ): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const clusterType = await profileType(trx, cluster.profileId);
        const candidates: Record<string, string> = {};
        const notMember: string[] = [];
        const owned: string[] = [];
        const inactive: string[] = [];
        const mismatched: string[] = [];
        const oldNotFound: string[] = [];
        const newNotFound: string[] = [];
        for (const [oldGiven, newGiven] of Object.entries(pairs)) {
          const oldNode = await findNode(trx, ctx, oldGiven);
          if (!oldNode) {
            oldNotFound.push(oldGiven);
            continue;
          }
          const newNode = await findNode(trx, ctx, newGiven);
          if (!newNode) {
            newNotFound.push(newGiven);
            continue;
          }
          if (oldNode.clusterId !== cluster.id) notMember.push(oldGiven);
          if (newNode.clusterId) owned.push(newGiven);
          if (newNode.status !== 'ACTIVE') inactive.push(newGiven);
          if ((await profileType(trx, newNode.profileId)) !== clusterType) {
            mismatched.push(newGiven);
          }
          candidates[oldNode.id] = newNode.id;
        }
        refuse([
          notMember.length > 0 &&
            `The specified nodes ${list(notMember)} to be replaced are not members of the cluster ${cluster.id}.`,
          owned.length > 0 && `Nodes ${list(owned)} already member of a cluster.`,
          inactive.length > 0 && `Nodes are not ACTIVE: ${list(inactive)}.`,
          mismatched.length > 0 &&
            `Profile type of nodes ${list(mismatched)} do not match that of the cluster.`,
          oldNotFound.length > 0 && `Original nodes not found: ${list(oldNotFound)}.`,
          newNotFound.length > 0 && `Replacement nodes not found: ${list(newNotFound)}.`,
        ]);
        return { action: 'CLUSTER_REPLACE_NODES', inputs: { candidates } };
      });
    },
  };
}
