/**
 * Claims on pooled resources (`senlin_ts_pool_claim`): one row per resource held by a node.
 * A claim is a single INSERT that does nothing when the (kind, resource_id) key exists, so two
 * engines racing for the same resource see exactly one of them win, on every dialect.
 */
import type { Kysely } from 'kysely';
import { fromDbBool, toDbBool, toDbTime } from '../codec.js';
import { dialectOf } from '../dialect.js';
import type { Database } from '../schema.js';

/** A claim as stored. */
export interface PoolClaimRecord {
  kind: string;
  pool: string;
  resourceId: string;
  nodeId: string;
  sticky: boolean;
}

/** What a claim asks for. */
export interface PoolClaimRequest {
  kind: string;
  pool: string;
  candidates: readonly string[];
  nodeId: string;
  sticky: boolean;
  now: Date;
}

/** Gives up the claims of nodes whose row is gone (a deleted node, or a failed clean-up). */
export async function dropStaleClaims(k: Kysely<Database>, kind: string): Promise<void> {
  await k
    .deleteFrom('senlin_ts_pool_claim')
    .where('kind', '=', kind)
    .where('node_id', 'not in', k.selectFrom('node').select('id'))
    .execute();
}

/** Inserts one claim unless the resource is held; true when this call made it. */
async function insertClaim(
  k: Kysely<Database>,
  req: PoolClaimRequest,
  resourceId: string,
): Promise<boolean> {
  const values = {
    kind: req.kind,
    resource_id: resourceId,
    pool: req.pool,
    node_id: req.nodeId,
    sticky: toDbBool(req.sticky),
    created_at: toDbTime(req.now),
  };
  const insert = k.insertInto('senlin_ts_pool_claim').values(values);
  const result =
    dialectOf(k) === 'mysql'
      ? await insert.ignore().executeTakeFirst()
      : await insert.onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/**
 * Claims the first candidate nobody holds for the node (one statement per candidate, each
 * atomic on its own); null when every candidate is held.
 */
export async function claimResource(
  k: Kysely<Database>,
  req: PoolClaimRequest,
): Promise<string | null> {
  if (req.candidates.length === 0) return null;
  const held = new Set(
    (
      await k
        .selectFrom('senlin_ts_pool_claim')
        .select('resource_id')
        .where('kind', '=', req.kind)
        .where('resource_id', 'in', [...req.candidates])
        .execute()
    ).map((r) => r.resource_id),
  );
  for (const candidate of req.candidates) {
    if (held.has(candidate)) continue;
    if (await insertClaim(k, req, candidate)) return candidate;
  }
  return null;
}

/** The claims a node holds, oldest first. */
export async function claimsOfNode(
  k: Kysely<Database>,
  nodeId: string,
): Promise<PoolClaimRecord[]> {
  const rows = await k
    .selectFrom('senlin_ts_pool_claim')
    .selectAll()
    .where('node_id', '=', nodeId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    pool: r.pool,
    resourceId: r.resource_id,
    nodeId: r.node_id,
    sticky: fromDbBool(r.sticky) === true,
  }));
}

/** Drops the node's claim on a resource (no-op when another node, or nobody, holds it). */
export async function releaseClaim(
  k: Kysely<Database>,
  kind: string,
  resourceId: string,
  nodeId: string,
): Promise<void> {
  await k
    .deleteFrom('senlin_ts_pool_claim')
    .where('kind', '=', kind)
    .where('resource_id', '=', resourceId)
    .where('node_id', '=', nodeId)
    .execute();
}
