/** The health policy (`senlin.policy.health`): detects failed nodes and recovers them. */
import { ESchema, InvalidSpec } from '../common/errors.js';
import {
  allowedValues,
  booleanProp,
  integerProp,
  isPlainObject,
  listProp,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../common/spec-schema/index.js';
import { type PolicyType, type PolicyValidationContext, policyTypeVersions } from './types.js';

/** Detection modes that poll (may be combined with each other). */
export const POLLING_DETECTION_TYPES: readonly string[] = Object.freeze([
  'NODE_STATUS_POLLING',
  'NODE_STATUS_POLL_URL',
  'HYPERVISOR_STATUS_POLLING',
]);

const detectionOptions = mapProp({
  default: {},
  schema: {
    poll_url: stringProp({
      description:
        'URL polled for each node (NODE_STATUS_POLL_URL); {nodename} is replaced by the node name.',
      default: '',
    }),
    poll_url_ssl_verify: booleanProp({
      description: 'Whether the TLS certificate of the poll URL is verified.',
      default: true,
    }),
    poll_url_conn_error_as_unhealthy: booleanProp({
      description: 'Whether failing to connect to the poll URL counts as an unhealthy node.',
      default: true,
    }),
    poll_url_healthy_response: stringProp({
      description: 'Pattern the poll URL answer must contain for the node to count as healthy.',
      default: '',
    }),
    poll_url_retry_limit: integerProp({
      description: 'Attempts at the poll URL before the node counts as unhealthy.',
      default: 3,
    }),
    poll_url_retry_interval: integerProp({
      description: 'Seconds between two attempts at the poll URL.',
      default: 3,
    }),
  },
});

/** Properties of a `senlin.policy.health` spec. */
export const healthSchema: PropertyMap = {
  detection: mapProp({
    description: 'How failed nodes are detected.',
    required: true,
    schema: {
      interval: integerProp({
        description: 'Seconds between two polls of the nodes (polling detection modes).',
        default: 60,
      }),
      node_update_timeout: integerProp({
        description:
          'Seconds after a node was created, updated or recovered before its health is checked.',
        default: 300,
      }),
      recovery_conditional: stringProp({
        description:
          'With several detection modes: recover when all of them (ALL_FAILED) or any of them (ANY_FAILED) report a failure.',
        default: 'ANY_FAILED',
        constraints: [allowedValues(['ALL_FAILED', 'ANY_FAILED'])],
      }),
      detection_modes: listProp(
        mapProp({
          description: 'One way of detecting node failures.',
          schema: {
            type: stringProp({
              description: 'The detection mode.',
              required: true,
              constraints: [
                allowedValues([
                  'LIFECYCLE_EVENTS',
                  'NODE_STATUS_POLLING',
                  'NODE_STATUS_POLL_URL',
                  'HYPERVISOR_STATUS_POLLING',
                ]),
              ],
            }),
            options: detectionOptions,
          },
        }),
        {
          description:
            'The detection modes used: any polling modes together, or LIFECYCLE_EVENTS alone.',
        },
      ),
    },
  }),
  recovery: mapProp({
    description: 'How failed nodes are recovered.',
    required: true,
    schema: {
      actions: listProp(
        mapProp({
          description: 'A recovery action.',
          schema: {
            name: stringProp({
              description: 'The recovery action to run on a failed node.',
              required: true,
              constraints: [allowedValues(['REBOOT', 'REBUILD', 'RECREATE'])],
            }),
            params: mapProp({ description: 'Parameters of the recovery action.' }),
          },
        }),
        { description: 'Recovery actions to run on a failed node (one at most for now).' },
      ),
      fencing: listProp(
        stringProp({
          description: 'A service to fence a failed node from.',
          required: true,
          constraints: [allowedValues(['COMPUTE'])],
        }),
        { description: 'Services a failed node is fenced from before it is recovered.' },
      ),
      node_delete_timeout: integerProp({
        description: 'Seconds to wait for a node to be deleted when recreating it.',
        default: 20,
      }),
      node_force_recreate: booleanProp({
        description: 'Whether to recreate a node even when deleting it failed.',
        default: false,
      }),
    },
  }),
};

const OPTION_DEFAULTS: Readonly<Record<string, unknown>> = {
  poll_url: '',
  poll_url_ssl_verify: true,
  poll_url_conn_error_as_unhealthy: true,
  poll_url_healthy_response: '',
  poll_url_retry_limit: 3,
  poll_url_retry_interval: 3,
};

/** A detection mode with every option filled in (defaults where the spec gives none). */
function modeKey(mode: Readonly<Record<string, unknown>>): string {
  const options = isPlainObject(mode.options) ? mode.options : {};
  const values = Object.entries(OPTION_DEFAULTS).map(([k, d]) => options[k] ?? d);
  return JSON.stringify([mode.type, ...values]);
}

/**
 * Checks a health spec: at least one detection mode, at most one recovery action (`ESchema`),
 * an interval not below `health_check_interval_min`, detection modes that are all polling or a
 * single LIFECYCLE_EVENTS, and no duplicate modes (same type and options).
 */
export function validateHealthSpec(
  properties: ResolvedProperties,
  ctx: PolicyValidationContext,
): void {
  const detection = isPlainObject(properties.detection) ? properties.detection : {};
  const recovery = isPlainObject(properties.recovery) ? properties.recovery : {};
  const modes = (Array.isArray(detection.detection_modes) ? detection.detection_modes : []).filter(
    isPlainObject,
  );
  if (modes.length === 0) {
    throw new InvalidSpec("At least one detection mode must be given in 'detection_modes'.");
  }
  const actions = Array.isArray(recovery.actions) ? recovery.actions : [];
  if (actions.length > 1) throw new ESchema("Only one 'actions' is supported for now.");

  const interval = typeof detection.interval === 'number' ? detection.interval : 60;
  if (interval < ctx.healthCheckIntervalMin) {
    throw new InvalidSpec(
      `Specified interval of ${interval} seconds has to be larger than health_check_interval_min of ${ctx.healthCheckIntervalMin} seconds set in configuration.`,
    );
  }

  const types = modes.map((m) => String(m.type));
  const allPolling = types.every((t) => POLLING_DETECTION_TYPES.includes(t));
  const singleLifecycle = types.length === 1 && types[0] === 'LIFECYCLE_EVENTS';
  if (!allPolling && !singleLifecycle) {
    throw new InvalidSpec(`Invalid detection modes in health policy: ${types.join(', ')}`);
  }
  if (new Set(modes.map(modeKey)).size !== modes.length) {
    throw new InvalidSpec(
      `Duplicate detection modes are not allowed in health policy: ${types.join(', ')}`,
    );
  }
}

/** `senlin.policy.health-1.0` to `-1.2` (all use the detection-modes schema). */
export const healthPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.health',
  versions: ['1.0', '1.1', '1.2'],
  supportStatus: {
    '1.0': [
      { status: SupportStatus.EXPERIMENTAL, since: '2017.02' },
      { status: SupportStatus.SUPPORTED, since: '2018.06' },
    ],
    '1.1': [{ status: SupportStatus.SUPPORTED, since: '2018.09' }],
    '1.2': [{ status: SupportStatus.SUPPORTED, since: '2020.09' }],
  },
  schema: healthSchema,
  priority: 600,
  singleton: true,
  profileTypes: ['os.nova.server', 'os.heat.stack'],
  targets: [
    ['BEFORE', 'CLUSTER_RECOVER'],
    ['BEFORE', 'CLUSTER_DEL_NODES'],
    ['BEFORE', 'CLUSTER_SCALE_IN'],
    ['BEFORE', 'CLUSTER_RESIZE'],
    ['BEFORE', 'CLUSTER_UPDATE'],
    ['BEFORE', 'CLUSTER_REPLACE_NODES'],
    ['BEFORE', 'NODE_DELETE'],
    ['AFTER', 'CLUSTER_DEL_NODES'],
    ['AFTER', 'CLUSTER_SCALE_IN'],
    ['AFTER', 'CLUSTER_RESIZE'],
    ['AFTER', 'CLUSTER_UPDATE'],
    ['AFTER', 'CLUSTER_RECOVER'],
    ['AFTER', 'CLUSTER_REPLACE_NODES'],
    ['AFTER', 'NODE_DELETE'],
  ],
  dataEnvelope: { key: 'HealthPolicy', version: '1.2' },
  resolveFirst: ['detection', 'recovery'],
  validateSpec: validateHealthSpec,
});
