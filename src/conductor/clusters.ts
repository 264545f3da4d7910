/** Cluster operations: list, show, create, update, delete, and the cluster actions. */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import {
  ActionInProgress,
  BadRequest,
  FeatureNotSupported,
  ResourceInUse,
} from '../common/errors.js';
import { newId } from '../common/ids.js';
import { pyRepr } from '../common/py-repr.js';
import { checkSizeParams } from '../common/scaling.js';
import { listRows } from '../db/listing.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { countClusters, decodeCluster, insertCluster } from '../db/queries/clusters.js';
import { nameTaken } from '../db/queries/find.js';
import { decodeProfile } from '../db/queries/profiles.js';
import type { Database } from '../db/schema.js';
import { validateMembershipConfig } from '../engine/membership-config.js';
import { clusterActionOperations } from './cluster-actions.js';
import { clusterCollectOperations } from './cluster-collect.js';
import { clusterMembershipOperations } from './cluster-membership.js';
import { clusterPolicyOperations } from './cluster-policies.js';
import { clusterResizeOperations } from './cluster-resize.js';
import type { ClusterDetail } from './cluster-support.js';
import {
  clusterDetail,
  clusterDetails,
  findCluster,
  findScoped,
  jsonEqual,
  OverQuota,
  queueClusterAction,
  specified,
} from './cluster-support.js';
import type { ConductorDeps } from './deps.js';
import { owner, projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';
import { checkProfileMove } from './profile-move.js';

/** Arguments of cluster create, as validated by the API (absent keys were not sent). */
export interface ClusterCreateInput {
  readonly name: string;
  readonly profile_id: string;
  readonly desired_capacity?: number | null;
  readonly min_size?: number | null;
  readonly max_size?: number | null;
  readonly timeout?: number | null;
  readonly metadata?: Record<string, unknown> | null;
  readonly config?: Record<string, unknown> | null;
}

/** Arguments of cluster update (absent keys are not changed; nulls count as values). */
export interface ClusterUpdateInput {
  readonly name?: string | null;
  readonly profile_id?: string | null;
  readonly metadata?: Record<string, unknown> | null;
  readonly timeout?: number | null;
  readonly profile_only?: boolean | null;
  readonly config?: Record<string, unknown> | null;
}

/** A cluster and the action started for it. */
export interface ClusterWithAction {
  readonly detail: ClusterDetail;
  readonly actionId: string;
}

/** Statuses in which a cluster is not deleted unless forced. */
const BUSY_STATUSES = ['CREATING', 'UPDATING', 'DELETING', 'RECOVERING'];

/** The profile rows behind a request's `profile_id` and the cluster's current one. */
async function findProfile(k: Kysely<Database>, ctx: RequestContext, identity: string) {
  return decodeProfile(await specified(() => findScoped(k, ctx, 'profile', identity)));
}

/** Update inputs: each supplied key whose value differs from the stored one. */
async function updateInputs(
  k: Kysely<Database>,
  ctx: RequestContext,
  cluster: ClusterRecord,
  input: ClusterUpdateInput,
): Promise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  if (input.profile_id !== undefined && input.profile_id !== null) {
    const row = await k
      .selectFrom('profile')
      .selectAll()
      .where('id', '=', cluster.profileId)
      .executeTakeFirst();
    const current = row ? decodeProfile(row) : null;
    const next = await findProfile(k, ctx, input.profile_id);
    if (next.type !== current?.type) {
      throw new BadRequest(
        'Cannot update a cluster to a different profile type, operation aborted.',
      );
    }
    if (current) checkProfileMove(current, next);
    if (next.id !== current?.id) inputs.new_profile_id = next.id;
  }
  if (input.metadata !== undefined && !jsonEqual(input.metadata, cluster.metadata)) {
    inputs.metadata = input.metadata;
  }
  if (input.timeout !== undefined && input.timeout !== cluster.timeout) {
    inputs.timeout = input.timeout;
  }
  if (input.name !== undefined && input.name !== cluster.name) inputs.name = input.name;
  if (input.config !== undefined && !jsonEqual(input.config, cluster.config)) {
    const row = await k
      .selectFrom('profile')
      .select('type')
      .where('id', '=', cluster.profileId)
      .executeTakeFirst();
    validateMembershipConfig({ ...cluster.config, ...input.config }, row?.type ?? '');
    inputs.config = input.config;
  }
  if (input.profile_only !== undefined) inputs.profile_only = input.profile_only;
  return inputs;
}

/** Cluster operations bound to their dependencies. */
export function clusterOperations(deps: ConductorDeps) {
  const { db, config } = deps;

  return {
    /** Lists the caller's clusters (every project's for admins). */
    async list(ctx: RequestContext, req: ListRequest): Promise<ClusterDetail[]> {
      const project = projectScope(ctx, req.projectSafe);
      return db.retry(async (k) => {
        const rows = await listRows(k, db.dialect, 'cluster', { ...req, project });
        return clusterDetails(k, rows.map(decodeCluster));
      });
    },

    /** Shows one cluster. */
    get(ctx: RequestContext, identity: string): Promise<ClusterDetail> {
      return db.retry(async (k) => clusterDetail(k, await findCluster(k, ctx, identity)));
    },

    /**
     * Stores a new cluster (INIT) and its READY CLUSTER_CREATE action. Quota, name, profile
     * and size checks come first, in upstream's order.
     */
    async create(ctx: RequestContext, input: ClusterCreateInput): Promise<ClusterWithAction> {
      const who = owner(ctx);
      const result = await db.transaction(async (trx) => {
        const existing = await countClusters(trx, who.project);
        if (existing >= config.DEFAULT.max_clusters_per_project) {
          throw new OverQuota(existing, config.DEFAULT.max_clusters_per_project);
        }
        if (
          config.DEFAULT.name_unique &&
          (await nameTaken(trx, 'cluster', who.project, input.name))
        ) {
          throw new BadRequest(`a cluster named '${input.name}' already exists.`);
        }
        const profile = await findProfile(trx, ctx, input.profile_id);
        validateMembershipConfig(input.config, profile.type ?? '');
        const desired =
          input.desired_capacity !== undefined
            ? input.desired_capacity
            : input.min_size !== undefined
              ? input.min_size
              : 0;
        const error = checkSizeParams(
          null,
          { desired, minSize: input.min_size, maxSize: input.max_size, strict: true },
          config.DEFAULT.max_nodes_per_cluster,
        );
        if (error) throw new BadRequest(error);
        const cluster: ClusterRecord = {
          id: newId(),
          name: input.name,
          profileId: profile.id,
          ...who,
          parent: null,
          initAt: deps.now(),
          createdAt: null,
          updatedAt: null,
          minSize: input.min_size || 0,
          // A max_size of 0 means "unlimited" here, as upstream stores it.
          maxSize: input.max_size || -1,
          desiredCapacity: desired,
          nextIndex: 1,
          timeout: input.timeout || config.DEFAULT.default_action_timeout,
          status: 'INIT',
          statusReason: 'Initializing',
          metadata: input.metadata ?? {},
          data: {},
          dependents: {},
          config: input.config ?? {},
        };
        await insertCluster(trx, cluster);
        const action = await queueClusterAction(trx, deps, ctx, cluster, {
          action: 'CLUSTER_CREATE',
        });
        const detail: ClusterDetail = {
          cluster,
          profileName: profile.name,
          nodeIds: [],
          policyIds: [],
        };
        return { detail, actionId: action.id };
      });
      deps.bus.ready();
      return result;
    },

    /** Starts a CLUSTER_UPDATE with the changed properties; returns the cluster as it was. */
    async update(
      ctx: RequestContext,
      identity: string,
      input: ClusterUpdateInput,
    ): Promise<ClusterWithAction> {
      const result = await db.transaction(async (trx) => {
        const cluster = await findCluster(trx, ctx, identity);
        if (cluster.status === 'ERROR') {
          throw new FeatureNotSupported('Updating a cluster in error state');
        }
        const inputs = await updateInputs(trx, ctx, cluster, input);
        if (Object.keys(inputs).length === 0) throw new BadRequest('No property needs an update.');
        const detail = await clusterDetail(trx, cluster);
        const action = await queueClusterAction(trx, deps, ctx, cluster, {
          action: 'CLUSTER_UPDATE',
          inputs,
        });
        return { detail, actionId: action.id };
      });
      deps.bus.ready();
      return result;
    },

    /**
     * Starts a CLUSTER_DELETE (which skips the lock and conflict checks, as upstream). Unless
     * forced, a cluster that is being created, updated, deleted or recovered is refused.
     */
    async delete(ctx: RequestContext, identity: string, force: boolean): Promise<string> {
      const action = await db.transaction(async (trx) => {
        const cluster = await findCluster(trx, ctx, identity);
        if (!force && BUSY_STATUSES.includes(cluster.status)) {
          throw new ActionInProgress('cluster', identity, cluster.status);
        }
        const profiles = cluster.dependents.profiles;
        if (profiles !== undefined && profiles !== null) {
          throw new ResourceInUse(
            'cluster',
            identity,
            `still referenced by profile(s): ${pyRepr(profiles)}`,
          );
        }
        return queueClusterAction(trx, deps, ctx, cluster, {
          action: 'CLUSTER_DELETE',
          force: true,
        });
      });
      deps.bus.ready();
      return action.id;
    },

    ...clusterMembershipOperations(deps),
    ...clusterResizeOperations(deps),
    ...clusterActionOperations(deps),
    ...clusterPolicyOperations(deps),
    ...clusterCollectOperations(deps),
  };
}

/** The type of the cluster operations object. */
export type ClusterOperations = ReturnType<typeof clusterOperations>;
