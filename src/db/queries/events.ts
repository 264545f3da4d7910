/** Event rows. */
import type { Kysely } from 'kysely';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from '../codec.js';
import type { Database } from '../schema.js';

/** A stored event; `level` is the numeric logging level (50 … 10). */
export interface EventRecord {
  id: string;
  timestamp: Date;
  oid: string | null;
  oname: string | null;
  otype: string | null;
  clusterId: string | null;
  level: number;
  user: string | null;
  project: string | null;
  action: string | null;
  status: string | null;
  statusReason: string | null;
  metadata: Record<string, unknown>;
}

/** A raw `event` row to a record. */
export function decodeEvent(row: Record<string, unknown>): EventRecord {
  return {
    id: row.id as string,
    timestamp: fromDbTime(row.timestamp as string) ?? new Date(0),
    oid: (row.oid as string | null) ?? null,
    oname: (row.oname as string | null) ?? null,
    otype: (row.otype as string | null) ?? null,
    clusterId: (row.cluster_id as string | null) ?? null,
    level: Number(row.level ?? 20),
    user: (row.user as string | null) ?? null,
    project: (row.project as string | null) ?? null,
    action: (row.action as string | null) ?? null,
    status: (row.status as string | null) ?? null,
    statusReason: (row.status_reason as string | null) ?? null,
    metadata: fromDbJson(row.meta_data as string | null) ?? {},
  };
}

/** Stores a new event. */
export async function insertEvent(db: Kysely<Database>, e: EventRecord): Promise<void> {
  await db
    .insertInto('event')
    .values({
      id: e.id,
      timestamp: toDbTime(e.timestamp),
      oid: e.oid,
      oname: e.oname,
      otype: e.otype,
      cluster_id: e.clusterId,
      level: String(e.level),
      user: e.user,
      project: e.project,
      action: e.action,
      status: e.status,
      status_reason: e.statusReason,
      meta_data: toDbJson(e.metadata),
    })
    .execute();
}
