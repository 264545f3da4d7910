/** Policy rows. */
import type { Kysely } from 'kysely';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from '../codec.js';
import type { Database } from '../schema.js';
import { rowExists } from './find.js';

/** A stored policy. */
export interface PolicyRecord {
  id: string;
  name: string | null;
  type: string | null;
  user: string;
  project: string;
  domain: string | null;
  spec: Record<string, unknown> | null;
  data: Record<string, unknown> | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** A raw `policy` row to a record. */
export function decodePolicy(row: Record<string, unknown>): PolicyRecord {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? null,
    type: (row.type as string | null) ?? null,
    user: row.user as string,
    project: row.project as string,
    domain: (row.domain as string | null) ?? null,
    spec: fromDbJson(row.spec as string | null),
    data: fromDbJson(row.data as string | null),
    createdAt: fromDbTime(row.created_at as string | null),
    updatedAt: fromDbTime(row.updated_at as string | null),
  };
}

/** Stores a new policy. */
export async function insertPolicy(db: Kysely<Database>, p: PolicyRecord): Promise<void> {
  await db
    .insertInto('policy')
    .values({
      id: p.id,
      name: p.name,
      type: p.type,
      user: p.user,
      project: p.project,
      domain: p.domain,
      cooldown: null,
      level: null,
      spec: toDbJson(p.spec),
      data: toDbJson(p.data),
      created_at: p.createdAt ? toDbTime(p.createdAt) : null,
      updated_at: p.updatedAt ? toDbTime(p.updatedAt) : null,
    })
    .execute();
}

/** Renames a policy. */
export async function renamePolicy(
  db: Kysely<Database>,
  id: string,
  name: string,
  updatedAt: Date,
): Promise<void> {
  await db
    .updateTable('policy')
    .set({ name, updated_at: toDbTime(updatedAt) })
    .where('id', '=', id)
    .execute();
}

/** True when the policy is attached to at least one cluster. */
export function policyInUse(db: Kysely<Database>, id: string): Promise<boolean> {
  return rowExists(db, 'cluster_policy', 'policy_id', id);
}
