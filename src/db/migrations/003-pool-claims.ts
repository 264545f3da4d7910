/**
 * Migration 003: `senlin_ts_pool_claim`, the pooled resources (volumes, ports, fixed IPs) held
 * by nodes of `os.nova.server-1.1` profiles. The primary key on (kind, resource_id) is what
 * keeps two engines from handing the same resource to two nodes. Not an upstream table: the
 * `senlin_ts_` prefix keeps it apart from upstream's schema.
 */
import type { Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';
import { createTable, type TableSpec } from './column-types.js';

/** The claim table. */
export const POOL_CLAIM_TABLE: TableSpec = {
  name: 'senlin_ts_pool_claim',
  columns: [
    ['kind', 'varchar(16)', 'not null'],
    ['resource_id', 'varchar(255)', 'not null'],
    ['pool', 'varchar(64)', 'not null'],
    ['node_id', 'varchar(36)', 'not null'],
    ['sticky', 'boolean'],
    ['created_at', 'time'],
  ],
  primaryKey: ['kind', 'resource_id'],
};

/** Creates the claim table and its index on `node_id`. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, dialectOf(db), POOL_CLAIM_TABLE);
  await db.schema
    .createIndex('ix_senlin_ts_pool_claim_node_id')
    .on(POOL_CLAIM_TABLE.name)
    .column('node_id')
    .execute();
}
