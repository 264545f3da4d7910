/**
 * What the cluster operations share: finding a cluster as the caller may see it, the derived
 * parts of a cluster's API shape (member node ids, binding ids, profile name), queueing a
 * cluster action with the admission checks, and upstream's "specified" not-found messages.
 */
import type { Kysely } from 'kysely';
import type { ClusterActionName } from '../common/constants.js';
import type { RequestContext } from '../common/context.js';
import type { ResourceKind } from '../common/errors.js';
import { BadRequest, ResourceNotFound, SenlinError } from '../common/errors.js';
import type { ActionRecord } from '../db/queries/actions.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { decodeCluster } from '../db/queries/clusters.js';
import { findRow } from '../db/queries/find.js';
import type { Database } from '../db/schema.js';
import { actionContext, createAction } from '../engine/action-create.js';
import { short } from '../engine/services.js';
import type { ConductorDeps } from './deps.js';
import { projectScope } from './deps.js';

/** A cluster with the parts of its API shape that live in other tables. */
export interface ClusterDetail {
  readonly cluster: ClusterRecord;
  /** Name of the cluster's profile (null when the profile row is gone). */
  readonly profileName: string | null;
  /** Ids of the member nodes, in index order. */
  readonly nodeIds: readonly string[];
  /** Ids of the cluster–policy binding rows (not the policy ids, as upstream). */
  readonly policyIds: readonly string[];
}

/**
 * 403: the project owns as many clusters as `[DEFAULT] max_clusters_per_project` allows.
 * Upstream answers 500 with a bare "Quota exceeded for resources."; the limit is the client's
 * to respect, so it is reported as 403 with the numbers.
 */
export class OverQuota extends SenlinError {
  constructor(existing: number, maximum: number) {
    super(
      `Quota exceeded for resources: the project already owns ${existing} cluster(s) and [DEFAULT] max_clusters_per_project allows ${maximum}.`,
      403,
      'OverQuota',
    );
  }
}

/** Runs `fn`, turning a not-found error into upstream's 400 `The specified <kind> '<id>' …`. */
export async function specified<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ResourceNotFound) {
      throw new BadRequest(`The specified ${err.kind} '${err.identity}' could not be found.`);
    }
    throw err;
  }
}

/** Finds a row of a table the way clients name it, within the caller's project (all for admins). */
export function findScoped(
  k: Kysely<Database>,
  ctx: RequestContext,
  table: 'cluster' | 'node' | 'profile' | 'policy',
  identity: string,
): Promise<Record<string, unknown>> {
  return findRow(k, table, identity, { kind: table as ResourceKind, project: projectScope(ctx) });
}

/** Finds a cluster by id, name or short id; 404 / 400 as upstream. */
export async function findCluster(
  k: Kysely<Database>,
  ctx: RequestContext,
  identity: string,
): Promise<ClusterRecord> {
  return decodeCluster(await findScoped(k, ctx, 'cluster', identity));
}

async function inChunks<T>(
  ids: readonly string[],
  fn: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) out.push(...(await fn(unique.slice(i, i + 500))));
  return out;
}

/** Adds member node ids, binding ids and profile names to clusters. */
export async function clusterDetails(
  k: Kysely<Database>,
  clusters: readonly ClusterRecord[],
): Promise<ClusterDetail[]> {
  const clusterIds = clusters.map((c) => c.id);
  const nodes = await inChunks(clusterIds, (chunk) =>
    k
      .selectFrom('node')
      .select(['id', 'cluster_id'])
      .where('cluster_id', 'in', chunk)
      .orderBy('index')
      .orderBy('id')
      .execute(),
  );
  const bindings = await inChunks(clusterIds, (chunk) =>
    k
      .selectFrom('cluster_policy')
      .select(['id', 'cluster_id'])
      .where('cluster_id', 'in', chunk)
      .orderBy('priority')
      .orderBy('id')
      .execute(),
  );
  const profiles = await inChunks(
    clusters.map((c) => c.profileId),
    (chunk) => k.selectFrom('profile').select(['id', 'name']).where('id', 'in', chunk).execute(),
  );
  const names = new Map(profiles.map((p) => [p.id, p.name]));
  const group = (rows: { id: string; cluster_id: string | null }[], id: string) =>
    rows.filter((r) => r.cluster_id === id).map((r) => r.id);
  return clusters.map((cluster) => ({
    cluster,
    profileName: names.get(cluster.profileId) ?? null,
    nodeIds: group(nodes, cluster.id),
    policyIds: group(bindings, cluster.id),
  }));
}

/** One cluster with its derived parts. */
export async function clusterDetail(
  k: Kysely<Database>,
  cluster: ClusterRecord,
): Promise<ClusterDetail> {
  const [detail] = await clusterDetails(k, [cluster]);
  return detail as ClusterDetail;
}

/** Upstream's action name prefixes of the cluster actions the API creates. */
const NAME_PREFIX: Readonly<Record<string, string>> = {
  CLUSTER_ATTACH_POLICY: 'attach_policy',
  CLUSTER_DETACH_POLICY: 'detach_policy',
  CLUSTER_UPDATE_POLICY: 'update_policy',
};

/** What a request asks a cluster to do. */
export interface ClusterActionRequest {
  readonly action: ClusterActionName;
  readonly inputs?: Record<string, unknown>;
  /** Name prefix when it is not the lower-cased action name (operations). */
  readonly prefix?: string;
  /** Skip the lock and conflict checks (cluster delete only, as upstream). */
  readonly force?: boolean;
  /**
   * Run as the cluster's owner when the caller has no user or project (internal callers
   * such as the health manager), as upstream does for check and recover.
   */
  readonly ownerFallback?: boolean;
}

/**
 * Stores a READY action on a cluster after the admission checks (409s), in the caller's
 * transaction. The action runs with the caller's identity and the cluster's timeout.
 */
export function queueClusterAction(
  trx: Kysely<Database>,
  deps: ConductorDeps,
  ctx: RequestContext,
  cluster: ClusterRecord,
  request: ClusterActionRequest,
): Promise<ActionRecord> {
  const prefix = request.prefix ?? NAME_PREFIX[request.action] ?? request.action.toLowerCase();
  const caller =
    request.ownerFallback && (!ctx.userId || !ctx.projectId)
      ? ctx.with({ userId: cluster.user, projectId: cluster.project })
      : ctx;
  return createAction(
    trx,
    actionContext(caller),
    {
      name: `${prefix}_${short(cluster.id)}`,
      action: request.action,
      target: cluster.id,
      clusterId: cluster.id,
      inputs: request.inputs ?? {},
      timeout: cluster.timeout,
    },
    deps.now(),
    { force: request.force ?? false },
  );
}

/**
 * Finds the cluster, lets `prepare` check the request and describe the action, and stores the
 * action — all in one transaction, so a refused request writes nothing. Wakes the workers
 * afterwards and returns the action id.
 */
export async function requestClusterAction(
  deps: ConductorDeps,
  ctx: RequestContext,
  identity: string,
  prepare: (trx: Kysely<Database>, cluster: ClusterRecord) => Promise<ClusterActionRequest>,
): Promise<string> {
  const action = await deps.db.transaction(async (trx) => {
    const cluster = await findCluster(trx, ctx, identity);
    const request = await prepare(trx, cluster);
    return queueClusterAction(trx, deps, ctx, cluster, request);
  });
  deps.bus.ready();
  return action.id;
}

/** Deep equality of JSON values, ignoring key order (Python's `==` on dicts). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return (
    ka.length === kb.length &&
    ka.every((key) => Object.hasOwn(rb, key) && jsonEqual(ra[key], rb[key]))
  );
}
