/** Cluster–policy bindings: list and show them, and queue attach, detach and update actions. */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import { BadRequest, PolicyBindingNotFound } from '../common/errors.js';
import { fromDbBool, fromDbJson, fromDbTime, toDbBool } from '../db/codec.js';
import type { Database } from '../db/schema.js';
import { findCluster, findScoped, requestClusterAction, specified } from './cluster-support.js';
import type { ConductorDeps } from './deps.js';

/** A binding with the names its API shape shows. */
export interface BindingRecord {
  readonly id: string;
  readonly clusterId: string;
  readonly policyId: string;
  readonly enabled: boolean;
  readonly data: Record<string, unknown>;
  readonly lastOp: Date | null;
  readonly priority: number | null;
  readonly clusterName: string | null;
  readonly policyName: string | null;
  readonly policyType: string | null;
}

/** Filters and order of a binding list (absent keys do not filter). */
export interface BindingListRequest {
  readonly enabled?: boolean | null;
  readonly policyName?: string | null;
  readonly policyType?: string | null;
  /** `enabled[:asc|desc]`; the binding id always orders last. */
  readonly sort?: string | null;
}

/** Arguments of policy attach and update. */
export interface PolicyBindingInput {
  readonly policy_id: string;
  /** Absent: attach enables the binding, update leaves it. */
  readonly enabled?: boolean | null;
}

function bindingQuery(k: Kysely<Database>, clusterId: string) {
  return k
    .selectFrom('cluster_policy')
    .innerJoin('cluster', 'cluster.id', 'cluster_policy.cluster_id')
    .innerJoin('policy', 'policy.id', 'cluster_policy.policy_id')
    .select([
      'cluster_policy.id as id',
      'cluster_policy.cluster_id as cluster_id',
      'cluster_policy.policy_id as policy_id',
      'cluster_policy.enabled as enabled',
      'cluster_policy.data as data',
      'cluster_policy.last_op as last_op',
      'cluster_policy.priority as priority',
      'cluster.name as cluster_name',
      'policy.name as policy_name',
      'policy.type as policy_type',
    ])
    .where('cluster_policy.cluster_id', '=', clusterId);
}

type BindingRow = Awaited<ReturnType<ReturnType<typeof bindingQuery>['executeTakeFirstOrThrow']>>;

function decodeBinding(row: BindingRow): BindingRecord {
  return {
    id: row.id,
    clusterId: row.cluster_id,
    policyId: row.policy_id,
    enabled: fromDbBool(row.enabled) ?? false,
    data: fromDbJson(row.data) ?? {},
    lastOp: fromDbTime(row.last_op),
    priority: row.priority,
    clusterName: row.cluster_name,
    policyName: row.policy_name,
    policyType: row.policy_type,
  };
}

/** The binding of a policy to a cluster, or undefined. */
async function getBinding(
  k: Kysely<Database>,
  clusterId: string,
  policyId: string,
): Promise<BindingRecord | undefined> {
  const row = await bindingQuery(k, clusterId)
    .where('cluster_policy.policy_id', '=', policyId)
    .executeTakeFirst();
  return row ? decodeBinding(row) : undefined;
}

/** Binding operations bound to their dependencies. */
export function clusterPolicyOperations(deps: ConductorDeps) {
  const { db } = deps;

  /** Resolves the policy of a binding action; unresolvable is a 400. */
  async function bindingTarget(
    k: Kysely<Database>,
    ctx: RequestContext,
    policy: string,
  ): Promise<string> {
    const row = await specified(() => findScoped(k, ctx, 'policy', policy));
    return row.id as string;
  }

  return {
    /** The bindings of a cluster, filtered and ordered as asked (by binding id by default). */
    listPolicies(
      ctx: RequestContext,
      identity: string,
      req: BindingListRequest,
    ): Promise<BindingRecord[]> {
      return db.retry(async (k) => {
        const cluster = await findCluster(k, ctx, identity);
        let q = bindingQuery(k, cluster.id);
        if (req.enabled !== undefined && req.enabled !== null) {
          q = q.where('cluster_policy.enabled', '=', toDbBool(req.enabled));
        }
        if (req.policyType !== undefined && req.policyType !== null) {
          q = q.where('policy.type', '=', req.policyType);
        }
        if (req.policyName !== undefined && req.policyName !== null) {
          q = q.where('policy.name', '=', req.policyName);
        }
        for (const item of req.sort ? req.sort.split(',') : []) {
          const dir = item.split(':')[1] === 'desc' ? 'desc' : 'asc';
          q = q.orderBy('cluster_policy.enabled', dir);
        }
        const rows = await q.orderBy('cluster_policy.id').execute();
        return rows.map(decodeBinding);
      });
    },

    /** One binding; 404 when the cluster, the policy or the binding does not exist. */
    getPolicy(ctx: RequestContext, identity: string, policy: string): Promise<BindingRecord> {
      return db.retry(async (k) => {
        const cluster = await findCluster(k, ctx, identity);
        const policyRow = await findScoped(k, ctx, 'policy', policy);
        const binding = await getBinding(k, cluster.id, policyRow.id as string);
        if (!binding) throw new PolicyBindingNotFound(policy, identity);
        return binding;
      });
    },

    /** CLUSTER_ATTACH_POLICY (enabled unless the request says otherwise). */
    attachPolicy(
      ctx: RequestContext,
      identity: string,
      input: PolicyBindingInput,
    ): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx) => {
        const policyId = await bindingTarget(trx, ctx, input.policy_id);
        const enabled = input.enabled === undefined ? true : input.enabled;
        return { action: 'CLUSTER_ATTACH_POLICY', inputs: { policy_id: policyId, enabled } };
      });
    },

    /** CLUSTER_DETACH_POLICY of an attached policy. */
    detachPolicy(ctx: RequestContext, identity: string, policy: string): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const policyId = await bindingTarget(trx, ctx, policy);
        if (!(await getBinding(trx, cluster.id, policyId))) {
          throw new BadRequest(
            `The policy '${policy}' is not attached to the specified cluster '${identity}'.`,
          );
        }
        return { action: 'CLUSTER_DETACH_POLICY', inputs: { policy_id: policyId } };
      });
    },

    /** CLUSTER_UPDATE_POLICY of an attached policy (only `enabled` can change). */
    updatePolicy(
      ctx: RequestContext,
      identity: string,
      input: PolicyBindingInput,
    ): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const policyId = await bindingTarget(trx, ctx, input.policy_id);
        if (!(await getBinding(trx, cluster.id, policyId))) {
          throw new BadRequest(
            `The policy '${input.policy_id}' is not attached to the specified cluster '${identity}'.`,
          );
        }
        const inputs: Record<string, unknown> = { policy_id: policyId };
        if (input.enabled !== undefined) inputs.enabled = input.enabled;
        return { action: 'CLUSTER_UPDATE_POLICY', inputs };
      });
    },
  };
}
