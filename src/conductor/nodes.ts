/** Node operations: list, show, create, update, delete (and, merged in, actions and adopt). */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import { ActionInProgress, BadRequest, ResourceInUse, ResourceNotFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { formatNodeName } from '../common/node-name.js';
import type { ColumnFilter } from '../db/listing.js';
import { listRows } from '../db/listing.js';
import type { ActionRecord } from '../db/queries/actions.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { takeNextIndex } from '../db/queries/clusters.js';
import { nameTaken } from '../db/queries/find.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { decodeNode, insertNode } from '../db/queries/nodes.js';
import type { Database } from '../db/schema.js';
import { actionContext, createAction, type NewAction } from '../engine/action-create.js';
import { short } from '../engine/services.js';
import type { ConductorDeps } from './deps.js';
import { owner, projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';
import { nodeActionOperations } from './node-actions.js';
import { nodeAdoptOperations } from './node-adopt.js';
import {
  findCluster,
  findNode,
  findProfile,
  findReferenced,
  getProfileById,
  jsonEqual,
  type NodeInfo,
  withProfileNames,
} from './node-lookup.js';
import { nodeDetails } from './node-profile.js';
import { checkProfileMove } from './profile-move.js';

export type { NodeInfo } from './node-lookup.js';

/** Arguments of node create. */
export interface NodeCreateInput {
  name: string;
  profileId: string;
  clusterId?: string | null;
  role?: string | null;
  metadata?: Record<string, unknown> | null;
}

/**
 * Arguments of node update: absent keys are not changed; `null` role, metadata or tainted
 * count as values (upstream passes them on), a `null` name or profile is ignored.
 */
export interface NodeUpdateInput {
  name?: string | null;
  profileId?: string | null;
  role?: string | null;
  metadata?: Record<string, unknown> | null;
  tainted?: boolean | null;
}

/** A node (as it was when the request came) and the action started for it. */
export interface NodeWithAction {
  node: NodeInfo;
  actionId: string;
}

/** Node operations bound to their dependencies. */
export function nodeOperations(deps: ConductorDeps) {
  const { db } = deps;

  /** Stores an action of a node request in `trx` (admission checks included). */
  function nodeAction(
    trx: Kysely<Database>,
    ctx: RequestContext,
    node: NodeRecord,
    spec: Omit<NewAction, 'target' | 'clusterId' | 'timeout'>,
  ): Promise<ActionRecord> {
    return createAction(
      trx,
      actionContext(ctx),
      {
        ...spec,
        target: node.id,
        clusterId: node.clusterId,
        timeout: deps.config.DEFAULT.default_action_timeout,
      },
      deps.now(),
    );
  }

  async function info(node: NodeRecord): Promise<NodeInfo> {
    const [withName] = await db.retry((k) => withProfileNames(k, [node]));
    return withName as NodeInfo;
  }

  async function clusterFilter(ctx: RequestContext, values: readonly string[]) {
    const ids: string[] = [];
    for (const value of values.filter((v) => v !== '')) {
      try {
        ids.push((await db.retry((k) => findCluster(k, ctx, value))).id);
      } catch (err) {
        if (err instanceof ResourceNotFound) {
          throw new BadRequest(`Cannot find the given cluster: ${value}`);
        }
        throw err;
      }
    }
    if (ids.length === 0) return null;
    const filter: ColumnFilter = { column: 'cluster_id', op: 'in', values: ids };
    return filter;
  }

  return {
    ...nodeActionOperations(deps, nodeAction),
    ...nodeAdoptOperations(deps),

    /** Lists nodes; a `cluster_id` filter is resolved by find (400 when unknown). */
    async list(ctx: RequestContext, req: ListRequest): Promise<NodeInfo[]> {
      const project = projectScope(ctx, req.projectSafe);
      const byCluster = await clusterFilter(ctx, req.resolved?.cluster_id ?? []);
      const filters = byCluster ? [...req.filters, byCluster] : [...req.filters];
      const rows = await db.retry((k) =>
        listRows(k, db.dialect, 'node', { ...req, filters, project }),
      );
      return db.retry((k) => withProfileNames(k, rows.map(decodeNode)));
    },

    /** Shows a node; with `showDetails` the resource details from its profile. */
    async get(ctx: RequestContext, identity: string, showDetails = false): Promise<NodeInfo> {
      const node = await db.retry((k) => findNode(k, ctx, identity));
      const result = await info(node);
      if (showDetails && node.physicalId) {
        const profile = await db.retry((k) => getProfileById(k, node.profileId));
        result.details = profile ? await nodeDetails(deps, node, profile) : {};
      }
      return result;
    },

    /**
     * Creates a node (INIT) and its NODE_CREATE action. A member of a cluster takes the
     * cluster's next index and a name generated from the cluster's `node.name.format`.
     */
    async create(ctx: RequestContext, input: NodeCreateInput): Promise<NodeWithAction> {
      const profile = await findReferenced('specified', () =>
        db.retry((k) => findProfile(k, ctx, input.profileId)),
      );
      let cluster: ClusterRecord | null = null;
      if (input.clusterId) {
        const clusterId = input.clusterId;
        cluster = await findReferenced(
          'specified',
          () => db.retry((k) => findCluster(k, ctx, clusterId)),
          { ambiguous: true },
        );
        if (profile.id !== cluster.profileId) {
          const clusterProfileId = cluster.profileId;
          const clusterProfile = await db.retry((k) => getProfileById(k, clusterProfileId));
          if (!clusterProfile) throw new ResourceNotFound('profile', clusterProfileId);
          if (clusterProfile.type !== profile.type) {
            throw new BadRequest(
              'Node and cluster have different profile type, operation aborted.',
            );
          }
        }
      }
      const who = owner(ctx);
      const now = deps.now();
      const { node, action } = await db.transaction(async (trx) => {
        let index = -1;
        let name = input.name;
        if (cluster) {
          index = await takeNextIndex(trx, cluster.id);
          const format = cluster.config['node.name.format'];
          name = formatNodeName(typeof format === 'string' ? format : '', index);
        }
        if (deps.config.DEFAULT.name_unique && (await nameTaken(trx, 'node', who.project, name))) {
          throw new BadRequest(`The node named (${name}) already exists.`);
        }
        const record: NodeRecord = {
          id: newId(),
          name,
          physicalId: null,
          clusterId: cluster?.id ?? '',
          profileId: profile.id,
          ...who,
          index,
          role: input.role || '',
          initAt: now,
          createdAt: null,
          updatedAt: null,
          tainted: false,
          status: 'INIT',
          statusReason: 'Initializing',
          metadata: input.metadata || {},
          data: {},
          dependents: {},
        };
        await insertNode(trx, record);
        const created = await nodeAction(trx, ctx, record, {
          name: `node_create_${short(record.id)}`,
          action: 'NODE_CREATE',
        });
        return { node: record, action: created };
      });
      deps.bus.ready();
      return { node: { ...node, profileName: profile.name ?? 'Unknown' }, actionId: action.id };
    },

    /** Starts a NODE_UPDATE with the properties that change; 400 when none does. */
    async update(
      ctx: RequestContext,
      identity: string,
      input: NodeUpdateInput,
    ): Promise<NodeWithAction> {
      const node = await db.retry((k) => findNode(k, ctx, identity));
      const inputs: Record<string, unknown> = {};
      if (input.profileId !== undefined && input.profileId !== null) {
        const profileId = input.profileId;
        const next = await findReferenced('specified', () =>
          db.retry((k) => findProfile(k, ctx, profileId)),
        );
        const current = await db.retry((k) => getProfileById(k, node.profileId));
        if (!current) throw new ResourceNotFound('profile', node.profileId);
        if (current.type !== next.type) {
          throw new BadRequest(
            'Cannot update a node to a different profile type, operation aborted.',
          );
        }
        checkProfileMove(current, next);
        if (next.id !== current.id) inputs.new_profile_id = next.id;
      }
      if (input.name && input.name !== node.name) inputs.name = input.name;
      if (input.role !== undefined && input.role !== node.role) inputs.role = input.role;
      if (input.metadata !== undefined && !jsonEqual(input.metadata, node.metadata)) {
        inputs.metadata = input.metadata;
      }
      if (input.tainted !== undefined && input.tainted !== node.tainted) {
        inputs.tainted = input.tainted;
      }
      if (Object.keys(inputs).length === 0) throw new BadRequest('No property needs an update.');
      const action = await db.transaction((trx) =>
        nodeAction(trx, ctx, node, {
          name: `node_update_${short(node.id)}`,
          action: 'NODE_UPDATE',
          inputs,
        }),
      );
      deps.bus.ready();
      return { node: await info(node), actionId: action.id };
    },

    /**
     * Starts a NODE_DELETE. Without `force`, a node that is being created, updated, deleted
     * or recovered is a 409; a node other nodes depend on always is.
     */
    async delete(ctx: RequestContext, identity: string, force = false): Promise<string> {
      const node = await db.retry((k) => findNode(k, ctx, identity));
      if (!force && ['CREATING', 'UPDATING', 'DELETING', 'RECOVERING'].includes(node.status)) {
        throw new ActionInProgress('node', identity, node.status);
      }
      const dependents = node.dependents.nodes;
      if (Array.isArray(dependents) && dependents.length > 0) {
        throw new ResourceInUse('node', identity, 'still depended by other clusters and/or nodes');
      }
      const action = await db.transaction((trx) =>
        nodeAction(trx, ctx, node, {
          name: `node_delete_${short(node.id)}`,
          action: 'NODE_DELETE',
        }),
      );
      deps.bus.ready();
      return action.id;
    },
  };
}

/** The type of the node operations object. */
export type NodeOperations = ReturnType<typeof nodeOperations>;
