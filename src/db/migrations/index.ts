/**
 * The ordered list of schema migrations. Names sort in application order; a shipped
 * migration never changes, new ones are appended.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as upstreamSchema from './001-upstream-schema.js';
import * as indexes from './002-indexes.js';
import * as poolClaims from './003-pool-claims.js';

/** Every migration by name. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '001_upstream_schema': upstreamSchema,
  '002_indexes': indexes,
  '003_pool_claims': poolClaims,
});

/** Names of the migrations in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS).sort();

/** kysely migration provider over MIGRATIONS (no file system look-ups). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};
