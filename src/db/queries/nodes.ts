/** Node rows. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import { fromDbBool, fromDbJson, fromDbTime, toDbBool, toDbJson, toDbTime } from '../codec.js';
import type { Database, NodeTable } from '../schema.js';

/** A stored node. `clusterId` is `''` for orphans, as upstream stores it. */
export interface NodeRecord {
  id: string;
  name: string;
  physicalId: string | null;
  clusterId: string;
  profileId: string;
  user: string;
  project: string;
  domain: string | null;
  index: number;
  role: string | null;
  initAt: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  tainted: boolean;
  status: string;
  statusReason: string;
  metadata: Record<string, unknown>;
  data: Record<string, unknown>;
  dependents: Record<string, unknown>;
}

/** A raw `node` row to a record. */
export function decodeNode(row: Record<string, unknown>): NodeRecord {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? '',
    physicalId: (row.physical_id as string | null) ?? null,
    clusterId: (row.cluster_id as string | null) ?? '',
    profileId: row.profile_id as string,
    user: (row.user as string | null) ?? '',
    project: (row.project as string | null) ?? '',
    domain: (row.domain as string | null) ?? null,
    index: (row.index as number | null) ?? -1,
    role: (row.role as string | null) ?? null,
    initAt: fromDbTime(row.init_at as string | null),
    createdAt: fromDbTime(row.created_at as string | null),
    updatedAt: fromDbTime(row.updated_at as string | null),
    tainted: fromDbBool(row.tainted as number | boolean | null) ?? false,
    status: (row.status as string | null) ?? 'INIT',
    statusReason: (row.status_reason as string | null) ?? '',
    metadata: fromDbJson(row.meta_data as string | null) ?? {},
    data: fromDbJson(row.data as string | null) ?? {},
    dependents: fromDbJson(row.dependents as string | null) ?? {},
  };
}

/** Node fields that can be written. */
export type NodeValues = Partial<Omit<NodeRecord, 'id'>>;

/** The column values of a partial node record. */
export function encodeNode(v: NodeValues): Updateable<NodeTable> {
  const out: Updateable<NodeTable> = {};
  if (v.name !== undefined) out.name = v.name;
  if (v.physicalId !== undefined) out.physical_id = v.physicalId;
  if (v.clusterId !== undefined) out.cluster_id = v.clusterId;
  if (v.profileId !== undefined) out.profile_id = v.profileId;
  if (v.user !== undefined) out.user = v.user;
  if (v.project !== undefined) out.project = v.project;
  if (v.domain !== undefined) out.domain = v.domain;
  if (v.index !== undefined) out.index = v.index;
  if (v.role !== undefined) out.role = v.role;
  if (v.initAt !== undefined) out.init_at = v.initAt && toDbTime(v.initAt);
  if (v.createdAt !== undefined) out.created_at = v.createdAt && toDbTime(v.createdAt);
  if (v.updatedAt !== undefined) out.updated_at = v.updatedAt && toDbTime(v.updatedAt);
  if (v.tainted !== undefined) out.tainted = toDbBool(v.tainted);
  if (v.status !== undefined) out.status = v.status;
  if (v.statusReason !== undefined) out.status_reason = v.statusReason;
  if (v.metadata !== undefined) out.meta_data = toDbJson(v.metadata);
  if (v.data !== undefined) out.data = toDbJson(v.data);
  if (v.dependents !== undefined) out.dependents = toDbJson(v.dependents);
  return out;
}

/** Stores a new node. */
export async function insertNode(db: Kysely<Database>, n: NodeRecord): Promise<void> {
  await db
    .insertInto('node')
    .values({ id: n.id, ...encodeNode(n) } as Insertable<NodeTable>)
    .execute();
}

/** Stores many new nodes in one statement per chunk. */
export async function insertNodes(
  db: Kysely<Database>,
  nodes: readonly NodeRecord[],
): Promise<void> {
  for (let i = 0; i < nodes.length; i += 200) {
    const chunk = nodes
      .slice(i, i + 200)
      .map((n) => ({ id: n.id, ...encodeNode(n) }) as Insertable<NodeTable>);
    if (chunk.length > 0) await db.insertInto('node').values(chunk).execute();
  }
}

/** Gets a node by exact id (any project), or undefined. */
export async function getNode(db: Kysely<Database>, id: string): Promise<NodeRecord | undefined> {
  const row = await db.selectFrom('node').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? decodeNode(row) : undefined;
}

/** Nodes of a cluster, in index order. */
export async function listClusterNodes(
  db: Kysely<Database>,
  clusterId: string,
): Promise<NodeRecord[]> {
  const rows = await db
    .selectFrom('node')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .orderBy('index')
    .orderBy('id')
    .execute();
  return rows.map(decodeNode);
}

/** Ids of the nodes of a cluster, in index order. */
export async function listClusterNodeIds(
  db: Kysely<Database>,
  clusterId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('node')
    .select('id')
    .where('cluster_id', '=', clusterId)
    .orderBy('index')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Updates some fields of a node; false when the row is gone. */
export async function updateNode(
  db: Kysely<Database>,
  id: string,
  values: NodeValues,
): Promise<boolean> {
  const set = encodeNode(values);
  if (Object.keys(set).length === 0) return true;
  const res = await db.updateTable('node').set(set).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Deletes a node row. */
export async function deleteNodeRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('node').where('id', '=', id).execute();
}
