/**
 * Running one claimed action to its end: events, the handler, and the final status with its
 * cascade. A handler's RETRY reschedules the row (READY again, not before
 * `lock_retry_interval` seconds) instead of sleeping in a worker.
 */
import { markEnded, markSucceeded } from '../db/queries/action-state.js';
import { updateAction } from '../db/queries/actions.js';
import { handlerFor } from './actions/index.js';
import type { EventEntity } from './events.js';
import { eventEntity, recordEvent } from './events.js';
import type { ActionResult } from './execution.js';
import { ActionStop, type Execution } from './execution.js';
import type { MembershipWatch } from './membership-watch.js';
import { watchMembership } from './membership-watch.js';
import { epoch, short } from './services.js';

async function runHandler(x: Execution): Promise<ActionResult> {
  const handler = handlerFor(x.action.action);
  if (!handler) return { code: 'ERROR', reason: `Unsupported action: ${x.action.action}.` };
  try {
    return await handler(x);
  } catch (err) {
    if (err instanceof ActionStop) return { code: err.code, reason: err.message };
    const stop = x.signal.reason;
    if (x.signal.aborted && stop instanceof ActionStop)
      return { code: stop.code, reason: stop.message };
    x.svc.logger.error({ err, action: x.action.id }, 'action failed with an error');
    return { code: 'ERROR', reason: err instanceof Error ? err.message : String(err) };
  }
}

async function settle(
  x: Execution,
  result: ActionResult,
  entity: EventEntity | null,
): Promise<void> {
  const { svc, action } = x;
  const now = epoch(svc.now());
  const { inputs, data, outputs } = action;
  let changed: string[] = [];
  switch (result.code) {
    case 'OK':
      changed = await svc.db.transaction(async (trx) => {
        await updateAction(trx, action.id, { inputs, data });
        return markSucceeded(trx, action.id, now, 'Action completed successfully.', outputs);
      });
      await recordEvent(svc, action, entity, 'INFO', 'end', result.reason || 'SUCCEEDED');
      break;
    case 'RETRY': {
      const retries = Number(data.retries ?? 0);
      if (retries < svc.config.DEFAULT.lock_retry_times) {
        data.retries = retries + 1;
        await svc.db.retry((k) =>
          updateAction(k, action.id, {
            status: 'READY',
            owner: null,
            startTime: now + svc.config.DEFAULT.lock_retry_interval,
            statusReason: result.reason,
            inputs,
            data,
          }),
        );
        await recordEvent(svc, action, entity, 'WARN', 'error', result.reason || 'RETRY');
        return;
      }
      const reason = `Exceeded maximum number of retries (${svc.config.DEFAULT.lock_retry_times})`;
      changed = await svc.db.transaction(async (trx) => {
        await updateAction(trx, action.id, { inputs, data });
        return markEnded(trx, action.id, 'FAILED', now, reason, outputs);
      });
      await recordEvent(svc, action, entity, 'ERROR', 'error', reason);
      break;
    }
    case 'CANCEL':
      changed = await svc.db.transaction(async (trx) => {
        await updateAction(trx, action.id, { inputs, data });
        return markEnded(
          trx,
          action.id,
          'CANCELLED',
          now,
          result.reason || 'Action execution cancelled',
          outputs,
        );
      });
      await recordEvent(svc, action, entity, 'ERROR', 'error', result.reason || 'CANCEL');
      break;
    default:
      changed = await svc.db.transaction(async (trx) => {
        await updateAction(trx, action.id, { inputs, data });
        return markEnded(trx, action.id, 'FAILED', now, result.reason || result.code, outputs);
      });
      await recordEvent(svc, action, entity, 'ERROR', 'error', result.reason || result.code);
  }
  svc.bus.changed(action.id);
  for (const id of changed) svc.bus.changed(id);
}

/** Runs a claimed action to its end. Never throws (failures end the action). */
export async function runAction(x: Execution): Promise<void> {
  const { svc, action } = x;
  let entity: EventEntity | null = null;
  const started = performance.now();
  let outcome = 'ERROR';
  svc.metrics?.actionStarted();
  try {
    entity = await eventEntity(svc, action.target, action.action);
    let result: ActionResult;
    let membership: MembershipWatch | null = null;
    if (action.control === 'CANCEL') {
      result = { code: 'CANCEL', reason: `${action.action} [${short(action.id)}] cancelled` };
    } else {
      await recordEvent(svc, action, entity, 'INFO', 'start', short(action.id));
      membership = await watchMembership(svc, action);
      result = await runHandler(x);
    }
    outcome = result.code;
    await settle(x, result, entity);
    await membership?.report();
  } catch (err) {
    svc.logger.error({ err, action: action.id }, 'could not record the end of an action');
  } finally {
    svc.metrics?.actionFinished(action.action, outcome, (performance.now() - started) / 1000);
    x.dispose();
  }
}
