/**
 * The load-balancing policy (`senlin.policy.loadbalance`): keeps an Octavia pool in step with
 * the nodes of a cluster.
 */
import { InvalidSpec } from '../common/errors.js';
import {
  allowedValues,
  booleanProp,
  integerProp,
  isPlainObject,
  isTruthy,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../common/spec-schema/index.js';
import { type PolicyType, policyTypeVersions } from './types.js';

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP'];

const pool = mapProp({
  description: 'The pool the nodes are members of.',
  schema: {
    protocol: stringProp({
      description: 'Protocol the pool balances.',
      default: 'HTTP',
      constraints: [allowedValues(PROTOCOLS)],
    }),
    protocol_port: integerProp({
      description: 'Port the nodes serve on.',
      default: 80,
    }),
    subnet: stringProp({
      description: 'Name or ID of the subnet the nodes are reached on.',
      required: true,
    }),
    lb_method: stringProp({
      description: 'Algorithm that spreads requests over the members.',
      default: 'ROUND_ROBIN',
      constraints: [allowedValues(['ROUND_ROBIN', 'LEAST_CONNECTIONS', 'SOURCE_IP'])],
    }),
    admin_state_up: booleanProp({
      description: 'Whether the pool is administratively up.',
      default: true,
    }),
    session_persistence: mapProp({
      description: 'How requests of one client stick to one member.',
      default: {},
      schema: {
        type: stringProp({
          description: 'Kind of session persistence.',
          constraints: [allowedValues(['SOURCE_IP', 'HTTP_COOKIE', 'APP_COOKIE', 'NONE'])],
        }),
        cookie_name: stringProp({
          description: 'Name of the cookie, for APP_COOKIE persistence.',
        }),
      },
    }),
    id: stringProp({
      description: 'ID of an existing pool to use (with an existing load balancer).',
    }),
  },
});

const vip = mapProp({
  description: 'The virtual IP address clients connect to.',
  schema: {
    subnet: stringProp({
      description: 'Name or ID of the subnet to take the virtual IP from.',
    }),
    network: stringProp({
      description: 'Name or ID of the network to take the virtual IP from.',
    }),
    address: stringProp({ description: 'The virtual IP address to request.' }),
    connection_limit: integerProp({
      description: 'Most connections the listener accepts; -1 sets no limit.',
      default: -1,
    }),
    protocol: stringProp({
      description: 'Protocol the listener accepts.',
      default: 'HTTP',
      constraints: [allowedValues(PROTOCOLS)],
    }),
    protocol_port: integerProp({
      description: 'Port the listener accepts connections on.',
      default: 80,
    }),
    admin_state_up: booleanProp({
      description: 'Whether the listener is administratively up.',
      default: true,
    }),
  },
});

const healthMonitor = mapProp({
  description: 'A health monitor that checks the pool members.',
  schema: {
    type: stringProp({
      description: 'Kind of probe sent to the members.',
      default: 'PING',
      constraints: [allowedValues(['PING', 'TCP', 'HTTP', 'HTTPS'])],
    }),
    delay: integerProp({
      description: 'Seconds between two probes of a member.',
      default: 10,
    }),
    timeout: integerProp({
      description: 'Seconds a probe may take before it counts as failed.',
      default: 5,
    }),
    max_retries: integerProp({
      description: 'Failed probes in a row after which a member counts as down.',
      default: 3,
    }),
    admin_state_up: booleanProp({
      description: 'Whether the health monitor is administratively up.',
      default: true,
    }),
    http_method: stringProp({
      description: 'HTTP method of the probe requests.',
      constraints: [allowedValues(['GET', 'POST', 'PUT', 'DELETE'])],
    }),
    url_path: stringProp({ description: 'Path requested by HTTP(S) probes.' }),
    expected_codes: stringProp({
      description: 'HTTP status codes of a healthy answer (e.g. "200" or "200-204").',
    }),
    id: stringProp({ description: 'ID of an existing health monitor to use.' }),
  },
});

/** Properties of a `senlin.policy.loadbalance` spec. */
export const loadBalanceSchema: PropertyMap = {
  pool,
  vip,
  health_monitor: healthMonitor,
  lb_status_timeout: integerProp({
    description: 'Seconds to wait for the load balancer to become ready after a change.',
    default: 300,
  }),
  loadbalancer: stringProp({
    description: 'Name or ID of an existing load balancer to use instead of creating one.',
  }),
  availability_zone: stringProp({
    description: 'Octavia availability zone to create the load balancer in.',
  }),
  flavor_id: stringProp({
    description: 'ID of the Octavia flavor of the load balancer to create.',
  }),
};

/**
 * Checks what the policy cannot work without: a `pool` (with its subnet, checked by the
 * schema) and a `vip` naming a subnet or a network.
 */
export function validateLoadBalanceSpec(properties: ResolvedProperties): void {
  if (!isPlainObject(properties.pool)) {
    throw new InvalidSpec("Required spec item 'pool' not provided");
  }
  const v = isPlainObject(properties.vip) ? properties.vip : {};
  if (!isTruthy(v.subnet) && !isTruthy(v.network)) {
    throw new InvalidSpec('At least one of VIP Subnet or Network must be defined.');
  }
}

/** `senlin.policy.loadbalance-1.0` to `-1.3` (1.3's schema is accepted by all versions). */
export const loadBalancePolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.loadbalance',
  versions: ['1.0', '1.1', '1.2', '1.3'],
  supportStatus: {
    '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.04' }],
    '1.1': [{ status: SupportStatus.SUPPORTED, since: '2018.01' }],
    '1.2': [{ status: SupportStatus.SUPPORTED, since: '2020.02' }],
    '1.3': [{ status: SupportStatus.SUPPORTED, since: '2020.03' }],
  },
  schema: loadBalanceSchema,
  priority: 500,
  singleton: true,
  profileTypes: ['os.nova.server-1.0'],
  targets: [
    ['AFTER', 'CLUSTER_ADD_NODES'],
    ['AFTER', 'CLUSTER_SCALE_OUT'],
    ['AFTER', 'CLUSTER_RESIZE'],
    ['AFTER', 'NODE_RECOVER'],
    ['AFTER', 'NODE_CREATE'],
    ['AFTER', 'CLUSTER_REPLACE_NODES'],
    ['BEFORE', 'CLUSTER_DEL_NODES'],
    ['BEFORE', 'CLUSTER_SCALE_IN'],
    ['BEFORE', 'CLUSTER_RESIZE'],
    ['BEFORE', 'NODE_DELETE'],
    ['BEFORE', 'CLUSTER_REPLACE_NODES'],
  ],
  dataEnvelope: { key: 'LoadBalancingPolicy', version: '1.3' },
  resolveFirst: [
    'pool',
    'vip',
    'health_monitor',
    'availability_zone',
    'flavor_id',
    'lb_status_timeout',
    'loadbalancer',
  ],
  validateSpec: validateLoadBalanceSpec,
});
