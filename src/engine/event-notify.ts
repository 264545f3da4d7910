/**
 * The `message` event backend: each dispatched action event becomes a versioned notification
 * `cluster.<verb>.<phase>` or `node.<verb>.<phase>` (engine contract §10.2), handed to the
 * process notifier, which publishes it in the background. Failures are logged; the action goes
 * on, and the `database` backend keeps the event either way.
 */
import type { EventLevelName } from '../common/constants.js';
import type { ActionRecord } from '../db/queries/actions.js';
import { getAction } from '../db/queries/actions.js';
import type { ClusterRecord } from '../db/queries/clusters.js';
import { getCluster } from '../db/queries/clusters.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { getNode } from '../db/queries/nodes.js';
import type { NotificationPriority } from '../messaging/outgoing.js';
import type { ClusterSource, NodeSource } from '../messaging/senlin-objects.js';
import { clusterActionPayload, nodeActionPayload } from '../messaging/senlin-objects.js';
import type { EngineServices } from './services.js';

/** The object an event is about (the `EventEntity` of events.ts). */
interface EventSubject {
  readonly id: string;
  readonly name: string;
  readonly otype: 'CLUSTER' | 'NODE';
  readonly clusterId: string;
}

const PRIORITY: Readonly<Record<EventLevelName, NotificationPriority>> = {
  CRITICAL: 'critical',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
};

/**
 * The entity as seen at the action's first event, for the events that follow its deletion
 * (a deleted cluster or node is reported as it was, with status DELETED).
 */
const lastSeen = new WeakMap<ActionRecord, ClusterRecord | NodeRecord>();

/** `scale_out` for CLUSTER_SCALE_OUT; the operation name for *_OPERATION actions. */
export function eventVerb(action: ActionRecord): string {
  if (action.action.endsWith('_OPERATION') && typeof action.inputs.operation === 'string') {
    return action.inputs.operation;
  }
  const i = action.action.indexOf('_');
  return (i >= 0 ? action.action.slice(i + 1) : action.action).toLowerCase();
}

function placeholder(entity: EventSubject): ClusterSource & NodeSource {
  return {
    id: entity.id,
    name: entity.name,
    profileId: '',
    clusterId: entity.clusterId,
    physicalId: null,
    index: -1,
    role: null,
    initAt: null,
    createdAt: null,
    updatedAt: null,
    minSize: 0,
    maxSize: -1,
    desiredCapacity: 0,
    timeout: 0,
    status: 'DELETED',
    statusReason: '',
    metadata: {},
    data: {},
    user: '',
    project: '',
    domain: null,
    dependents: {},
  };
}

async function current(
  svc: EngineServices,
  action: ActionRecord,
  entity: EventSubject,
): Promise<ClusterSource | NodeSource> {
  const record =
    entity.otype === 'CLUSTER'
      ? await svc.db.retry((k) => getCluster(k, entity.id))
      : await svc.db.retry((k) => getNode(k, entity.id));
  if (record) {
    lastSeen.set(action, record);
    return record;
  }
  const seen = lastSeen.get(action);
  return seen ? { ...seen, status: 'DELETED' } : placeholder(entity);
}

/** Publishes the notification of one action event. Never throws. */
export async function notifyActionEvent(
  svc: EngineServices,
  action: ActionRecord,
  entity: EventSubject,
  level: EventLevelName,
  phase: string,
): Promise<void> {
  const notifier = svc.notifier;
  if (!notifier?.enabled) return;
  try {
    const stored = (await svc.db.retry((k) => getAction(k, action.id))) ?? action;
    const subject = await current(svc, action, entity);
    const payload =
      entity.otype === 'CLUSTER'
        ? clusterActionPayload(subject as ClusterSource, stored)
        : nodeActionPayload(subject as NodeSource, stored);
    notifier.notify({
      eventType: `${entity.otype.toLowerCase()}.${eventVerb(action)}.${phase}`,
      priority: PRIORITY[level],
      payload,
      context: action.context ?? {},
      timestamp: svc.now(),
    });
  } catch (err) {
    svc.logger.warn({ err, action: action.id }, 'could not build the notification of an event');
  }
}
