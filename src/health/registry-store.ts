/**
 * The `health_registry` rows as the health managers share them: which manager owns which
 * cluster's registration (`engine_id` = the owning manager's service id), claims of orphaned
 * rows, moves between live managers, and the liveness of managers from their heartbeats.
 *
 * Every change of ownership is one atomic statement (claims) or one transaction that picks
 * rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL and MySQL) and moves them only if their owner
 * is still the one that was read (moves between live managers); the database stays the single
 * source of truth.
 */
import type { Kysely } from 'kysely';
import { fromDbBool, fromDbJson, fromDbTime, toDbTime } from '../db/codec.js';
import type { Db } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { SERVICE_BINARIES } from '../engine/service-registry.js';

/** A health registration as stored. */
export interface RegistrationRecord {
  readonly id: string;
  readonly clusterId: string;
  /** Comma-joined detection types. */
  readonly checkType: string;
  readonly interval: number;
  readonly params: Readonly<Record<string, unknown>>;
  /** Service id of the owning health manager, null when unclaimed. */
  readonly owner: string | null;
  readonly enabled: boolean;
}

function decodeRegistration(row: {
  id: string;
  cluster_id: string;
  check_type: string | null;
  interval: number | null;
  params: string | null;
  engine_id: string | null;
  enabled: number | boolean | string | null;
}): RegistrationRecord {
  let params: Record<string, unknown> = {};
  try {
    params = fromDbJson<Record<string, unknown>>(row.params) ?? {};
  } catch {
    params = {};
  }
  return {
    id: row.id,
    clusterId: row.cluster_id,
    checkType: row.check_type ?? '',
    interval: Number(row.interval ?? 0),
    params,
    owner: row.engine_id,
    enabled: fromDbBool(row.enabled) !== false,
  };
}

/** The registration of a cluster, or null. */
export async function getRegistration(
  k: Kysely<Database>,
  clusterId: string,
): Promise<RegistrationRecord | null> {
  const row = await k
    .selectFrom('health_registry')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .orderBy('id')
    .executeTakeFirst();
  return row ? decodeRegistration(row) : null;
}

/** The registrations a manager owns. */
export async function listOwnedRegistrations(
  k: Kysely<Database>,
  owner: string,
): Promise<RegistrationRecord[]> {
  const rows = await k
    .selectFrom('health_registry')
    .selectAll()
    .where('engine_id', '=', owner)
    .orderBy('id')
    .execute();
  return rows.map(decodeRegistration);
}

/** Number of registrations per owner (`''` stands for unclaimed rows). */
export async function countByOwner(k: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await k
    .selectFrom('health_registry')
    .select(['engine_id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('engine_id')
    .execute();
  return new Map(rows.map((r) => [r.engine_id ?? '', Number(r.n)]));
}

/** A health manager's service row: its id and its last heartbeat. */
export interface ManagerHeartbeat {
  readonly id: string;
  readonly seen: Date | null;
}

/** Every health manager's service row with its last heartbeat. */
export async function listManagers(k: Kysely<Database>): Promise<ManagerHeartbeat[]> {
  const rows = await k
    .selectFrom('service')
    .select(['id', 'updated_at', 'created_at'])
    .where('binary', '=', SERVICE_BINARIES.healthManager)
    .execute();
  return rows.map((r) => ({ id: r.id, seen: fromDbTime(r.updated_at ?? r.created_at) }));
}

/**
 * Gives `owner` every registration that has no live owner: unclaimed rows and rows of
 * managers not in `live`. One UPDATE: each row it changes is locked and its owner checked
 * again, so of several managers claiming at once each row goes to exactly one. Returns the
 * number of rows claimed.
 */
export async function claimOrphans(
  db: Db,
  owner: string,
  live: readonly string[],
): Promise<number> {
  const keep = live.includes(owner) ? [...live] : [...live, owner];
  const r = await db.retry((k) =>
    k
      .updateTable('health_registry')
      .set({ engine_id: owner })
      .where((eb) => eb.or([eb('engine_id', 'is', null), eb('engine_id', 'not in', keep)]))
      .executeTakeFirst(),
  );
  return Number(r.numUpdatedRows);
}

/** Moves up to `count` registrations from the live manager `donor` to `owner`. */
export async function takeFrom(
  db: Db,
  owner: string,
  donor: string,
  count: number,
): Promise<number> {
  if (count <= 0) return 0;
  return db.transaction(async (trx) => {
    let q = trx
      .selectFrom('health_registry')
      .select('id')
      .where('engine_id', '=', donor)
      .orderBy('id')
      .limit(count);
    if (db.dialect !== 'sqlite') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return 0;
    const r = await trx
      .updateTable('health_registry')
      .set({ engine_id: owner })
      .where('id', 'in', ids)
      .where('engine_id', '=', donor)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  });
}

/** Hands back every registration of `owner` (a manager stopping): they become unclaimed. */
export async function releaseAll(db: Db, owner: string): Promise<number> {
  const r = await db.retry((k) =>
    k
      .updateTable('health_registry')
      .set({ engine_id: null })
      .where('engine_id', '=', owner)
      .executeTakeFirst(),
  );
  return Number(r.numUpdatedRows);
}

/**
 * Deletes the service rows of health managers whose last heartbeat is older than `cutoff`
 * (a manager that heartbeats meanwhile keeps its row).
 */
export async function deleteDeadManagers(db: Db, cutoff: Date): Promise<number> {
  const r = await db.retry((k) =>
    k
      .deleteFrom('service')
      .where('binary', '=', SERVICE_BINARIES.healthManager)
      .where((eb) => eb(eb.fn.coalesce('updated_at', 'created_at'), '<', toDbTime(cutoff)))
      .executeTakeFirst(),
  );
  return Number(r.numDeletedRows);
}
