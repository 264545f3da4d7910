/** Receiver rows. */
import type { Insertable, Kysely, Updateable } from 'kysely';
import { fromDbJson, fromDbTime, toDbJson, toDbTime } from '../codec.js';
import type { Database, ReceiverTable } from '../schema.js';

/** A stored receiver (`webhook` or `message`). */
export interface ReceiverRecord {
  id: string;
  name: string;
  type: string;
  user: string;
  project: string;
  domain: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** Target cluster; null for message receivers, which name the cluster per message. */
  clusterId: string | null;
  /** `{trust_id}` of the owner (webhooks act with it). */
  actor: Record<string, unknown>;
  /** Cluster action started by the receiver (webhooks). */
  action: string | null;
  /** Default inputs of the actions the receiver starts. */
  params: Record<string, unknown>;
  /** Webhook `{alarm_url}`; message `{queue_name, subscription}`. */
  channel: Record<string, unknown>;
}

/** A raw `receiver` row to a record. */
export function decodeReceiver(row: Record<string, unknown>): ReceiverRecord {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? '',
    type: (row.type as string | null) ?? '',
    user: (row.user as string | null) ?? '',
    project: (row.project as string | null) ?? '',
    domain: (row.domain as string | null) ?? null,
    createdAt: fromDbTime(row.created_at as string | null),
    updatedAt: fromDbTime(row.updated_at as string | null),
    clusterId: (row.cluster_id as string | null) ?? null,
    actor: fromDbJson(row.actor as string | null) ?? {},
    action: (row.action as string | null) ?? null,
    params: fromDbJson(row.params as string | null) ?? {},
    channel: fromDbJson(row.channel as string | null) ?? {},
  };
}

/** Receiver fields that can be written. */
export type ReceiverValues = Partial<Omit<ReceiverRecord, 'id'>>;

/** The column values of a partial receiver record. */
export function encodeReceiver(v: ReceiverValues): Updateable<ReceiverTable> {
  const out: Updateable<ReceiverTable> = {};
  if (v.name !== undefined) out.name = v.name;
  if (v.type !== undefined) out.type = v.type;
  if (v.user !== undefined) out.user = v.user;
  if (v.project !== undefined) out.project = v.project;
  if (v.domain !== undefined) out.domain = v.domain;
  if (v.createdAt !== undefined) out.created_at = v.createdAt && toDbTime(v.createdAt);
  if (v.updatedAt !== undefined) out.updated_at = v.updatedAt && toDbTime(v.updatedAt);
  if (v.clusterId !== undefined) out.cluster_id = v.clusterId;
  if (v.actor !== undefined) out.actor = toDbJson(v.actor);
  if (v.action !== undefined) out.action = v.action;
  if (v.params !== undefined) out.params = toDbJson(v.params);
  if (v.channel !== undefined) out.channel = toDbJson(v.channel);
  return out;
}

/** Stores a new receiver. */
export async function insertReceiver(db: Kysely<Database>, r: ReceiverRecord): Promise<void> {
  await db
    .insertInto('receiver')
    .values({ id: r.id, ...encodeReceiver(r) } as Insertable<ReceiverTable>)
    .execute();
}

/** Gets a receiver by exact id (any project), or undefined. */
export async function getReceiver(
  db: Kysely<Database>,
  id: string,
): Promise<ReceiverRecord | undefined> {
  const row = await db.selectFrom('receiver').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? decodeReceiver(row) : undefined;
}

/** Updates some fields of a receiver; false when the row is gone. */
export async function updateReceiver(
  db: Kysely<Database>,
  id: string,
  values: ReceiverValues,
): Promise<boolean> {
  const set = encodeReceiver(values);
  if (Object.keys(set).length === 0) return true;
  const res = await db.updateTable('receiver').set(set).where('id', '=', id).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Deletes a receiver row. */
export async function deleteReceiverRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('receiver').where('id', '=', id).execute();
}
