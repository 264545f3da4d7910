/**
 * Cluster and node locks as rows, with upstream's semantics: a cluster lock is either held by
 * one action exclusively (`semaphore = -1`, cluster scope) or shared by node actions
 * (`semaphore = n > 0`, node scope); a node lock has one holder. Run these inside a
 * transaction; `lockRows` adds `FOR UPDATE` on PostgreSQL and MySQL.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Exclusive cluster lock. */
export const CLUSTER_SCOPE = -1;
/** Shared cluster lock of node actions. */
export const NODE_SCOPE = 1;

/** Holders of a cluster lock. */
export interface ClusterLock {
  actionIds: string[];
  semaphore: number;
}

async function readClusterLock(
  trx: Kysely<Database>,
  clusterId: string,
  lockRows: boolean,
): Promise<ClusterLock | null> {
  let q = trx.selectFrom('cluster_lock').selectAll().where('cluster_id', '=', clusterId);
  if (lockRows) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) return null;
  return {
    actionIds: row.action_ids ? (JSON.parse(row.action_ids) as string[]) : [],
    semaphore: row.semaphore ?? 0,
  };
}

/** The holders of a cluster lock, or null when the cluster is not locked. */
export function getClusterLock(
  db: Kysely<Database>,
  clusterId: string,
): Promise<ClusterLock | null> {
  return readClusterLock(db, clusterId, false);
}

/**
 * Tries to take a cluster lock for an action; returns the holders afterwards (the action holds
 * the lock iff its id is among them).
 */
export async function acquireClusterLock(
  trx: Kysely<Database>,
  clusterId: string,
  actionId: string,
  scope: number,
  lockRows: boolean,
): Promise<string[]> {
  const lock = await readClusterLock(trx, clusterId, lockRows);
  if (!lock) {
    await trx
      .insertInto('cluster_lock')
      .values({ cluster_id: clusterId, action_ids: JSON.stringify([actionId]), semaphore: scope })
      .execute();
    return [actionId];
  }
  if (scope === NODE_SCOPE && lock.semaphore > 0 && !lock.actionIds.includes(actionId)) {
    const ids = [...lock.actionIds, actionId];
    await trx
      .updateTable('cluster_lock')
      .set({ action_ids: JSON.stringify(ids), semaphore: lock.semaphore + 1 })
      .where('cluster_id', '=', clusterId)
      .execute();
    return ids;
  }
  return lock.actionIds;
}

/** Takes a cluster lock away from whoever holds it (exclusive for `actionId`). */
export async function stealClusterLock(
  trx: Kysely<Database>,
  clusterId: string,
  actionId: string,
): Promise<void> {
  await trx.deleteFrom('cluster_lock').where('cluster_id', '=', clusterId).execute();
  await trx
    .insertInto('cluster_lock')
    .values({
      cluster_id: clusterId,
      action_ids: JSON.stringify([actionId]),
      semaphore: CLUSTER_SCOPE,
    })
    .execute();
}

/** Releases an action's hold on a cluster lock; false when it held none. */
export async function releaseClusterLock(
  trx: Kysely<Database>,
  clusterId: string,
  actionId: string,
  lockRows: boolean,
): Promise<boolean> {
  const lock = await readClusterLock(trx, clusterId, lockRows);
  if (!lock?.actionIds.includes(actionId)) return false;
  const rest = lock.actionIds.filter((id) => id !== actionId);
  if (lock.semaphore < 0 || rest.length === 0) {
    await trx.deleteFrom('cluster_lock').where('cluster_id', '=', clusterId).execute();
  } else {
    await trx
      .updateTable('cluster_lock')
      .set({ action_ids: JSON.stringify(rest), semaphore: rest.length })
      .where('cluster_id', '=', clusterId)
      .execute();
  }
  return true;
}

/** The action holding a node lock, or null. */
export async function getNodeLock(db: Kysely<Database>, nodeId: string): Promise<string | null> {
  const row = await db
    .selectFrom('node_lock')
    .select('action_id')
    .where('node_id', '=', nodeId)
    .executeTakeFirst();
  return row ? (row.action_id ?? '') : null;
}

/** Tries to take a node lock; returns the holder afterwards. */
export async function acquireNodeLock(
  trx: Kysely<Database>,
  nodeId: string,
  actionId: string,
  lockRows: boolean,
): Promise<string> {
  let q = trx.selectFrom('node_lock').select('action_id').where('node_id', '=', nodeId);
  if (lockRows) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (row) return row.action_id ?? '';
  await trx.insertInto('node_lock').values({ node_id: nodeId, action_id: actionId }).execute();
  return actionId;
}

/** Takes a node lock away from whoever holds it. */
export async function stealNodeLock(
  trx: Kysely<Database>,
  nodeId: string,
  actionId: string,
): Promise<void> {
  await trx.deleteFrom('node_lock').where('node_id', '=', nodeId).execute();
  await trx.insertInto('node_lock').values({ node_id: nodeId, action_id: actionId }).execute();
}

/** Releases a node lock held by the action; false when it did not hold it. */
export async function releaseNodeLock(
  trx: Kysely<Database>,
  nodeId: string,
  actionId: string,
): Promise<boolean> {
  const res = await trx
    .deleteFrom('node_lock')
    .where('node_id', '=', nodeId)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

/** Releases every lock held by these actions (dead engines, forced cancels). */
export async function releaseLocksOf(
  trx: Kysely<Database>,
  actionIds: readonly string[],
): Promise<void> {
  if (actionIds.length === 0) return;
  const held = new Set(actionIds);
  await trx
    .deleteFrom('node_lock')
    .where('action_id', 'in', [...actionIds])
    .execute();
  const locks = await trx.selectFrom('cluster_lock').selectAll().execute();
  for (const row of locks) {
    const ids = row.action_ids ? (JSON.parse(row.action_ids) as string[]) : [];
    if (!ids.some((id) => held.has(id))) continue;
    const rest = ids.filter((id) => !held.has(id));
    if ((row.semaphore ?? 0) < 0 || rest.length === 0) {
      await trx.deleteFrom('cluster_lock').where('cluster_id', '=', row.cluster_id).execute();
    } else {
      await trx
        .updateTable('cluster_lock')
        .set({ action_ids: JSON.stringify(rest), semaphore: rest.length })
        .where('cluster_id', '=', row.cluster_id)
        .execute();
    }
  }
}
