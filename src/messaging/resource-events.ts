/**
 * Turning Nova and Heat notifications into ResourceEvents.
 * - Versioned Nova (`instance.*`): payload `{"nova_object.data": {uuid, tenant_id, state,
 *   metadata, …}}`.
 * - Legacy Nova (`compute.instance.*`): flat payload `{instance_id, tenant_id, state,
 *   metadata, …}`.
 * - Heat (`orchestration.stack.*`): payload `{stack_identity (an ARN ending in the stack id),
 *   tenant_id, state, tags: ["cluster_id=…", "cluster_node_id=…"], …}`.
 * A server is `deleted` (delete/soft_delete end), `stopped` (power_off/shutdown end), `paused`
 * (pause end) or in `error` (any `*.error` event, or an update to state `error`); a stack is
 * `deleted` (delete end) or in `error` (any `*.error` event, or a `*_FAILED` state).
 */
import type { ReceivedNotification } from './oslo-envelope.js';
import type { ResourceEvent } from './types.js';

type Kind = ResourceEvent['kind'];

const SERVER_ACTIONS: Readonly<Record<string, Kind>> = {
  'delete.end': 'deleted',
  'soft_delete.end': 'deleted',
  'power_off.end': 'stopped',
  'shutdown.end': 'stopped',
  'pause.end': 'paused',
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

/** The ISO 8601 form of an oslo timestamp (`2026-11-25 08:49:45.649113`, UTC). */
export function isoFromOslo(timestamp: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?/.exec(timestamp);
  if (!m) return timestamp;
  const fraction = (m[3] ?? '.000').slice(0, 4).padEnd(4, '0');
  return `${m[1]}T${m[2]}${fraction}Z`;
}

function serverKind(action: string, state: string | null): Kind {
  const known = SERVER_ACTIONS[action];
  if (known) return known;
  if (action.endsWith('.error')) return 'error';
  if (action === 'update' && state?.toLowerCase() === 'error') return 'error';
  return 'other';
}

function novaEvent(n: ReceivedNotification): ResourceEvent | null {
  const legacy = n.eventType.startsWith('compute.instance.');
  const action = n.eventType.slice(legacy ? 'compute.instance.'.length : 'instance.'.length);
  const raw = isObject(n.payload) ? n.payload : {};
  const body = legacy ? raw : isObject(raw['nova_object.data']) ? raw['nova_object.data'] : raw;
  const physicalId = text(legacy ? body.instance_id : body.uuid) ?? text(body.instance_id);
  if (!physicalId) return null;
  const state = text(body.state);
  return {
    service: 'nova',
    eventType: n.eventType,
    kind: serverKind(action, state),
    physicalId,
    projectId: text(body.tenant_id) ?? text(n.context.project_id),
    state,
    metadata: stringMap(body.metadata),
    timestamp: isoFromOslo(n.timestamp),
  };
}

/** Tags `key=value` as a map (Heat keeps cluster membership in stack tags). */
function tagMap(tags: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list = Array.isArray(tags) ? tags : typeof tags === 'string' ? tags.split(',') : [];
  for (const tag of list) {
    if (typeof tag !== 'string') continue;
    const eq = tag.indexOf('=');
    if (eq > 0) out[tag.slice(0, eq).trim()] = tag.slice(eq + 1).trim();
  }
  return out;
}

function heatEvent(n: ReceivedNotification): ResourceEvent | null {
  const body = isObject(n.payload) ? n.payload : {};
  const identity = text(body.stack_identity);
  const physicalId = identity ? (identity.split('/').at(-1) ?? null) : text(body.stack_id);
  if (!physicalId) return null;
  const action = n.eventType.slice('orchestration.stack.'.length);
  const state = text(body.state);
  let kind: Kind = 'other';
  if (action === 'delete.end') kind = 'deleted';
  else if (action.endsWith('.error') || state?.endsWith('_FAILED')) kind = 'error';
  return {
    service: 'heat',
    eventType: n.eventType,
    kind,
    physicalId,
    projectId: text(body.tenant_id) ?? text(n.context.project_id),
    state,
    metadata: tagMap(body.tags),
    timestamp: isoFromOslo(n.timestamp),
  };
}

/** The ResourceEvent of a notification, or null when it is about something else. */
export function toResourceEvent(n: ReceivedNotification): ResourceEvent | null {
  if (n.eventType.startsWith('instance.') || n.eventType.startsWith('compute.instance.')) {
    return novaEvent(n);
  }
  if (n.eventType.startsWith('orchestration.stack.')) return heatEvent(n);
  return null;
}
