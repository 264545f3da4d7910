import { describe, expect, it } from 'vitest';
import {
  ESchema,
  InvalidSpec,
  ResourceNotFound,
  type SenlinError,
} from '../../src/common/errors.js';
import {
  type PolicyType,
  parsePolicySpec,
  policyTypes,
  readScalingAdjustment,
} from '../../src/policies/index.js';

function errorOf(fn: () => unknown): SenlinError {
  try {
    fn();
  } catch (err) {
    return err as SenlinError;
  }
  throw new Error('expected an error');
}

function typeOf(typeName: string): PolicyType {
  const found = policyTypes.get(typeName);
  if (!found) throw new Error(`${typeName} is not registered`);
  return found;
}

const scalingSpec = {
  type: 'senlin.policy.scaling',
  version: '1.0',
  properties: {
    event: 'CLUSTER_SCALE_IN',
    adjustment: {
      type: 'CHANGE_IN_CAPACITY',
      number: 1,
      min_step: 1,
      best_effort: true,
      cooldown: 0,
    },
  },
};

const scaling = (adjustment: Record<string, unknown>) => ({
  type: 'senlin.policy.scaling',
  version: '1.0',
  properties: { event: 'CLUSTER_SCALE_OUT', adjustment },
});

const deletionSpec = {
  type: 'senlin.policy.deletion',
  version: '1.1',
  properties: { criteria: 'OLDEST_FIRST' },
};

const lbSpec = {
  type: 'senlin.policy.loadbalance',
  version: '1.1',
  properties: {
    pool: {
      protocol: 'HTTP',
      protocol_port: 80,
      subnet: 'private-subnet',
      lb_method: 'ROUND_ROBIN',
      session_persistence: { type: 'SOURCE_IP', cookie_name: 'test-cookie' },
    },
    vip: { subnet: 'private-subnet', connection_limit: 100, protocol: 'HTTP', protocol_port: 80 },
    health_monitor: {
      type: 'HTTP',
      delay: '1',
      timeout: 1,
      max_retries: 5,
      admin_state_up: true,
      http_method: 'GET',
      url_path: '/index.html',
      expected_codes: '200,201,202',
    },
    lb_status_timeout: 300,
  },
};

const healthSpec = {
  version: '1.1',
  type: 'senlin.policy.health',
  description: 'A policy for maintaining node health from a cluster.',
  properties: {
    detection: {
      detection_modes: [
        { type: 'NODE_STATUS_POLLING' },
        {
          type: 'NODE_STATUS_POLL_URL',
          options: {
            poll_url_retry_limit: 3,
            poll_url: 'http://127.0.0.1:5050',
            poll_url_retry_interval: 2,
          },
        },
      ],
      node_update_timeout: 10,
      interval: 10,
    },
    recovery: {
      node_delete_timeout: 90,
      actions: [{ name: 'RECREATE' }],
      node_force_recreate: true,
    },
  },
};

const health = (detection: Record<string, unknown>, recovery: Record<string, unknown> = {}) => ({
  type: 'senlin.policy.health',
  version: '1.2',
  properties: { detection, recovery: { actions: [{ name: 'RECREATE' }], ...recovery } },
});

describe('the policy type registry', () => {
  it('lists the 14 built-in type-versions in name order', () => {
    const names = policyTypes.list().map((t) => t.typeName);
    expect(names).toHaveLength(14);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('senlin.policy.deletion-1.1');
  });

  it('gives all versions of a type the same schema and the full status map', () => {
    const v10 = typeOf('senlin.policy.loadbalance-1.0');
    const v13 = typeOf('senlin.policy.loadbalance-1.3');
    expect(v10.schema).toBe(v13.schema);
    expect(Object.keys(v10.supportStatus)).toEqual(['1.0', '1.1', '1.2', '1.3']);
    expect(v10.version).toBe('1.0');
  });

  it('records priorities, singletons and profile types of the built-ins', () => {
    const facts = Object.fromEntries(
      policyTypes
        .list()
        .filter((t) => t.version === '1.0')
        .map((t) => [t.name, [t.priority, t.singleton, t.profileTypes.join(',')]]),
    );
    expect(facts).toEqual({
      'senlin.policy.affinity': [300, true, 'os.nova.server-1.0'],
      'senlin.policy.batch': [200, true, 'ANY'],
      'senlin.policy.deletion': [400, true, 'ANY'],
      'senlin.policy.health': [600, true, 'os.nova.server,os.heat.stack'],
      'senlin.policy.loadbalance': [500, true, 'os.nova.server-1.0'],
      'senlin.policy.region_placement': [200, true, 'ANY'],
      'senlin.policy.scaling': [100, false, 'ANY'],
      'senlin.policy.zone_placement': [300, true, 'os.nova.server-1.0'],
    });
  });

  it('checks the scaling policy before and after both scaling actions', () => {
    expect(typeOf('senlin.policy.scaling-1.0').targets).toEqual([
      ['BEFORE', 'CLUSTER_SCALE_IN'],
      ['BEFORE', 'CLUSTER_SCALE_OUT'],
      ['AFTER', 'CLUSTER_SCALE_IN'],
      ['AFTER', 'CLUSTER_SCALE_OUT'],
    ]);
  });
});

describe('parsePolicySpec', () => {
  it('accepts the scaling spec of the API test suite', () => {
    const parsed = parsePolicySpec(scalingSpec);
    expect(parsed.type.typeName).toBe('senlin.policy.scaling-1.0');
    expect(parsed.properties.event).toBe('CLUSTER_SCALE_IN');
    expect(parsed.description).toBe('');
  });

  it('accepts the deletion spec of the test suite with defaults applied', () => {
    expect(parsePolicySpec(deletionSpec).properties).toEqual({
      criteria: 'OLDEST_FIRST',
      destroy_after_deletion: true,
      grace_period: 0,
      reduce_desired_capacity: true,
      hooks: {},
    });
  });

  it('accepts the deletion spec with a lifecycle hook', () => {
    const spec = {
      ...deletionSpec,
      properties: {
        hooks: { type: 'zaqar', timeout: 300, params: { queue: 'test_queue' } },
        criteria: 'OLDEST_FIRST',
      },
    };
    expect(parsePolicySpec(spec).properties.hooks).toEqual({
      type: 'zaqar',
      params: { queue: 'test_queue', url: '' },
      timeout: 300,
    });
  });

  it('accepts the load-balancing spec of the test suite and converts string integers', () => {
    const { properties } = parsePolicySpec(lbSpec);
    expect((properties.health_monitor as { delay: number }).delay).toBe(1);
  });

  it('accepts the health spec of the test suite with its configured minimum interval', () => {
    const parsed = parsePolicySpec(healthSpec, { healthCheckIntervalMin: 10 });
    expect(parsed.description).toBe('A policy for maintaining node health from a cluster.');
  });

  it('accepts the batch spec of the test suite', () => {
    const spec = {
      type: 'senlin.policy.batch',
      version: '1.0',
      properties: { min_in_service: 1, max_batch_size: 1, pause_time: 3 },
    };
    expect(parsePolicySpec(spec).properties.pause_time).toBe(3);
  });

  it('reports an unknown property as an unrecognizable spec item', () => {
    const spec = { ...scalingSpec, properties: { ...scalingSpec.properties, bogus: 'foo' } };
    const err = errorOf(() => parsePolicySpec(spec));
    expect(err).toBeInstanceOf(ESchema);
    expect(err.message).toBe("Unrecognizable spec item 'bogus'");
  });

  it('reports an unknown type as a missing policy type', () => {
    const err = errorOf(() =>
      parsePolicySpec({ type: 'senlin.policy.bogus', version: '1.0', properties: {} }),
    );
    expect(err).toBeInstanceOf(ResourceNotFound);
    expect(err.message).toBe("The policy_type 'senlin.policy.bogus-1.0' could not be found.");
  });

  it('reports a missing version key', () => {
    expect(errorOf(() => parsePolicySpec({ type: 'senlin.policy.scaling' })).message).toBe(
      "The 'version' key is missing from the provided spec map.",
    );
  });

  it('rejects a description that is not a string', () => {
    expect(errorOf(() => parsePolicySpec({ ...scalingSpec, description: null })).message).toBe(
      "The value 'None' is not a valid string.",
    );
  });

  it('reports the properties the type reads first before problems of the envelope', () => {
    const spec = { ...scaling({}), properties: { event: 'CLUSTER_RESIZE' }, extra: 1 };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      "'CLUSTER_RESIZE' must be one of the allowed values: CLUSTER_SCALE_IN, CLUSTER_SCALE_OUT",
    );
  });

  it('reports an unknown key of the envelope', () => {
    expect(errorOf(() => parsePolicySpec({ ...scalingSpec, extra: 1 })).message).toBe(
      "Unrecognizable spec item 'extra'",
    );
  });

  it('finds the type of a numeric version', () => {
    expect(parsePolicySpec({ ...deletionSpec, version: 1 }).type.typeName).toBe(
      'senlin.policy.deletion-1.0',
    );
  });
});

describe('the scaling checks', () => {
  it('require a positive number', () => {
    const err = errorOf(() => parsePolicySpec(scaling({ number: 0 })));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe("the 'number' for 'adjustment' must be > 0");
  });

  it('reject a negative minimum step', () => {
    expect(errorOf(() => parsePolicySpec(scaling({ min_step: -1 }))).message).toBe(
      "the 'min_step' for 'adjustment' must be >= 0",
    );
  });

  it('reject a negative cooldown', () => {
    expect(errorOf(() => parsePolicySpec(scaling({ cooldown: -5 }))).message).toBe(
      "the 'cooldown' for 'adjustment' must be >= 0",
    );
  });

  it('accept a fractional percentage', () => {
    const spec = scaling({ type: 'CHANGE_IN_PERCENTAGE', number: '12.5' });
    expect(readScalingAdjustment(parsePolicySpec(spec).properties).number).toBe(12.5);
  });

  it('fill in every adjustment default when the adjustment is left out', () => {
    const spec = {
      type: 'senlin.policy.scaling',
      version: '1.0',
      properties: { event: 'CLUSTER_SCALE_OUT' },
    };
    expect(readScalingAdjustment(parsePolicySpec(spec).properties)).toEqual({
      type: 'CHANGE_IN_CAPACITY',
      number: 1,
      min_step: 1,
      best_effort: false,
      cooldown: 0,
    });
  });
});

describe('the deletion checks', () => {
  it('reject a negative grace period', () => {
    const spec = { ...deletionSpec, properties: { grace_period: -1 } };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe("the 'grace_period' must be >= 0");
  });

  it('reject a negative hook timeout', () => {
    const spec = { ...deletionSpec, properties: { hooks: { timeout: -1 } } };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      "the 'timeout' for 'hooks' must be >= 0",
    );
  });

  it('reject an unknown hook type', () => {
    const spec = { ...deletionSpec, properties: { hooks: { type: 'smoke' } } };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      "'smoke' must be one of the allowed values: zaqar, webhook",
    );
  });
});

describe('the batch checks', () => {
  const batch = (properties: Record<string, unknown>) => ({
    type: 'senlin.policy.batch',
    version: '1.0',
    properties,
  });

  it('reject a batch size of zero', () => {
    expect(errorOf(() => parsePolicySpec(batch({ max_batch_size: 0 }))).message).toBe(
      "the 'max_batch_size' must be -1 (no limit) or > 0",
    );
  });

  it('reject a negative number of nodes in service', () => {
    expect(errorOf(() => parsePolicySpec(batch({ min_in_service: -1 }))).message).toBe(
      "the 'min_in_service' must be >= 0",
    );
  });

  it('reject a negative pause', () => {
    expect(errorOf(() => parsePolicySpec(batch({ pause_time: -1 }))).message).toBe(
      "the 'pause_time' must be >= 0",
    );
  });
});

describe('the load-balancing checks', () => {
  it('require a pool', () => {
    const spec = { ...lbSpec, properties: { vip: { subnet: 's' } } };
    const err = errorOf(() => parsePolicySpec(spec));
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe("Required spec item 'pool' not provided");
  });

  it('require the subnet of the pool', () => {
    const spec = { ...lbSpec, properties: { pool: {}, vip: { subnet: 's' } } };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      "Required spec item 'subnet' not provided",
    );
  });

  it('require a subnet or a network for the virtual IP', () => {
    const spec = { ...lbSpec, properties: { pool: { subnet: 's' }, vip: { address: '1.2.3.4' } } };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      'At least one of VIP Subnet or Network must be defined.',
    );
  });

  it('accept a network for the virtual IP', () => {
    const spec = { ...lbSpec, properties: { pool: { subnet: 's' }, vip: { network: 'public' } } };
    expect(parsePolicySpec(spec).properties.health_monitor).toBeNull();
  });
});

describe('the health checks', () => {
  it('reject an interval below the configured minimum', () => {
    const err = errorOf(() =>
      parsePolicySpec(health({ interval: 30, detection_modes: [{ type: 'NODE_STATUS_POLLING' }] })),
    );
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(
      'Specified interval of 30 seconds has to be larger than health_check_interval_min of 60 seconds set in configuration.',
    );
  });

  it('use the minimum interval given by the caller', () => {
    const spec = health({ interval: 30, detection_modes: [{ type: 'NODE_STATUS_POLLING' }] });
    expect(() => parsePolicySpec(spec, { healthCheckIntervalMin: 30 })).not.toThrow();
  });

  it('reject more than one recovery action', () => {
    const spec = health(
      { detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
      { actions: [{ name: 'REBOOT' }, { name: 'RECREATE' }] },
    );
    const err = errorOf(() => parsePolicySpec(spec));
    expect(err).toBeInstanceOf(ESchema);
    expect(err.message).toBe("Only one 'actions' is supported for now.");
  });

  it('reject lifecycle events combined with polling', () => {
    const spec = health({
      detection_modes: [{ type: 'NODE_STATUS_POLLING' }, { type: 'LIFECYCLE_EVENTS' }],
    });
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      'Invalid detection modes in health policy: NODE_STATUS_POLLING, LIFECYCLE_EVENTS',
    );
  });

  it('accept lifecycle events alone', () => {
    const spec = health({ detection_modes: [{ type: 'LIFECYCLE_EVENTS' }] });
    expect(() => parsePolicySpec(spec)).not.toThrow();
  });

  it('reject duplicate detection modes', () => {
    const spec = health({
      detection_modes: [{ type: 'NODE_STATUS_POLLING' }, { type: 'NODE_STATUS_POLLING' }],
    });
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      'Duplicate detection modes are not allowed in health policy: NODE_STATUS_POLLING, NODE_STATUS_POLLING',
    );
  });

  it('count a mode with default options as a duplicate of one without options', () => {
    const spec = health({
      detection_modes: [
        { type: 'NODE_STATUS_POLL_URL' },
        { type: 'NODE_STATUS_POLL_URL', options: { poll_url_retry_limit: 3 } },
      ],
    });
    expect(errorOf(() => parsePolicySpec(spec)).message).toMatch(/^Duplicate detection modes/);
  });

  it('accept the same mode type with different options', () => {
    const spec = health({
      detection_modes: [
        { type: 'NODE_STATUS_POLL_URL', options: { poll_url: 'http://a' } },
        { type: 'NODE_STATUS_POLL_URL', options: { poll_url: 'http://b' } },
      ],
    });
    expect(() => parsePolicySpec(spec)).not.toThrow();
  });

  it('require at least one detection mode', () => {
    expect(errorOf(() => parsePolicySpec(health({ interval: 60 }))).message).toBe(
      "At least one detection mode must be given in 'detection_modes'.",
    );
  });

  it('require the detection and recovery maps', () => {
    const spec = { type: 'senlin.policy.health', version: '1.0', properties: {} };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      "Required spec item 'detection' not provided",
    );
  });

  it('reject the detection type key of the first health policy version', () => {
    const spec = health({ type: 'NODE_STATUS_POLLING' });
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe("Unrecognizable spec item 'type'");
  });
});

describe('the placement checks', () => {
  const region = (regions: unknown) => ({
    type: 'senlin.policy.region_placement',
    version: '1.0',
    properties: { regions },
  });
  const zone = (zones: unknown) => ({
    type: 'senlin.policy.zone_placement',
    version: '1.0',
    properties: { zones },
  });

  it('accept weighted regions with caps and fill in defaults', () => {
    const { properties } = parsePolicySpec(
      region([
        { name: 'R1', cap: 5 },
        { name: 'R2', weight: 50 },
      ]),
    );
    expect(properties.regions).toEqual([
      { name: 'R1', weight: 100, cap: 5 },
      { name: 'R2', weight: 50, cap: -1 },
    ]);
  });

  it('require at least one region', () => {
    expect(errorOf(() => parsePolicySpec(region([]))).message).toBe(
      "The 'regions' property must have at least one item.",
    );
  });

  it('require a name for every zone', () => {
    expect(errorOf(() => parsePolicySpec(zone([{ weight: 10 }]))).message).toBe(
      "Every item of 'zones' must have a 'name'.",
    );
  });

  it('reject a region named twice', () => {
    expect(errorOf(() => parsePolicySpec(region([{ name: 'R' }, { name: 'R' }]))).message).toBe(
      "The name 'R' appears more than once in 'regions'.",
    );
  });

  it('reject a negative weight', () => {
    expect(errorOf(() => parsePolicySpec(zone([{ name: 'az1', weight: -1 }]))).message).toBe(
      "The 'weight' of 'az1' in 'zones' must be >= 0.",
    );
  });

  it('reject weights that are all zero', () => {
    expect(errorOf(() => parsePolicySpec(zone([{ name: 'az1', weight: 0 }]))).message).toBe(
      "At least one item of 'zones' must have a 'weight' > 0.",
    );
  });

  it('reject a cap below -1', () => {
    expect(errorOf(() => parsePolicySpec(region([{ name: 'R', cap: -2 }]))).message).toBe(
      "The 'cap' of 'R' in 'regions' must be >= -1.",
    );
  });
});

describe('the affinity policy', () => {
  it('defaults to anti-affinity', () => {
    const spec = {
      type: 'senlin.policy.affinity',
      version: '1.0',
      properties: { servergroup: { name: 'web' } },
    };
    expect(parsePolicySpec(spec).properties.servergroup).toEqual({
      name: 'web',
      policies: 'anti-affinity',
    });
  });

  it('rejects an unknown server group policy', () => {
    const spec = {
      type: 'senlin.policy.affinity',
      version: '1.0',
      properties: { servergroup: { policies: 'together' } },
    };
    expect(errorOf(() => parsePolicySpec(spec)).message).toBe(
      "'together' must be one of the allowed values: affinity, soft-affinity, anti-affinity, soft-anti-affinity",
    );
  });
});
