/**
 * What a health registration asks the health manager to do, read from its row: the detection
 * modes and their options, how their verdicts combine, how often to poll (clamped to the
 * configured bounds), the grace period of updated nodes and the recovery to request.
 */
import { isPlainObject } from '../common/spec-schema/index.js';
import { registrationRecoveryInputs } from '../policies/index.js';
import type { RegistrationRecord } from './registry-store.js';

/** Detection types that poll the nodes. */
export const POLLING_TYPES: readonly string[] = [
  'NODE_STATUS_POLLING',
  'NODE_STATUS_POLL_URL',
  'HYPERVISOR_STATUS_POLLING',
];

/** The detection type fed by notifications. */
export const LIFECYCLE_EVENTS = 'LIFECYCLE_EVENTS';

/** One detection mode with its options. */
export interface DetectionMode {
  readonly type: string;
  readonly pollUrl: string;
  readonly sslVerify: boolean;
  readonly connErrorAsUnhealthy: boolean;
  readonly healthyResponse: string;
  readonly retryLimit: number;
  readonly retryInterval: number;
}

/** What the manager does for one registered cluster. */
export interface CheckPlan {
  /** Polling modes, in the policy's order. */
  readonly polling: readonly DetectionMode[];
  /** Whether notifications about the cluster's nodes trigger recovery. */
  readonly events: boolean;
  /** Detection types the manager does not know (ignored). */
  readonly unknown: readonly string[];
  /** Seconds between two polls, within the configured bounds. */
  readonly interval: number;
  /** Seconds after an update during which a failing node still counts as healthy. */
  readonly nodeUpdateTimeout: number;
  /** ALL_FAILED: a node is unhealthy only when every mode says so; ANY_FAILED: when one does. */
  readonly allFailed: boolean;
  /** NODE_RECOVER inputs (operation, its params with fencing, delete timeout, force). */
  readonly recovery: Readonly<Record<string, unknown>>;
}

/** Configured bounds of the polling interval. */
export interface IntervalBounds {
  /** `[DEFAULT] health_check_interval_min`. */
  readonly min: number;
  /** `[DEFAULT] check_interval_max`. */
  readonly max: number;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function modeOf(raw: Readonly<Record<string, unknown>>): DetectionMode {
  const text = (v: unknown, d: string) => (typeof v === 'string' ? v : d);
  const flag = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  return {
    type: String(raw.type ?? '').toUpperCase(),
    pollUrl: text(raw.poll_url, ''),
    sslVerify: flag(raw.poll_url_ssl_verify, true),
    connErrorAsUnhealthy: flag(raw.poll_url_conn_error_as_unhealthy, true),
    healthyResponse: text(raw.poll_url_healthy_response, ''),
    retryLimit: Math.max(1, Math.floor(numberOr(raw.poll_url_retry_limit, 3))),
    retryInterval: Math.max(0, numberOr(raw.poll_url_retry_interval, 3)),
  };
}

/** The detection modes of a registration: its params, else the types of `check_type`. */
export function detectionModes(registration: RegistrationRecord): DetectionMode[] {
  const listed = registration.params.detection_modes;
  if (Array.isArray(listed) && listed.some(isPlainObject)) {
    return listed.filter(isPlainObject).map(modeOf);
  }
  return registration.checkType
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((type) => modeOf({ type }));
}

/** The policy's default interval, used for a registration without a usable one. */
const DEFAULT_INTERVAL = 60;

/** Clamps a polling interval to the configured bounds (at least one second). */
export function clampInterval(interval: number, bounds: IntervalBounds): number {
  const max = Math.max(1, bounds.max);
  const min = Math.min(Math.max(1, bounds.min), max);
  const given = Number.isFinite(interval) && interval > 0 ? interval : DEFAULT_INTERVAL;
  return Math.min(Math.max(given, min), max);
}

/** The check plan of a registration. */
export function readCheckPlan(registration: RegistrationRecord, bounds: IntervalBounds): CheckPlan {
  const modes = detectionModes(registration);
  const params = registration.params;
  return {
    polling: modes.filter((m) => POLLING_TYPES.includes(m.type)),
    events: modes.some((m) => m.type === LIFECYCLE_EVENTS),
    unknown: modes
      .map((m) => m.type)
      .filter((t) => t !== LIFECYCLE_EVENTS && !POLLING_TYPES.includes(t)),
    interval: clampInterval(registration.interval, bounds),
    nodeUpdateTimeout: Math.max(0, numberOr(params.node_update_timeout, 300)),
    allFailed: String(params.recovery_conditional ?? 'ANY_FAILED').toUpperCase() === 'ALL_FAILED',
    recovery: registrationRecoveryInputs(params),
  };
}

/**
 * The plan of a catch-up run after the notification bus reconnected: events may have been
 * missed, so the nodes are polled once with the profile's status check (unless the plan
 * polls that way already).
 */
export function catchUpPlan(plan: CheckPlan): CheckPlan {
  if (plan.polling.some((m) => m.type === 'NODE_STATUS_POLLING')) return plan;
  return { ...plan, polling: [...plan.polling, modeOf({ type: 'NODE_STATUS_POLLING' })] };
}
