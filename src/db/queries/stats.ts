/**
 * Counts for monitoring: how many actions, clusters and nodes are in each status. Each is one
 * grouped statement, cheap enough to run at every metrics scrape.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** Number of rows per status. */
export type StatusCounts = ReadonlyMap<string, number>;

async function countByStatus(
  db: Kysely<Database>,
  table: 'action' | 'cluster' | 'node',
): Promise<StatusCounts> {
  const rows = await db
    .selectFrom(table)
    .select(['status', db.fn.countAll<number | string | bigint>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [r.status ?? 'UNKNOWN', Number(r.n)]));
}

/** Actions per status. */
export function countActionsByStatus(db: Kysely<Database>): Promise<StatusCounts> {
  return countByStatus(db, 'action');
}

/** Clusters per status. */
export function countClustersByStatus(db: Kysely<Database>): Promise<StatusCounts> {
  return countByStatus(db, 'cluster');
}

/** Nodes per status. */
export function countNodesByStatus(db: Kysely<Database>): Promise<StatusCounts> {
  return countByStatus(db, 'node');
}
