/**
 * Finding an object by what a client calls it: a UUID (exact id, then name), otherwise a name,
 * then a short id (id prefix). More than one match is a 400, none a 404.
 */

import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ResourceKind } from '../../common/errors.js';
import { MultipleChoices, ResourceNotFound } from '../../common/errors.js';
import { isUuidLike } from '../../common/ids.js';
import type { Database } from '../schema.js';

/** How to look objects up in one table. */
export interface FindOptions {
  /** Kind named in the not-found message. */
  readonly kind: ResourceKind;
  /** Only objects of this project; null for any project (admins). */
  readonly project: string | null;
  /** Whether the table has a `name` column that may be used (events have none). */
  readonly byName?: boolean;
  /** Project column name when it is not `project`. */
  readonly projectColumn?: string;
}

type Row = Record<string, unknown>;

async function select(
  db: Kysely<Database>,
  table: keyof Database,
  options: FindOptions,
  column: 'id' | 'name' | 'short',
  value: string,
  limit: number,
): Promise<Row[]> {
  let q = db.selectFrom(table).selectAll();
  if (column === 'short') {
    // Ids are hex digits and dashes: anything else cannot be a prefix of one.
    if (!/^[0-9a-fA-F-]+$/.test(value)) return [];
    q = q.where('id' as never, 'like', `${value}%` as never);
  } else {
    q = q.where(column as never, '=', value as never);
  }
  if (options.project !== null)
    q = q.where((options.projectColumn ?? 'project') as never, '=', options.project as never);
  return (await q.limit(limit).execute()) as Row[];
}

/** Finds one row by id, name or short id; throws ResourceNotFound or MultipleChoices. */
export async function findRow(
  db: Kysely<Database>,
  table: keyof Database,
  identity: string,
  options: FindOptions,
): Promise<Row> {
  const byName = options.byName ?? true;
  if (isUuidLike(identity)) {
    const [row] = await select(db, table, options, 'id', identity, 1);
    if (row) return row;
  }
  if (byName) {
    const rows = await select(db, table, options, 'name', identity, 2);
    if (rows.length > 1) throw new MultipleChoices(identity);
    if (rows[0]) return rows[0];
  }
  if (!isUuidLike(identity) || !byName) {
    const rows = await select(db, table, options, 'short', identity, 2);
    if (rows.length > 1) throw new MultipleChoices(identity);
    if (rows[0]) return rows[0];
  }
  throw new ResourceNotFound(options.kind, identity);
}

/** Gets one row by exact id within the scope, or undefined. */
export async function getRow(
  db: Kysely<Database>,
  table: keyof Database,
  id: string,
  project: string | null,
  projectColumn = 'project',
): Promise<Row | undefined> {
  let q = db
    .selectFrom(table)
    .selectAll()
    .where('id' as never, '=', id as never);
  if (project !== null) q = q.where(projectColumn as never, '=', project as never);
  return (await q.executeTakeFirst()) as Row | undefined;
}

/** True when some row of `table` has `column = value`. */
export async function rowExists(
  db: Kysely<Database>,
  table: keyof Database,
  column: string,
  value: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`1`.as('one'))
    .where(column as never, '=', value as never)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when the project already has an object of that name in `table` (name_unique). */
export async function nameTaken(
  db: Kysely<Database>,
  table: keyof Database,
  project: string,
  name: string,
): Promise<boolean> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`1`.as('one'))
    .where('project' as never, '=', project as never)
    .where('name' as never, '=', name as never)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes the row of `table` with this id. */
export async function deleteById(
  db: Kysely<Database>,
  table: keyof Database,
  id: string,
): Promise<void> {
  await db
    .deleteFrom(table)
    .where('id' as never, '=', id as never)
    .execute();
}
