/**
 * The `service` table: one row per running engine, conductor or health manager, kept alive
 * by heartbeats. Functions take `db.kysely` or a transaction and do not retry by themselves.
 */
import type { Kysely, Selectable } from 'kysely';
import { newId } from '../../common/ids.js';
import { fromDbBool, fromDbTime, toDbBool, toDbTime } from '../codec.js';
import type { Database, ServiceTable } from '../schema.js';

/** A service row with decoded values. */
export interface ServiceRecord {
  readonly id: string;
  readonly host: string | null;
  readonly binary: string | null;
  readonly topic: string | null;
  readonly disabled: boolean | null;
  readonly disabledReason: string | null;
  readonly createdAt: Date | null;
  readonly updatedAt: Date | null;
}

/** What a new service row says about the process. */
export interface NewService {
  /** Defaults to a fresh UUID. */
  readonly id?: string;
  readonly host: string;
  /** Process kind, e.g. `senlin-engine`. */
  readonly binary: string;
  readonly topic: string;
  /** Creation (and first heartbeat) time; defaults to now. */
  readonly now?: Date;
}

/** A stored service row as a ServiceRecord. */
export function toServiceRecord(row: Selectable<ServiceTable>): ServiceRecord {
  return {
    id: row.id,
    host: row.host,
    binary: row.binary,
    topic: row.topic,
    disabled: fromDbBool(row.disabled),
    disabledReason: row.disabled_reason,
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

/** Inserts the row of a starting service (not disabled, created_at = updated_at = now). */
export async function createService(
  db: Kysely<Database>,
  values: NewService,
): Promise<ServiceRecord> {
  const now = toDbTime(values.now ?? new Date());
  const row = {
    id: values.id ?? newId(),
    host: values.host,
    binary: values.binary,
    topic: values.topic,
    disabled: toDbBool(false),
    disabled_reason: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('service').values(row).execute();
  return toServiceRecord(row);
}

/** Sets `updated_at` of a service to now; false when the row is gone. */
export async function heartbeatService(
  db: Kysely<Database>,
  id: string,
  now: Date = new Date(),
): Promise<boolean> {
  const r = await db
    .updateTable('service')
    .set({ updated_at: toDbTime(now) })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes a service row; false when there was none. */
export async function deleteService(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('service').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** One service, or null. */
export async function getService(db: Kysely<Database>, id: string): Promise<ServiceRecord | null> {
  const row = await db.selectFrom('service').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toServiceRecord(row) : null;
}

/** Every service, oldest first (then by id). */
export async function listServices(db: Kysely<Database>): Promise<ServiceRecord[]> {
  const rows = await db
    .selectFrom('service')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toServiceRecord);
}

/**
 * Whether a service counts as up at `nowMs`: its last heartbeat (or its creation) is within
 * `downTimeSeconds` (`[DEFAULT] service_down_time`).
 */
export function isServiceUp(
  service: ServiceRecord,
  nowMs: number,
  downTimeSeconds: number,
): boolean {
  const seen = (service.updatedAt ?? service.createdAt)?.getTime() ?? 0;
  return Math.abs(nowMs - seen) <= downTimeSeconds * 1000;
}
