/**
 * Migration 002: secondary indexes. Upstream never created any; these serve the queries
 * senlin-ts runs often (claiming READY actions, listing by cluster, profile or project,
 * purging events and actions by age, dependency look-ups, dead-service sweeps).
 */
import type { Kysely } from 'kysely';

/** Indexed columns per table; each index is named `ix_<table>_<columns joined by _>`. */
export const INDEXES: readonly (readonly [table: string, columns: readonly string[]])[] = [
  ['action', ['status', 'owner']],
  ['action', ['target']],
  ['action', ['created_at']],
  ['action', ['cluster_id']],
  ['node', ['cluster_id']],
  ['node', ['profile_id']],
  ['node', ['physical_id']],
  ['node', ['project']],
  ['cluster', ['profile_id']],
  ['cluster', ['project']],
  ['event', ['timestamp']],
  ['event', ['oid']],
  ['event', ['cluster_id']],
  ['cluster_policy', ['cluster_id']],
  ['cluster_policy', ['policy_id']],
  ['dependency', ['depended']],
  ['dependency', ['dependent']],
  ['health_registry', ['cluster_id']],
  ['receiver', ['cluster_id']],
  ['receiver', ['project']],
  ['profile', ['project']],
  ['policy', ['project']],
  ['service', ['binary']],
];

/** The name of an index of INDEXES. */
export function indexName(table: string, columns: readonly string[]): string {
  return `ix_${table}_${columns.join('_')}`;
}

/** Creates the indexes. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, columns] of INDEXES) {
    await db.schema
      .createIndex(indexName(table, columns))
      .on(table)
      .columns([...columns])
      .execute();
  }
}
