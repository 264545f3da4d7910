/**
 * What a health policy's resolved spec means for the rest of the system: the health
 * registration of a cluster (`health_registry`), the binding data, the attach-time checks and
 * the recovery a failed node gets. Pure functions over resolved properties.
 */
import { isPlainObject } from '../common/spec-schema/index.js';
import type { HealthRegistration } from '../engine/contracts.js';

/** One detection mode with every option spelled out, as the registration stores it. */
export interface DetectionModeEntry {
  readonly type: string;
  readonly poll_url: string;
  readonly poll_url_ssl_verify: boolean;
  readonly poll_url_conn_error_as_unhealthy: boolean;
  readonly poll_url_healthy_response: string;
  readonly poll_url_retry_limit: number;
  readonly poll_url_retry_interval: number;
}

/** A recovery action of the spec (`params` as given, null when absent). */
export interface RecoveryActionEntry {
  readonly name: string;
  readonly params: Readonly<Record<string, unknown>> | null;
}

/** The settings of a health policy, read from its resolved properties. */
export interface HealthSettings {
  readonly interval: number;
  readonly nodeUpdateTimeout: number;
  readonly recoveryConditional: string;
  readonly detectionModes: readonly DetectionModeEntry[];
  readonly actions: readonly RecoveryActionEntry[];
  readonly fencing: readonly string[];
  readonly nodeDeleteTimeout: number;
  readonly nodeForceRecreate: boolean;
}

const OPTION_DEFAULTS = {
  poll_url: '',
  poll_url_ssl_verify: true,
  poll_url_conn_error_as_unhealthy: true,
  poll_url_healthy_response: '',
  poll_url_retry_limit: 3,
  poll_url_retry_interval: 3,
} as const;

function mapOf(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function detectionMode(raw: Record<string, unknown>): DetectionModeEntry {
  const o = mapOf(raw.options);
  const text = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
  const flag = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
  return {
    type: String(raw.type ?? ''),
    poll_url: text(o.poll_url, OPTION_DEFAULTS.poll_url),
    poll_url_ssl_verify: flag(o.poll_url_ssl_verify, OPTION_DEFAULTS.poll_url_ssl_verify),
    poll_url_conn_error_as_unhealthy: flag(
      o.poll_url_conn_error_as_unhealthy,
      OPTION_DEFAULTS.poll_url_conn_error_as_unhealthy,
    ),
    poll_url_healthy_response: text(
      o.poll_url_healthy_response,
      OPTION_DEFAULTS.poll_url_healthy_response,
    ),
    poll_url_retry_limit: numberOr(o.poll_url_retry_limit, OPTION_DEFAULTS.poll_url_retry_limit),
    poll_url_retry_interval: numberOr(
      o.poll_url_retry_interval,
      OPTION_DEFAULTS.poll_url_retry_interval,
    ),
  };
}

/** Reads the settings of a health policy from its resolved properties (defaults filled in). */
export function readHealthSettings(properties: Readonly<Record<string, unknown>>): HealthSettings {
  const detection = mapOf(properties.detection);
  const recovery = mapOf(properties.recovery);
  return {
    interval: numberOr(detection.interval, 60),
    nodeUpdateTimeout: numberOr(detection.node_update_timeout, 300),
    recoveryConditional:
      typeof detection.recovery_conditional === 'string'
        ? detection.recovery_conditional
        : 'ANY_FAILED',
    detectionModes: listOf(detection.detection_modes).filter(isPlainObject).map(detectionMode),
    actions: listOf(recovery.actions)
      .filter(isPlainObject)
      .map((a) => ({
        name: String(a.name ?? ''),
        params: isPlainObject(a.params) ? a.params : null,
      })),
    fencing: listOf(recovery.fencing).map(String),
    nodeDeleteTimeout: numberOr(recovery.node_delete_timeout, 20),
    nodeForceRecreate: recovery.node_force_recreate === true,
  };
}

/** The detection types of the settings, comma-joined in spec order (`check_type`). */
export function checkTypeOf(settings: HealthSettings): string {
  return settings.detectionModes.map((m) => m.type).join(',');
}

/**
 * The registration of a cluster for health management. `params` carries what the health
 * manager needs to check and recover nodes; `fencing` is kept as well so that recoveries
 * started from the registration fence the way the policy says.
 */
export function registrationOf(settings: HealthSettings, enabled: boolean): HealthRegistration {
  return {
    checkType: checkTypeOf(settings),
    interval: settings.interval,
    params: {
      recover_action: settings.actions.map((a) => ({ name: a.name, params: a.params })),
      node_delete_timeout: settings.nodeDeleteTimeout,
      node_force_recreate: settings.nodeForceRecreate,
      recovery_conditional: settings.recoveryConditional,
      detection_modes: settings.detectionModes.map((m) => ({ ...m })),
      node_update_timeout: settings.nodeUpdateTimeout,
      fencing: [...settings.fencing],
    },
    enabled,
  };
}

/** The data a binding keeps (inside the policy's envelope). */
export function bindingDataOf(settings: HealthSettings): Record<string, unknown> {
  return {
    interval: settings.interval,
    node_update_timeout: settings.nodeUpdateTimeout,
    recovery_conditional: settings.recoveryConditional,
    node_delete_timeout: settings.nodeDeleteTimeout,
    node_force_recreate: settings.nodeForceRecreate,
    detection_modes: settings.detectionModes.map((m) => ({ ...m })),
  };
}

/** Recovery actions that need a Nova server. */
const NOVA_ONLY_ACTIONS = ['REBUILD', 'REBOOT'] as const;

/**
 * Why the policy cannot be attached to a cluster whose profile type (name without version) is
 * `profileTypeName`, or null. REBUILD and REBOOT exist only for Nova servers; a detection type
 * listed twice cannot be checked (one checker runs per type).
 */
export function attachProblem(settings: HealthSettings, profileTypeName: string): string | null {
  if (profileTypeName !== 'os.nova.server') {
    const names = settings.actions.map((a) => a.name.toUpperCase());
    for (const action of NOVA_ONLY_ACTIONS) {
      if (names.includes(action)) {
        return `Recovery action ${action} is only applicable to os.nova.server clusters.`;
      }
    }
  }
  const types = settings.detectionModes.map((m) => m.type);
  const repeated = types.find((t, i) => types.indexOf(t) !== i);
  if (repeated !== undefined) {
    return `Detection mode ${repeated} is listed more than once in the health policy; each detection type can be used once.`;
  }
  return null;
}

/**
 * The recovery the policy asks for, as NODE_RECOVER inputs: the (last) recovery action as
 * `operation` with its params, `fence_compute` when COMPUTE fencing is on, and the delete
 * timeout and force-recreate flag for RECREATE. Without recovery actions no `operation` is
 * set: the profile type's default recovery runs.
 */
export function recoveryInputs(
  settings: Pick<HealthSettings, 'actions' | 'fencing' | 'nodeDeleteTimeout' | 'nodeForceRecreate'>,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  const last = settings.actions.at(-1);
  if (last) inputs.operation = last.name;
  const params: Record<string, unknown> = { ...(last?.params ?? {}) };
  if (settings.fencing.includes('COMPUTE')) params.fence_compute = true;
  if (last || Object.keys(params).length > 0) inputs.operation_params = params;
  inputs.delete_timeout = settings.nodeDeleteTimeout;
  inputs.force_recreate = settings.nodeForceRecreate;
  return inputs;
}

/**
 * The recovery a health registration asks for (its `params`), as NODE_RECOVER inputs: what
 * {@link recoveryInputs} gives for the policy that registered it. Also reads registrations
 * written without `fencing`.
 */
export function registrationRecoveryInputs(
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return recoveryInputs({
    actions: listOf(params.recover_action)
      .filter(isPlainObject)
      .map((a) => ({
        name: String(a.name ?? ''),
        params: isPlainObject(a.params) ? a.params : null,
      })),
    fencing: listOf(params.fencing).map(String),
    nodeDeleteTimeout: numberOr(params.node_delete_timeout, 20),
    nodeForceRecreate: params.node_force_recreate === true,
  });
}

/**
 * Fills a recover request made without an `operation` with the policy's recovery; a request
 * that names its operation is left as it is. Returns whether anything was filled in.
 */
export function applyPolicyRecovery(
  inputs: Record<string, unknown>,
  settings: HealthSettings,
): boolean {
  if (inputs.operation !== undefined && inputs.operation !== null) return false;
  const wanted = recoveryInputs(settings);
  let changed = false;
  for (const [key, value] of Object.entries(wanted)) {
    if (inputs[key] === undefined || inputs[key] === null) {
      inputs[key] = value;
      changed = true;
    }
  }
  return changed;
}

/** What a growing resize records in `action.data.health` for the nodes it creates. */
export function actionHealthData(settings: HealthSettings): Record<string, unknown> {
  return {
    recover_action: settings.actions.map((a) => ({ name: a.name, params: a.params })),
    fencing: [...settings.fencing],
  };
}
