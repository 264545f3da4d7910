/**
 * Dead engines: a sweep finds engine services whose heartbeat stopped and, in one transaction
 * per engine, fails the actions it was running (with upstream's cascade), cancels the work
 * those actions had not started yet, releases their locks, marks the clusters and nodes they
 * were changing as ERROR, and deletes the service row.
 */
import type { Kysely } from 'kysely';
import { ActionControl } from '../common/constants.js';
import { fromDbTime } from '../db/codec.js';
import { childActionIds, markEnded } from '../db/queries/action-state.js';
import type { ActionRecord } from '../db/queries/actions.js';
import { decodeAction } from '../db/queries/actions.js';
import { releaseLocksOf } from '../db/queries/locks.js';
import type { Database } from '../db/schema.js';
import { SERVICE_BINARIES } from './service-registry.js';
import type { EngineServices } from './services.js';
import { epoch } from './services.js';

const TRANSITIONAL_CLUSTER = [
  'CREATING',
  'UPDATING',
  'RESIZING',
  'DELETING',
  'CHECKING',
  'RECOVERING',
  'OPERATING',
];
const TRANSITIONAL_NODE = ['CREATING', 'UPDATING', 'DELETING', 'RECOVERING', 'OPERATING'];
const REASON = 'Engine failure';

async function cancelUnstartedChildren(
  trx: Kysely<Database>,
  parent: string,
  now: number,
): Promise<string[]> {
  const ended: string[] = [];
  const queue = await childActionIds(trx, parent);
  while (queue.length > 0) {
    const id = queue.shift();
    if (!id) continue;
    const row = await trx
      .selectFrom('action')
      .select(['status', 'owner'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) continue;
    if (
      ['INIT', 'READY', 'WAITING_LIFECYCLE_COMPLETION', 'SUSPENDED'].includes(row.status ?? '') &&
      !row.owner
    ) {
      queue.push(...(await childActionIds(trx, id)));
      await trx
        .updateTable('action')
        .set({ status: 'CANCELLED', status_reason: 'Parent action failed.', end_time: now })
        .where('id', '=', id)
        .execute();
      await trx.deleteFrom('dependency').where('depended', '=', id).execute();
      ended.push(id);
    } else if (['RUNNING', 'WAITING'].includes(row.status ?? '')) {
      await trx
        .updateTable('action')
        .set({ control: ActionControl.CANCEL })
        .where('id', '=', id)
        .execute();
    }
  }
  return ended;
}

async function markEntitiesFailed(trx: Kysely<Database>, action: ActionRecord): Promise<void> {
  const reason = `${action.action}: ${REASON}.`;
  if (action.action.startsWith('CLUSTER_')) {
    await trx
      .updateTable('cluster')
      .set({ status: 'ERROR', status_reason: reason })
      .where('id', '=', action.target)
      .where('status', 'in', TRANSITIONAL_CLUSTER)
      .execute();
  } else if (action.action.startsWith('NODE_')) {
    await trx
      .updateTable('node')
      .set({ status: 'ERROR', status_reason: reason })
      .where('id', '=', action.target)
      .where('status', 'in', TRANSITIONAL_NODE)
      .execute();
  }
}

/**
 * Fails everything a (dead) engine was running, in one transaction; returns the ids of the
 * actions that ended.
 */
export async function failWorkOfEngine(svc: EngineServices, engineId: string): Promise<string[]> {
  const now = epoch(svc.now());
  const ended = await svc.db.transaction(async (trx) => {
    const rows = await trx
      .selectFrom('action')
      .selectAll()
      .where('owner', '=', engineId)
      .where('status', 'in', [
        'RUNNING',
        'WAITING',
        'SUSPENDED',
        'READY',
        'WAITING_LIFECYCLE_COMPLETION',
      ])
      .execute();
    const owned = rows.map(decodeAction);
    const all: string[] = [];
    for (const action of owned) {
      all.push(...(await markEnded(trx, action.id, 'FAILED', now, REASON)));
      all.push(...(await cancelUnstartedChildren(trx, action.id, now)));
      await markEntitiesFailed(trx, action);
    }
    await releaseLocksOf(
      trx,
      owned.map((a) => a.id),
    );
    await trx.deleteFrom('service').where('id', '=', engineId).execute();
    return all;
  });
  for (const id of ended) svc.bus.changed(id);
  if (ended.length > 0)
    svc.logger.warn(
      { engine: engineId, actions: ended.length },
      'failed the work of a dead engine',
    );
  return ended;
}

/** Finds engines whose heartbeat is older than 2.2 × periodic_interval and fails their work. */
export async function sweepDeadEngines(svc: EngineServices): Promise<string[]> {
  const limit = 2.2 * svc.config.DEFAULT.periodic_interval * 1000;
  const now = svc.now().getTime();
  const rows = await svc.db.retry((k) =>
    k
      .selectFrom('service')
      .select(['id', 'updated_at', 'created_at'])
      .where('binary', '=', SERVICE_BINARIES.engine)
      .execute(),
  );
  const dead = rows.filter((r) => {
    if (r.id === svc.engineId) return false;
    const seen = fromDbTime(r.updated_at ?? r.created_at);
    return !seen || now - seen.getTime() > limit;
  });
  for (const r of dead) await failWorkOfEngine(svc, r.id);
  return dead.map((r) => r.id);
}
