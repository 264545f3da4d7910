/** Profile rows. */
import type { Kysely } from 'kysely';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from '../codec.js';
import type { Database } from '../schema.js';
import { rowExists } from './find.js';

/** A stored profile. */
export interface ProfileRecord {
  id: string;
  name: string | null;
  type: string | null;
  context: Record<string, unknown> | null;
  spec: Record<string, unknown> | null;
  user: string;
  project: string;
  domain: string | null;
  metadata: Record<string, unknown> | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** A raw `profile` row to a record. */
export function decodeProfile(row: Record<string, unknown>): ProfileRecord {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? null,
    type: (row.type as string | null) ?? null,
    context: fromDbJson(row.context as string | null),
    spec: fromDbJson(row.spec as string | null),
    user: row.user as string,
    project: row.project as string,
    domain: (row.domain as string | null) ?? null,
    metadata: fromDbJson(row.meta_data as string | null),
    createdAt: fromDbTime(row.created_at as string | null),
    updatedAt: fromDbTime(row.updated_at as string | null),
  };
}

/** Stores a new profile. */
export async function insertProfile(db: Kysely<Database>, p: ProfileRecord): Promise<void> {
  await db
    .insertInto('profile')
    .values({
      id: p.id,
      name: p.name,
      type: p.type,
      context: toDbJson(p.context),
      spec: toDbJson(p.spec),
      user: p.user,
      project: p.project,
      domain: p.domain,
      permission: null,
      meta_data: toDbJson(p.metadata),
      created_at: p.createdAt ? toDbTime(p.createdAt) : null,
      updated_at: p.updatedAt ? toDbTime(p.updatedAt) : null,
    })
    .execute();
}

/** Changes the name and/or metadata of a profile. */
export async function updateProfile(
  db: Kysely<Database>,
  id: string,
  changes: { name?: string; metadata?: Record<string, unknown> | null; updatedAt: Date },
): Promise<void> {
  await db
    .updateTable('profile')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.metadata !== undefined ? { meta_data: toDbJson(changes.metadata) } : {}),
      updated_at: toDbTime(changes.updatedAt),
    })
    .where('id', '=', id)
    .execute();
}

/** True when a cluster or a node still uses the profile. */
export async function profileInUse(db: Kysely<Database>, id: string): Promise<boolean> {
  return (
    (await rowExists(db, 'cluster', 'profile_id', id)) || rowExists(db, 'node', 'profile_id', id)
  );
}
