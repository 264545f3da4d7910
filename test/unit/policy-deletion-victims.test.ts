import { describe, expect, it } from 'vitest';
import type {
  ClusterView,
  MemberView,
  PolicyActionView,
  PolicyBindingView,
  PolicyContext,
  PolicyView,
} from '../../src/engine/contracts.js';
import {
  chooseVictims,
  deletionBehaviour,
  type PlacedCandidate,
  victimsByPlacement,
} from '../../src/policies/deletion-behaviour.js';

function node(
  id: string,
  created: string | null,
  over: Partial<PlacedCandidate> = {},
): PlacedCandidate {
  return {
    id,
    status: 'ACTIVE',
    tainted: false,
    createdAt: created === null ? null : new Date(created),
    profileId: 'prof-new',
    data: {},
    ...over,
  };
}

const nodes = [
  node('b', '2024-01-02T00:00:00Z'),
  node('a', '2024-01-01T00:00:00Z', { profileId: 'prof-old' }),
  node('c', '2024-01-03T00:00:00Z'),
];
const profiles = new Map<string, Date | null>([
  ['prof-old', new Date('2023-01-01T00:00:00Z')],
  ['prof-new', new Date('2023-06-01T00:00:00Z')],
]);
const choice = (criteria: string) => ({ criteria, profileCreatedAt: profiles });

describe('chooseVictims', () => {
  it('takes the oldest nodes with OLDEST_FIRST', () => {
    expect(chooseVictims(nodes, 2, choice('OLDEST_FIRST'))).toEqual(['a', 'b']);
  });

  it('takes the youngest nodes with YOUNGEST_FIRST', () => {
    expect(chooseVictims(nodes, 2, choice('YOUNGEST_FIRST'))).toEqual(['c', 'b']);
  });

  it('takes nodes of the oldest profile with OLDEST_PROFILE_FIRST', () => {
    expect(chooseVictims(nodes, 1, choice('OLDEST_PROFILE_FIRST'))).toEqual(['a']);
  });

  it('draws RANDOM nodes from its random source', () => {
    const random = { ...choice('RANDOM'), random: () => 0.99 };
    expect(chooseVictims(nodes, 1, random)).toEqual(['c']);
  });

  it('takes nodes in ERROR, tainted or never created before any other', () => {
    const mixed = [
      ...nodes,
      node('never', null),
      node('tainted', '2024-01-04T00:00:00Z', { tainted: true }),
      node('broken', '2024-01-05T00:00:00Z', { status: 'ERROR' }),
    ];
    expect(chooseVictims(mixed, 3, choice('YOUNGEST_FIRST'))).toEqual([
      'tainted',
      'broken',
      'never',
    ]);
  });
});

describe('victimsByPlacement', () => {
  const placed = [
    node('z1-old', '2024-01-01T00:00:00Z', { data: { placement: { zone: 'ZONE1' } } }),
    node('z1-new', '2024-01-02T00:00:00Z', { data: { placement: { zone: 'ZONE1' } } }),
    node('z2-old', '2024-01-01T00:00:00Z', { data: { placement: { zone: 'ZONE2' } } }),
    node('z2-new', '2024-01-02T00:00:00Z', {
      data: { placement: { zone: 'ZONE2', region_name: 'RegionTwo' } },
    }),
    node('bare', '2024-01-01T00:00:00Z'),
  ];

  it('picks the planned number of victims in each zone by the criterion', () => {
    expect(
      victimsByPlacement(placed, { ZONE2: 1, ZONE1: 2 }, 'zone', choice('YOUNGEST_FIRST')),
    ).toEqual(['z1-new', 'z1-old', 'z2-new']);
  });

  it('picks victims by region', () => {
    expect(
      victimsByPlacement(placed, { RegionTwo: 1 }, 'region_name', choice('OLDEST_FIRST')),
    ).toEqual(['z2-new']);
  });
});

function policy(properties: Record<string, unknown>): PolicyView {
  return {
    id: 'p1',
    name: 'deleter',
    type: 'senlin.policy.deletion-1.1',
    properties: {
      criteria: 'OLDEST_FIRST',
      destroy_after_deletion: true,
      grace_period: 0,
      reduce_desired_capacity: true,
      hooks: {},
      ...properties,
    },
  };
}

const binding = {} as PolicyBindingView;

function action(
  name: string,
  inputs: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
): PolicyActionView {
  return { id: 'a1', action: name, cause: 'RPC Request', target: 'n9', inputs, data };
}

function context(members: PlacedCandidate[]): PolicyContext {
  const cluster = { minSize: 0, maxSize: -1, desiredCapacity: members.length } as ClusterView;
  return {
    settings: { maxNodesPerCluster: 1000, healthCheckIntervalMin: 60, novaTimeout: 600 },
    cluster: async () => cluster,
    members: async () => members as unknown as MemberView[],
    profile: async (id: string) => ({ createdAt: profiles.get(id) ?? null }),
  } as unknown as PolicyContext;
}

describe('deletionBehaviour', () => {
  it('records the candidates a user names with the policy settings', async () => {
    const a = action('CLUSTER_DEL_NODES', { candidates: ['x', 'y'] });
    await deletionBehaviour.preOp?.(
      policy({ destroy_after_deletion: false, grace_period: 5 }),
      binding,
      a,
      context(nodes),
    );
    expect(a.data.deletion).toEqual({
      count: 2,
      candidates: ['x', 'y'],
      destroy_after_deletion: false,
      grace_period: 5,
      reduce_desired_capacity: true,
    });
  });

  it('records the node of a NODE_DELETE', async () => {
    const a = action('NODE_DELETE');
    await deletionBehaviour.preOp?.(
      policy({ reduce_desired_capacity: false }),
      binding,
      a,
      context(nodes),
    );
    expect(a.data.deletion).toMatchObject({
      count: 1,
      candidates: ['n9'],
      reduce_desired_capacity: false,
    });
  });

  it('passes its lifecycle hook on and chooses victims for a scale-in', async () => {
    const hooks = { type: 'zaqar', params: { queue: 'q', url: '' }, timeout: 10 };
    const a = action('CLUSTER_SCALE_IN', { count: 2 });
    await deletionBehaviour.preOp?.(policy({ hooks }), binding, a, context(nodes));
    expect(a.data.hooks).toEqual(hooks);
    expect(a.data.deletion).toMatchObject({ count: 2, candidates: ['a', 'b'] });
  });

  it('sets no lifecycle hook without one', async () => {
    const a = action('CLUSTER_SCALE_IN');
    await deletionBehaviour.preOp?.(policy({}), binding, a, context(nodes));
    expect(a.data.hooks).toBeUndefined();
    expect(a.data.deletion).toMatchObject({ count: 1, candidates: ['a'] });
  });

  it('takes the count of an earlier decision and never more nodes than there are', async () => {
    const a = action('CLUSTER_SCALE_IN', { count: 1 }, { deletion: { count: 9 } });
    await deletionBehaviour.preOp?.(policy({}), binding, a, context(nodes));
    expect(a.data.deletion).toMatchObject({ count: 3, candidates: ['a', 'b', 'c'] });
  });

  it('chooses victims for a shrinking resize and nothing for a growing one', async () => {
    const shrink = action('CLUSTER_RESIZE', { adjustment_type: 'CHANGE_IN_CAPACITY', number: -1 });
    await deletionBehaviour.preOp?.(policy({}), binding, shrink, context(nodes));
    expect(shrink.data.deletion).toMatchObject({ count: 1, candidates: ['a'] });
    const grow = action('CLUSTER_RESIZE', { adjustment_type: 'CHANGE_IN_CAPACITY', number: 1 });
    await deletionBehaviour.preOp?.(policy({}), binding, grow, context(nodes));
    expect(grow.data.deletion).toBeUndefined();
  });

  it('fails a resize whose parameters break the size limits', async () => {
    const a = action('CLUSTER_RESIZE', {
      adjustment_type: 'EXACT_CAPACITY',
      number: 0,
      min_size: 1,
      strict: true,
    });
    expect(await deletionBehaviour.preOp?.(policy({}), binding, a, context(nodes))).toEqual({
      ok: false,
      reason: 'The target capacity (0) is less than the specified min_size (1).',
    });
  });
});
