/**
 * The action state machine in SQL: claiming READY rows, dependencies between parent and child
 * actions, and the terminal transitions with their cascades. Every function that changes more
 * than one row expects to run inside a transaction (`db.transaction`).
 */
import type { Kysely } from 'kysely';
import { newId } from '../../common/ids.js';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { ActionRecord } from './actions.js';
import { decodeAction } from './actions.js';

/** The reason stored on a claimed action. */
export const PROCESSING_REASON = 'The action is being processed.';

/**
 * Claims up to `limit` READY, unowned actions whose `start_time` (the "not before" time of a
 * rescheduled retry) has come, oldest first; they become RUNNING and owned by `owner`.
 * PostgreSQL and MySQL skip rows other engines are claiming at the same moment.
 */
export async function claimReadyActions(
  db: Db,
  owner: string,
  now: number,
  limit: number,
): Promise<ActionRecord[]> {
  return db.transaction(async (trx) => {
    let q = trx
      .selectFrom('action')
      .select('id')
      .where('status', '=', 'READY')
      .where('owner', 'is', null)
      .where((eb) => eb.or([eb('start_time', 'is', null), eb('start_time', '<=', now)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit);
    if (db.dialect !== 'sqlite') q = q.forUpdate().skipLocked();
    const ids = (await q.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    await trx
      .updateTable('action')
      .set({ owner, status: 'RUNNING', start_time: now, status_reason: PROCESSING_REASON })
      .where('id', 'in', ids)
      .where('status', '=', 'READY')
      .where('owner', 'is', null)
      .execute();
    const rows = await trx
      .selectFrom('action')
      .selectAll()
      .where('id', 'in', ids)
      .where('owner', '=', owner)
      .execute();
    return rows.map(decodeAction);
  });
}

/** Makes `parent` wait for `children`: one dependency row each, parent WAITING. */
export async function addDependencies(
  trx: Kysely<Database>,
  children: readonly string[],
  parent: string,
): Promise<void> {
  for (let i = 0; i < children.length; i += 200) {
    const chunk = children
      .slice(i, i + 200)
      .map((child) => ({ id: newId(), depended: child, dependent: parent }));
    if (chunk.length > 0) await trx.insertInto('dependency').values(chunk).execute();
  }
  await trx
    .updateTable('action')
    .set({ status: 'WAITING', status_reason: 'Waiting for depended actions.' })
    .where('id', '=', parent)
    .where('status', 'in', ['INIT', 'RUNNING', 'READY'])
    .execute();
}

/** Moves INIT actions to READY. */
export async function markReady(
  trx: Kysely<Database>,
  ids: readonly string[],
  reason = '',
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await trx
      .updateTable('action')
      .set({ status: 'READY', status_reason: reason })
      .where('id', 'in', ids.slice(i, i + 500))
      .where('status', '=', 'INIT')
      .execute();
  }
}

/** Number of actions `id` still waits for. */
export async function pendingDependencies(db: Kysely<Database>, id: string): Promise<number> {
  const row = await db
    .selectFrom('dependency')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('dependent', '=', id)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Removes the dependency rows of a finished child and returns its parents; a WAITING parent
 * with nothing left to wait for goes back to RUNNING (its owner keeps executing it).
 */
async function releaseParents(trx: Kysely<Database>, child: string): Promise<string[]> {
  const parents = (
    await trx.selectFrom('dependency').select('dependent').where('depended', '=', child).execute()
  ).map((r) => r.dependent);
  if (parents.length === 0) return [];
  await trx.deleteFrom('dependency').where('depended', '=', child).execute();
  for (const parent of parents) {
    if ((await pendingDependencies(trx, parent)) === 0) {
      await trx
        .updateTable('action')
        .set({ status: 'RUNNING', status_reason: 'All depended actions completed.' })
        .where('id', '=', parent)
        .where('status', '=', 'WAITING')
        .execute();
    }
  }
  return parents;
}

/** SUCCEEDED: owner cleared, outputs stored; returns the parents that were waiting for it. */
export async function markSucceeded(
  trx: Kysely<Database>,
  id: string,
  endTime: number,
  reason: string,
  outputs?: Record<string, unknown>,
): Promise<string[]> {
  await trx
    .updateTable('action')
    .set({
      owner: null,
      status: 'SUCCEEDED',
      status_reason: reason,
      end_time: endTime,
      ...(outputs ? { outputs: JSON.stringify(outputs) } : {}),
    })
    .where('id', '=', id)
    .execute();
  return releaseParents(trx, id);
}

/**
 * FAILED or CANCELLED with upstream's cascade: the dependency rows of the action go, and every
 * action waiting for it that no engine is executing ends the same way (unless the ended
 * action's inputs say `update_parent_status: false`), recursively. Returns every action id
 * that ended.
 */
export async function markEnded(
  trx: Kysely<Database>,
  id: string,
  status: 'FAILED' | 'CANCELLED',
  endTime: number,
  reason: string,
  outputs?: Record<string, unknown>,
): Promise<string[]> {
  const ended: string[] = [];
  const defaultReason =
    status === 'FAILED' ? 'Action execution failed' : 'Action execution cancelled';
  const queue: { id: string; reason: string }[] = [{ id, reason }];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || seen.has(next.id)) continue;
    seen.add(next.id);
    const row = await trx
      .selectFrom('action')
      .select(['status', 'inputs', 'owner'])
      .where('id', '=', next.id)
      .executeTakeFirst();
    if (!row) continue;
    if (next.id !== id && ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(row.status ?? '')) continue;
    // A parent that an engine is executing learns about its children itself and ends with its
    // own reason; only parents nobody executes are ended by the cascade.
    if (next.id !== id && row.owner) continue;
    let update = trx
      .updateTable('action')
      .set({
        owner: null,
        status,
        status_reason: next.reason,
        end_time: endTime,
        ...(next.id === id && outputs ? { outputs: JSON.stringify(outputs) } : {}),
      })
      .where('id', '=', next.id);
    // A cascade never rewrites an action that has ended meanwhile (another transaction may
    // have ended it after this one read its status).
    if (next.id !== id)
      update = update.where('status', 'not in', ['SUCCEEDED', 'FAILED', 'CANCELLED']);
    const res = await update.executeTakeFirst();
    if (next.id !== id && Number(res.numUpdatedRows) === 0) continue;
    ended.push(next.id);
    const inputs = row.inputs ? (JSON.parse(row.inputs) as Record<string, unknown>) : {};
    const parents = (
      await trx
        .selectFrom('dependency')
        .select('dependent')
        .where('depended', '=', next.id)
        .execute()
    ).map((r) => r.dependent);
    await trx.deleteFrom('dependency').where('depended', '=', next.id).execute();
    if (inputs.update_parent_status === false) {
      // A child that must not fail its parent (stopping a node before deleting it): the
      // parent only stops waiting for it.
      for (const parent of parents) {
        if ((await pendingDependencies(trx, parent)) === 0) {
          await trx
            .updateTable('action')
            .set({ status: 'RUNNING', status_reason: 'All depended actions completed.' })
            .where('id', '=', parent)
            .where('status', '=', 'WAITING')
            .execute();
        }
      }
      continue;
    }
    for (const parent of parents) queue.push({ id: parent, reason: defaultReason });
  }
  return ended;
}

/** Ids of the actions `id` still waits for (its children). */
export async function childActionIds(db: Kysely<Database>, id: string): Promise<string[]> {
  return (
    await db.selectFrom('dependency').select('depended').where('dependent', '=', id).execute()
  ).map((r) => r.depended);
}

/** Active actions on a target (conflict check), optionally only some action names. */
export async function activeActionsOn(
  db: Kysely<Database>,
  target: string,
  names?: readonly string[],
): Promise<string[]> {
  let q = db
    .selectFrom('action')
    .select('id')
    .where('target', '=', target)
    .where('status', 'in', ['READY', 'WAITING', 'RUNNING', 'WAITING_LIFECYCLE_COMPLETION']);
  if (names) q = q.where('action', 'in', [...names]);
  return (await q.orderBy('created_at').execute()).map((r) => r.id);
}
