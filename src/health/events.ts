/**
 * Events of the health manager: a node found unhealthy (and the recovery requested for it),
 * health checking of a cluster paused, resumed, disabled or enabled. They are stored under the
 * cluster owner with the action `NODE_CHECK` (nodes) or `CLUSTER_CHECK` (clusters), names the
 * event list's `action` filter accepts, and statuses of their own (`UNHEALTHY`, `PAUSED` …);
 * the recoveries themselves are actions with their own events.
 */
import type { EventLevelName } from '../common/constants.js';
import { EVENT_LEVELS } from '../common/constants.js';
import { newId } from '../common/ids.js';
import { insertEvent } from '../db/queries/events.js';
import type { EventEntity } from '../engine/events.js';
import type { EngineServices } from '../engine/services.js';
import { short } from '../engine/services.js';

/** The `action` of health manager events, by the type of object they are about. */
export const HEALTH_EVENT_ACTIONS = { NODE: 'NODE_CHECK', CLUSTER: 'CLUSTER_CHECK' } as const;

const PRIORITIES: Readonly<Record<string, number>> = {
  critical: EVENT_LEVELS.CRITICAL,
  error: EVENT_LEVELS.ERROR,
  warning: EVENT_LEVELS.WARN,
  info: EVENT_LEVELS.INFO,
  debug: EVENT_LEVELS.DEBUG,
};

/** Who an event is recorded for: the owner of the cluster. */
export interface EventOwner {
  readonly user: string;
  readonly project: string;
}

/**
 * Logs an event and stores it when the `database` event backend is on and its level reaches
 * `[dispatchers] priority` (or debug is on). Never throws: a failed insert is logged.
 */
export async function recordHealthEvent(
  svc: EngineServices,
  entity: EventEntity,
  owner: EventOwner,
  level: EventLevelName,
  status: string,
  reason: string,
): Promise<void> {
  const action = HEALTH_EVENT_ACTIONS[entity.otype];
  const line = `${entity.name}[${short(entity.id)}] ${action} ${status}: ${reason}`;
  if (EVENT_LEVELS[level] >= EVENT_LEVELS.WARN) svc.logger.warn(line);
  else svc.logger.info(line);
  const { dispatchers, DEFAULT } = svc.config;
  if (!DEFAULT.event_dispatchers.includes('database')) return;
  const floor = PRIORITIES[dispatchers.priority] ?? EVENT_LEVELS.INFO;
  if (!DEFAULT.debug && EVENT_LEVELS[level] < floor) return;
  try {
    await svc.db.retry((k) =>
      insertEvent(k, {
        id: newId(),
        timestamp: svc.now(),
        oid: entity.id,
        oname: entity.name,
        otype: entity.otype,
        clusterId: entity.clusterId,
        level: EVENT_LEVELS[level],
        user: owner.user,
        project: owner.project,
        action,
        status,
        statusReason: reason,
        metadata: {},
      }),
    );
  } catch (err) {
    svc.logger.error({ err }, 'storing a health event failed');
  }
}
