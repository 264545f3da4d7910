/** Action rows and their dependencies. */
import type { Kysely } from 'kysely';
import { fromDbJson, fromDbNumber, fromDbTime, toDbJson, toDbTime } from '../codec.js';
import type { ActionTable, Database } from '../schema.js';

/** The reduced request context stored with an action and used to run it. */
export interface ActionContext {
  user_id: string | null;
  project_id: string | null;
  domain_id: string | null;
  is_admin: boolean;
  request_id: string | null;
  trusts: string | null;
  [key: string]: unknown;
}

/** A stored action. `startTime`/`endTime` are epoch seconds. */
export interface ActionRecord {
  id: string;
  name: string;
  clusterId: string;
  context: ActionContext | null;
  target: string;
  action: string;
  cause: string;
  owner: string | null;
  interval: number;
  startTime: number | null;
  endTime: number | null;
  timeout: number;
  control: string | null;
  status: string;
  statusReason: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  data: Record<string, unknown>;
  createdAt: Date | null;
  updatedAt: Date | null;
  user: string | null;
  project: string | null;
  domain: string | null;
}

/** A raw `action` row to a record. */
export function decodeAction(row: Record<string, unknown>): ActionRecord {
  return {
    id: row.id as string,
    name: (row.name as string | null) ?? '',
    clusterId: (row.cluster_id as string | null) ?? '',
    context: fromDbJson(row.context as string | null),
    target: (row.target as string | null) ?? '',
    action: (row.action as string | null) ?? '',
    cause: (row.cause as string | null) ?? '',
    owner: (row.owner as string | null) ?? null,
    interval: (row.interval as number | null) ?? -1,
    startTime: fromDbNumber(row.start_time as number | string | null),
    endTime: fromDbNumber(row.end_time as number | string | null),
    timeout: (row.timeout as number | null) ?? 3600,
    control: (row.control as string | null) ?? null,
    status: (row.status as string | null) ?? 'INIT',
    statusReason: (row.status_reason as string | null) ?? '',
    inputs: fromDbJson(row.inputs as string | null) ?? {},
    outputs: fromDbJson(row.outputs as string | null) ?? {},
    data: fromDbJson(row.data as string | null) ?? {},
    createdAt: fromDbTime(row.created_at as string | null),
    updatedAt: fromDbTime(row.updated_at as string | null),
    user: (row.user as string | null) ?? null,
    project: (row.project as string | null) ?? null,
    domain: (row.domain as string | null) ?? null,
  };
}

/** Action fields that can be written. */
export type ActionValues = Partial<Omit<ActionRecord, 'id'>>;

/** Rounds epoch seconds to the column's six decimals. */
function epoch(v: number | null): number | null {
  return v === null ? null : Math.round(v * 1e6) / 1e6;
}

/** The column values of a partial action record. */
export function encodeAction(v: ActionValues): Partial<Record<keyof ActionTable, unknown>> {
  const out: Partial<Record<keyof ActionTable, unknown>> = {};
  if (v.name !== undefined) out.name = v.name;
  if (v.clusterId !== undefined) out.cluster_id = v.clusterId;
  if (v.context !== undefined) out.context = toDbJson(v.context);
  if (v.target !== undefined) out.target = v.target;
  if (v.action !== undefined) out.action = v.action;
  if (v.cause !== undefined) out.cause = v.cause;
  if (v.owner !== undefined) out.owner = v.owner;
  if (v.interval !== undefined) out.interval = v.interval;
  if (v.startTime !== undefined) out.start_time = epoch(v.startTime);
  if (v.endTime !== undefined) out.end_time = epoch(v.endTime);
  if (v.timeout !== undefined) out.timeout = v.timeout;
  if (v.control !== undefined) out.control = v.control;
  if (v.status !== undefined) out.status = v.status;
  if (v.statusReason !== undefined) out.status_reason = v.statusReason;
  if (v.inputs !== undefined) out.inputs = toDbJson(v.inputs);
  if (v.outputs !== undefined) out.outputs = toDbJson(v.outputs);
  if (v.data !== undefined) out.data = toDbJson(v.data);
  if (v.createdAt !== undefined) out.created_at = v.createdAt && toDbTime(v.createdAt);
  if (v.updatedAt !== undefined) out.updated_at = v.updatedAt && toDbTime(v.updatedAt);
  if (v.user !== undefined) out.user = v.user;
  if (v.project !== undefined) out.project = v.project;
  if (v.domain !== undefined) out.domain = v.domain;
  return out;
}

/** Stores new actions (one statement per chunk). */
export async function insertActions(
  db: Kysely<Database>,
  actions: readonly ActionRecord[],
): Promise<void> {
  for (let i = 0; i < actions.length; i += 200) {
    const chunk = actions
      .slice(i, i + 200)
      .map((a) => ({ id: a.id, depends_on: null, depended_by: null, ...encodeAction(a) }) as never);
    if (chunk.length > 0) await db.insertInto('action').values(chunk).execute();
  }
}

/** Gets an action by exact id, or undefined. */
export async function getAction(
  db: Kysely<Database>,
  id: string,
): Promise<ActionRecord | undefined> {
  const row = await db.selectFrom('action').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? decodeAction(row) : undefined;
}

/** Updates some fields of an action; false when the row is gone. */
export async function updateAction(
  db: Kysely<Database>,
  id: string,
  values: ActionValues,
): Promise<boolean> {
  const set = encodeAction(values);
  if (Object.keys(set).length === 0) return true;
  const res = await db
    .updateTable('action')
    .set(set as never)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Ids of the actions `id` waits for (`depends_on`) and of those waiting for it (`depended_by`). */
export async function actionDependencies(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, { dependsOn: string[]; dependedBy: string[] }>> {
  const out = new Map<string, { dependsOn: string[]; dependedBy: string[] }>();
  for (const id of ids) out.set(id, { dependsOn: [], dependedBy: [] });
  if (ids.length === 0) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db
      .selectFrom('dependency')
      .select(['depended', 'dependent'])
      .where((eb) => eb.or([eb('dependent', 'in', chunk), eb('depended', 'in', chunk)]))
      .execute();
    for (const r of rows) {
      out.get(r.dependent)?.dependsOn.push(r.depended);
      out.get(r.depended)?.dependedBy.push(r.dependent);
    }
  }
  return out;
}
