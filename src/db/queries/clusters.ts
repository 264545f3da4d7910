/** Cluster rows. */
import type { Kysely } from 'kysely';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from '../codec.js';
import type { ClusterTable, Database } from '../schema.js';

/** A stored cluster. */
export interface ClusterRecord {
  id: string;
  name: string;
  profileId: string;
  user: string;
  project: string;
  domain: string | null;
  parent: string | null;
  initAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  minSize: number;
  maxSize: number;
  desiredCapacity: number | null;
  nextIndex: number;
  timeout: number;
  status: string;
  statusReason: string;
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
  dependents: Record<string, unknown>;
  config: Record<string, unknown>;
}

/** A raw `cluster` row to a record. */
export function decodeCluster(row: Record<string, unknown>): ClusterRecord {
  return {
    id: row.id as string,
    name: row.name as string,
    profileId: row.profile_id as string,
    user: row.user as string,
    project: row.project as string,
    domain: (row.domain as string | null) ?? null,
    parent: (row.parent as string | null) ?? null,
    initAt: fromDbTime(row.init_at as string | null),
    createdAt: fromDbTime(row.created_at as string | null),
    updatedAt: fromDbTime(row.updated_at as string | null),
    minSize: (row.min_size as number | null) ?? 0,
    maxSize: (row.max_size as number | null) ?? -1,
    desiredCapacity: (row.desired_capacity as number | null) ?? null,
    nextIndex: (row.next_index as number | null) ?? 1,
    timeout: (row.timeout as number | null) ?? 3600,
    status: (row.status as string | null) ?? 'INIT',
    statusReason: (row.status_reason as string | null) ?? '',
    metadata: fromDbJson(row.meta_data as string | null) ?? {},
    data: fromDbJson(row.data as string | null) ?? {},
    dependents: fromDbJson(row.dependents as string | null) ?? {},
    config: fromDbJson(row.config as string | null) ?? {},
  };
}

/** Cluster fields that can be written; times as Dates, documents as objects. */
export type ClusterValues = Partial<Omit<ClusterRecord, 'id'>>;

/** The column values of a partial cluster record. */
export function encodeCluster(v: ClusterValues): Partial<ClusterTable> {
  const out: Partial<ClusterTable> = {};
  if (v.name !== undefined) out.name = v.name;
  if (v.profileId !== undefined) out.profile_id = v.profileId;
  if (v.user !== undefined) out.user = v.user;
  if (v.project !== undefined) out.project = v.project;
  if (v.domain !== undefined) out.domain = v.domain;
  if (v.parent !== undefined) out.parent = v.parent;
  if (v.initAt !== undefined) out.init_at = v.initAt && toDbTime(v.initAt);
  if (v.createdAt !== undefined) out.created_at = v.createdAt && toDbTime(v.createdAt);
  if (v.updatedAt !== undefined) out.updated_at = v.updatedAt && toDbTime(v.updatedAt);
  if (v.minSize !== undefined) out.min_size = v.minSize;
  if (v.maxSize !== undefined) out.max_size = v.maxSize;
  if (v.desiredCapacity !== undefined) out.desired_capacity = v.desiredCapacity;
  if (v.nextIndex !== undefined) out.next_index = v.nextIndex;
  if (v.timeout !== undefined) out.timeout = v.timeout;
  if (v.status !== undefined) out.status = v.status;
  if (v.statusReason !== undefined) out.status_reason = v.statusReason;
  if (v.metadata !== undefined) out.meta_data = toDbJson(v.metadata);
  if (v.data !== undefined) out.data = toDbJson(v.data);
  if (v.dependents !== undefined) out.dependents = toDbJson(v.dependents);
  if (v.config !== undefined) out.config = toDbJson(v.config);
  return out;
}

/** Stores a new cluster. */
export async function insertCluster(db: Kysely<Database>, c: ClusterRecord): Promise<void> {
  await db
    .insertInto('cluster')
    .values({ id: c.id, ...encodeCluster(c) } as ClusterTable)
    .execute();
}

/** Gets a cluster by exact id (any project), or undefined. */
export async function getCluster(
  db: Kysely<Database>,
  id: string,
): Promise<ClusterRecord | undefined> {
  const row = await db.selectFrom('cluster').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? decodeCluster(row) : undefined;
}

/** Updates some fields of a cluster; false when the row is gone. */
export async function updateCluster(
  db: Kysely<Database>,
  id: string,
  values: ClusterValues,
): Promise<boolean> {
  const set = encodeCluster(values);
  if (Object.keys(set).length === 0) return true;
  const res = await db.updateTable('cluster').set(set).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * Takes the next node index of a cluster (returns the current value and increments it).
 * Must run inside a transaction; the update locks the row on PostgreSQL and MySQL.
 */
export async function takeNextIndex(
  trx: Kysely<Database>,
  clusterId: string,
  count = 1,
): Promise<number> {
  await trx
    .updateTable('cluster')
    .set((eb) => ({ next_index: eb('next_index', '+', count) }))
    .where('id', '=', clusterId)
    .execute();
  const row = await trx
    .selectFrom('cluster')
    .select('next_index')
    .where('id', '=', clusterId)
    .executeTakeFirst();
  return ((row?.next_index as number | null) ?? count + 1) - count;
}

/** Number of clusters a project owns. */
export async function countClusters(db: Kysely<Database>, project: string): Promise<number> {
  const row = await db
    .selectFrom('cluster')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('project', '=', project)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Deletes a cluster with its node rows and policy bindings (children first, as upstream). */
export async function deleteClusterRows(trx: Kysely<Database>, id: string): Promise<void> {
  await trx.deleteFrom('node').where('cluster_id', '=', id).execute();
  await trx.deleteFrom('cluster_policy').where('cluster_id', '=', id).execute();
  await trx.deleteFrom('health_registry').where('cluster_id', '=', id).execute();
  await trx.deleteFrom('cluster').where('id', '=', id).execute();
}
