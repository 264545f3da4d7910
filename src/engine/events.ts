/**
 * Events of action phases (`start`, `end`, `error`), stored in the `event` table by the
 * `database` backend, published as versioned notifications by the `message` backend, and
 * logged. Levels below `[dispatchers] priority` (unless debug is on) and
 * events of derived actions (unless `exclude_derived_actions` is false) are not dispatched.
 */

import type { EventLevelName } from '../common/constants.js';
import { ActionCause, EVENT_LEVELS } from '../common/constants.js';
import { newId } from '../common/ids.js';
import type { ActionRecord } from '../db/queries/actions.js';
import { getCluster } from '../db/queries/clusters.js';
import { insertEvent } from '../db/queries/events.js';
import { getNode } from '../db/queries/nodes.js';
import { notifyActionEvent } from './event-notify.js';
import type { EngineServices } from './services.js';
import { short } from './services.js';

/** The object an event is about. */
export interface EventEntity {
  readonly id: string;
  readonly name: string;
  readonly otype: 'CLUSTER' | 'NODE';
  /** The cluster id (for nodes, their cluster or `''`). */
  readonly clusterId: string;
}

const PRIORITIES: Readonly<Record<string, number>> = {
  critical: EVENT_LEVELS.CRITICAL,
  error: EVENT_LEVELS.ERROR,
  warning: EVENT_LEVELS.WARN,
  info: EVENT_LEVELS.INFO,
  debug: EVENT_LEVELS.DEBUG,
};

/** Whether an event of this level and action is dispatched under the configuration. */
export function shouldDispatch(
  svc: EngineServices,
  level: EventLevelName,
  action: ActionRecord,
): boolean {
  const { dispatchers, DEFAULT } = svc.config;
  if (dispatchers.exclude_derived_actions && action.cause === ActionCause.DERIVED) return false;
  if (DEFAULT.debug) return true;
  return EVENT_LEVELS[level] >= (PRIORITIES[dispatchers.priority] ?? EVENT_LEVELS.INFO);
}

/** The action name events show: the operation for *_OPERATION actions. */
export function eventActionName(action: ActionRecord): string {
  if (action.action.endsWith('_OPERATION') && typeof action.inputs.operation === 'string') {
    return action.inputs.operation;
  }
  return action.action;
}

/** Records one event of an action's phase. */
export async function recordEvent(
  svc: EngineServices,
  action: ActionRecord,
  entity: EventEntity | null,
  level: EventLevelName,
  phase: string,
  reason: string,
): Promise<void> {
  const name = eventActionName(action);
  svc.logger.info(
    `${entity ? `${entity.name}[${short(entity.id)}]` : `[${short(action.target)}]`} ${name}[${short(action.id)}] ${phase}: ${reason}`,
  );
  if (!entity || !shouldDispatch(svc, level, action)) return;
  const dispatchers = svc.config.DEFAULT.event_dispatchers;
  if (dispatchers.includes('message')) await notifyActionEvent(svc, action, entity, level, phase);
  if (!dispatchers.includes('database')) return;
  await svc.db.retry((k) =>
    insertEvent(k, {
      id: newId(),
      timestamp: svc.now(),
      oid: entity.id,
      oname: entity.name,
      otype: entity.otype,
      clusterId: entity.clusterId,
      level: EVENT_LEVELS[level],
      user: action.context?.user_id ?? action.user,
      project: action.context?.project_id ?? action.project,
      action: name,
      status: phase,
      statusReason: reason,
      metadata: {},
    }),
  );
}

/** The cluster or node an action is about, for its events. */
export async function eventEntity(
  svc: EngineServices,
  target: string,
  action: string,
): Promise<EventEntity | null> {
  if (action.startsWith('CLUSTER_')) {
    const c = await svc.db.retry((k) => getCluster(k, target));
    return c ? { id: c.id, name: c.name, otype: 'CLUSTER', clusterId: c.id } : null;
  }
  if (action.startsWith('NODE_')) {
    const n = await svc.db.retry((k) => getNode(k, target));
    return n ? { id: n.id, name: n.name, otype: 'NODE', clusterId: n.clusterId } : null;
  }
  return null;
}
