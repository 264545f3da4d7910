/**
 * Schema synchronisation with kysely's Migrator. Bookkeeping lives in `senlin_ts_migration`
 * (and its lock table `senlin_ts_migration_lock`), next to upstream's own bookkeeping tables
 * when an upstream database was adopted (see migrations/001-upstream-schema.ts).
 */
import { type Kysely, Migrator } from 'kysely';
import type { Db } from './connection.js';
import { tableExists } from './introspect.js';
import { MIGRATION_NAMES, migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

/** Table recording the applied migrations. */
export const MIGRATION_TABLE = 'senlin_ts_migration';
/** Table holding the migration lock row. */
export const MIGRATION_LOCK_TABLE = 'senlin_ts_migration_lock';

type HasKysely = Pick<Db, 'kysely'>;

function migratorFor(kysely: Kysely<Database>): Migrator {
  return new Migrator({
    db: kysely,
    provider: migrationProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
}

/** The migration a version argument names: a full name (`002_indexes`) or its number (`2`). */
export function resolveMigrationName(version: string): string {
  const v = version.trim();
  const exact = MIGRATION_NAMES.find((name) => name === v);
  if (exact) return exact;
  if (/^\d+$/.test(v)) {
    const byNumber = MIGRATION_NAMES.find((name) => Number(name.split('_')[0]) === Number(v));
    if (byNumber) return byNumber;
  }
  throw new Error(
    `Unknown schema version '${version}'; known versions: ${MIGRATION_NAMES.join(', ')}`,
  );
}

/** Name of the latest applied migration, or null for a database senlin-ts never synced. */
export async function schemaVersion(db: HasKysely): Promise<string | null> {
  const kysely = db.kysely as unknown as Kysely<Record<string, { name: string }>>;
  if (!(await tableExists(db.kysely as Kysely<unknown>, MIGRATION_TABLE))) return null;
  const row = await kysely
    .selectFrom(MIGRATION_TABLE)
    .select('name')
    .orderBy('name', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.name ?? null;
}

/**
 * Applies the pending migrations, all of them or up to `target` (a name or number); never
 * goes back to an older version. Returns the names applied now (empty when up to date).
 */
export async function syncSchema(db: HasKysely, target?: string): Promise<string[]> {
  const wanted = target === undefined ? undefined : resolveMigrationName(target);
  if (wanted !== undefined) {
    const current = await schemaVersion(db);
    if (current !== null && current >= wanted) return [];
  }
  const migrator = migratorFor(db.kysely);
  const result =
    wanted === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(wanted);
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(
      failed
        ? `Schema migration ${failed} failed: ${reason}`
        : `Schema migration failed: ${reason}`,
      { cause: result.error },
    );
  }
  return (result.results ?? [])
    .filter((r) => r.status === 'Success' && r.direction === 'Up')
    .map((r) => r.migrationName);
}
