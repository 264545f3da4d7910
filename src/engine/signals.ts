/**
 * Signals to actions: cancel (upstream, microversion 1.12), and suspend/resume (senlin-ts,
 * microversion 1.15). Signals are written to `action.control`; the engine running the action
 * sees them at its next safe point. Actions that have not started are handled at once.
 */
import type { Kysely } from 'kysely';
import { ActionControl, CANCELLABLE_ACTION_STATUSES } from '../common/constants.js';
import { BadRequest, InternalError, SenlinError } from '../common/errors.js';
import { childActionIds, markEnded } from '../db/queries/action-state.js';
import { getAction, updateAction } from '../db/queries/actions.js';
import { releaseLocksOf } from '../db/queries/locks.js';
import type { Database } from '../db/schema.js';
import type { EngineServices } from './services.js';
import { epoch } from './services.js';

/** 409: the action's status does not allow the signal. */
export class ActionImmutable extends SenlinError {
  constructor(id: string, actual: string, expected: readonly string[]) {
    const tuple =
      expected.length === 1
        ? `('${expected[0]}',)`
        : `(${expected.map((s) => `'${s}'`).join(', ')})`;
    super(
      `Action (${id.slice(0, 8)}) is in status (${actual}) while expected status must be one of (${tuple}).`,
      409,
      'ActionImmutable',
    );
  }
}

/** What a client may ask for with `PATCH /v1/actions/{id}`. */
export type RequestedActionStatus = 'CANCELLED' | 'SUSPENDED' | 'RESUMED';

const NOT_STARTED = ['INIT', 'WAITING_LIFECYCLE_COMPLETION'];

async function cancelTree(
  trx: Kysely<Database>,
  id: string,
  now: number,
  force: boolean,
): Promise<string[]> {
  const ended: string[] = [];
  const queue = [id];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || seen.has(current)) continue;
    seen.add(current);
    const action = await getAction(trx, current);
    if (!action || !CANCELLABLE_ACTION_STATUSES.includes(action.status)) continue;
    const children = await childActionIds(trx, current);
    if (force || NOT_STARTED.includes(action.status)) {
      const reason = force ? 'Action execution force cancelled' : 'Action execution cancelled';
      ended.push(...(await markEnded(trx, current, 'CANCELLED', now, reason)));
    } else {
      await updateAction(trx, current, { control: ActionControl.CANCEL });
    }
    queue.push(...children);
  }
  if (force) await releaseLocksOf(trx, ended);
  return ended;
}

/**
 * Applies a requested status to an action (found by exact id). Returns the ids whose status
 * or control changed, for the bus.
 */
export async function signalAction(
  svc: EngineServices,
  id: string,
  requested: string,
  force: boolean,
): Promise<string[]> {
  const now = epoch(svc.now());
  const touched = await svc.db.transaction(async (trx) => {
    const action = await getAction(trx, id);
    if (!action) throw new InternalError(`action ${id} vanished`);
    switch (requested) {
      case 'CANCELLED':
        if (!force && !CANCELLABLE_ACTION_STATUSES.includes(action.status)) {
          throw new ActionImmutable(id, action.status, CANCELLABLE_ACTION_STATUSES);
        }
        return [id, ...(await cancelTree(trx, id, now, force))];
      case 'SUSPENDED': {
        if (!['READY', 'RUNNING', 'WAITING'].includes(action.status)) {
          throw new ActionImmutable(id, action.status, ['READY', 'RUNNING', 'WAITING']);
        }
        // Not claimed yet: suspend it in place (the update loses the race if an engine claims
        // it meanwhile, and the signal is then delivered to the running action).
        const res = await trx
          .updateTable('action')
          .set({ status: 'SUSPENDED', status_reason: 'Action suspended before it started.' })
          .where('id', '=', id)
          .where('status', '=', 'READY')
          .where('owner', 'is', null)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0)
          await updateAction(trx, id, { control: ActionControl.SUSPEND });
        return [id];
      }
      case 'RESUMED': {
        if (action.status !== 'SUSPENDED' && action.control !== ActionControl.SUSPEND) {
          throw new ActionImmutable(id, action.status, ['SUSPENDED']);
        }
        const res = await trx
          .updateTable('action')
          .set({ status: 'READY', control: null, status_reason: 'Action resumed.' })
          .where('id', '=', id)
          .where('status', '=', 'SUSPENDED')
          .where('owner', 'is', null)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) === 0) {
          await updateAction(trx, id, {
            control: action.control === ActionControl.SUSPEND ? null : ActionControl.RESUME,
          });
        }
        return [id];
      }
      default:
        throw new BadRequest(`Unknown status ${requested} for action ${id}`);
    }
  });
  for (const t of touched) {
    svc.bus.signal(t);
    svc.bus.changed(t);
  }
  svc.bus.ready();
  return touched;
}
