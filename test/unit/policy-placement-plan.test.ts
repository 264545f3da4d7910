import { describe, expect, it } from 'vitest';
import { InvalidSpec } from '../../src/common/errors.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import type {
  ClusterView,
  MemberView,
  PolicyActionView,
  PolicyContext,
} from '../../src/engine/contracts.js';
import {
  createPlacementPlan,
  type PlacementTarget,
  readTargets,
  spreadPlan,
} from '../../src/policies/placement-behaviour.js';
import { mergePlacements } from '../../src/policies/policy-data.js';
import { regionPlacementBehaviour } from '../../src/policies/region-placement-behaviour.js';
import { zonePlacementBehaviour } from '../../src/policies/zone-placement-behaviour.js';

const t = (name: string, weight = 100, cap = -1): PlacementTarget => ({ name, weight, cap });

describe('createPlacementPlan', () => {
  it('spreads new nodes evenly over targets of equal weight', () => {
    expect(createPlacementPlan({ A: 0, B: 0 }, [t('A'), t('B')], 4, true)).toEqual({ A: 2, B: 2 });
  });

  it('gives the heavier target its larger share first', () => {
    expect(createPlacementPlan({ A: 0, B: 0 }, [t('A', 100), t('B', 200)], 3, true)).toEqual({
      B: 2,
      A: 1,
    });
  });

  it('rounds a share up when expanding, so the first target takes an odd node', () => {
    expect(createPlacementPlan({ A: 0, B: 0 }, [t('A'), t('B')], 1, true)).toEqual({ A: 1 });
  });

  it('fills the targets that are below their share', () => {
    expect(createPlacementPlan({ A: 3, B: 1 }, [t('A'), t('B')], 2, true)).toEqual({ B: 2 });
  });

  it('respects caps and puts what is left on targets with room', () => {
    expect(createPlacementPlan({ A: 0, B: 0 }, [t('A', 100, 1), t('B', 50)], 4, true)).toEqual({
      A: 1,
      B: 3,
    });
  });

  it('finds no plan when the caps cannot hold the nodes', () => {
    expect(createPlacementPlan({ A: 1, B: 0 }, [t('A', 100, 1), t('B', 100, 1)], 2, true)).toBe(
      null,
    );
  });

  it('removes nodes from the targets above their share, lightest first', () => {
    expect(createPlacementPlan({ A: 1, B: 3 }, [t('A'), t('B')], 2, false)).toEqual({ B: 2 });
    expect(createPlacementPlan({ A: 2, B: 2 }, [t('A', 300), t('B', 100)], 2, false)).toEqual({
      B: 2,
    });
  });

  it('rounds a share down when shrinking', () => {
    expect(createPlacementPlan({ A: 2, B: 2 }, [t('A'), t('B')], 1, false)).toEqual({ A: 1 });
  });

  it('never removes more nodes from a target than it has', () => {
    expect(createPlacementPlan({ A: 0, B: 0 }, [t('A'), t('B')], 1, false)).toBe(null);
    expect(createPlacementPlan({ A: 1, B: 0 }, [t('A'), t('B')], 1, false)).toEqual({ A: 1 });
  });

  it('finds no plan when the targets weigh nothing', () => {
    expect(createPlacementPlan({ A: 0 }, [t('A', 0)], 1, true)).toBe(null);
  });
});

describe('spreadPlan and readTargets', () => {
  it('names one target per node in plan order', () => {
    expect(spreadPlan({ B: 2, A: 1 })).toEqual(['B', 'B', 'A']);
  });

  it('reads targets with their defaults', () => {
    expect(readTargets([{ name: 'A' }, { name: 'B', weight: 5, cap: 2 }])).toEqual([
      t('A'),
      t('B', 5, 2),
    ]);
  });
});

describe('mergePlacements', () => {
  it('adds entries node by node to what another policy chose', () => {
    const data: Record<string, unknown> = {
      placement: { count: 2, placements: [{ servergroup: 'g' }, { servergroup: 'g' }] },
    };
    mergePlacements(data, [{ zone: 'ZONE1' }, { zone: 'ZONE2' }]);
    expect(data.placement).toEqual({
      count: 2,
      placements: [
        { servergroup: 'g', zone: 'ZONE1' },
        { servergroup: 'g', zone: 'ZONE2' },
      ],
    });
  });

  it('keeps a key an earlier policy chose for a node', () => {
    const data: Record<string, unknown> = { placement: { count: 1, placements: [{ zone: 'A' }] } };
    mergePlacements(data, [{ zone: 'B', region_name: 'R' }]);
    expect(data.placement).toEqual({ count: 1, placements: [{ zone: 'A', region_name: 'R' }] });
  });

  it('replaces a key an earlier policy chose when told to', () => {
    const data: Record<string, unknown> = {
      placement: { count: 2, placements: [{ zone: 'nova' }, { zone: 'nova:host1' }] },
    };
    mergePlacements(data, [{ zone: 'ZONE1' }, { zone: 'ZONE2' }], (key, earlier) => {
      return key === 'zone' && !String(earlier).includes(':');
    });
    expect(data.placement).toEqual({
      count: 2,
      placements: [{ zone: 'ZONE1' }, { zone: 'nova:host1' }],
    });
  });

  it('starts the placement when there is none', () => {
    const data: Record<string, unknown> = {};
    mergePlacements(data, [{ region_name: 'RegionTwo' }]);
    expect(data.placement).toEqual({ count: 1, placements: [{ region_name: 'RegionTwo' }] });
  });
});

const cloud = createFakeCloud();
const drivers = cloud.drivers({ userId: 'u', projectId: 'p' });

describe('validateWithCloud', () => {
  it('accepts regions Keystone knows and names the others', async () => {
    await expect(
      regionPlacementBehaviour.validateWithCloud?.(
        { regions: [{ name: 'RegionOne' }, { name: 'RegionTwo' }] },
        drivers,
      ),
    ).resolves.toBeUndefined();
    const bad = regionPlacementBehaviour.validateWithCloud?.(
      { regions: [{ name: 'RegionX' }, { name: 'RegionOne' }, { name: 'RegionA' }] },
      drivers,
    );
    await expect(bad).rejects.toBeInstanceOf(InvalidSpec);
    await expect(bad).rejects.toThrow(
      "The specified regions '['RegionA', 'RegionX']' could not be found.",
    );
  });

  it('accepts available zones and names the others', async () => {
    await expect(
      zonePlacementBehaviour.validateWithCloud?.({ zones: [{ name: 'ZONE1' }] }, drivers),
    ).resolves.toBeUndefined();
    await expect(
      zonePlacementBehaviour.validateWithCloud?.(
        { zones: [{ name: 'ZONE1' }, { name: 'ZONE9' }] },
        drivers,
      ),
    ).rejects.toThrow("The specified name '['ZONE9']' could not be found.");
  });
});

function member(id: string, placement: Record<string, unknown> | null): MemberView {
  return {
    id,
    physicalId: null,
    profileId: 'prof',
    data: placement ? { placement } : {},
  } as unknown as MemberView;
}

function context(members: MemberView[], profile: Record<string, unknown> = {}): PolicyContext {
  const cluster = { minSize: 0, maxSize: -1, desiredCapacity: members.length } as ClusterView;
  return {
    settings: { maxNodesPerCluster: 1000, healthCheckIntervalMin: 60, novaTimeout: 600 },
    cluster: async () => cluster,
    members: async () => members,
    drivers: async () => drivers,
    profile: async () => ({ properties: {}, context: {}, ...profile }),
    nodeDetails: async () => ({}),
  } as unknown as PolicyContext;
}

function action(
  name: string,
  inputs: Record<string, unknown> = {},
  data: Record<string, unknown> = {},
  target = 'c',
): PolicyActionView {
  return { id: 'a', action: name, cause: 'RPC Request', target, inputs, data };
}

const zonePolicy = {
  id: 'z',
  name: 'zones',
  type: 'senlin.policy.zone_placement-1.0',
  properties: {
    zones: [
      { name: 'ZONE1', weight: 100 },
      { name: 'ZONE2', weight: 100 },
    ],
  },
};

const regionPolicy = {
  id: 'r',
  name: 'regions',
  type: 'senlin.policy.region_placement-1.0',
  properties: { regions: [{ name: 'RegionOne', weight: 100, cap: -1 }] },
};

describe('placement behaviours', () => {
  it('take the count of a scale-out from an earlier decision', async () => {
    const a = action('CLUSTER_SCALE_OUT', { count: 5 }, { creation: { count: 2 } });
    await zonePlacementBehaviour.preOp?.(zonePolicy, {} as never, a, context([]));
    expect(a.data.creation).toEqual({ count: 2, zones: { ZONE1: 1, ZONE2: 1 } });
    expect(a.data.placement).toEqual({
      count: 2,
      placements: [{ zone: 'ZONE1' }, { zone: 'ZONE2' }],
    });
  });

  it('decide the deletion side of a shrinking resize', async () => {
    const members = [
      member('m1', { zone: 'ZONE1' }),
      member('m2', { zone: 'ZONE1' }),
      member('m3', { zone: 'ZONE2' }),
    ];
    const a = action('CLUSTER_RESIZE', { adjustment_type: 'EXACT_CAPACITY', number: 2 });
    await zonePlacementBehaviour.preOp?.(zonePolicy, {} as never, a, context(members));
    expect(a.data.deletion).toEqual({ count: 1, zones: { ZONE1: 1 } });
    expect(a.data.placement).toBeUndefined();
  });

  it('fail a resize whose parameters break the size limits', async () => {
    const a = action('CLUSTER_RESIZE', { adjustment_type: 'EXACT_CAPACITY', number: 2000 });
    expect(await zonePlacementBehaviour.preOp?.(zonePolicy, {} as never, a, context([]))).toEqual({
      ok: false,
      reason:
        'The target capacity (2000) is greater than the maximum number of nodes allowed per cluster (1000).',
    });
  });

  it('place the one node of a NODE_CREATE unless its profile fixes the region', async () => {
    const members = [member('new', null)];
    const a = action('NODE_CREATE', {}, {}, 'new');
    await regionPlacementBehaviour.preOp?.(regionPolicy, {} as never, a, context(members));
    expect(a.data.placement).toEqual({ count: 1, placements: [{ region_name: 'RegionOne' }] });
    const fixed = action('NODE_CREATE', {}, {}, 'new');
    await regionPlacementBehaviour.preOp?.(
      regionPolicy,
      {} as never,
      fixed,
      context(members, { context: { region_name: 'RegionTwo' } }),
    );
    expect(fixed.data.placement).toBeUndefined();
  });

  it('put their zone over the fixed zone of an affinity policy, but not over a forced host', async () => {
    const a = action(
      'CLUSTER_SCALE_OUT',
      { count: 2 },
      {
        placement: {
          count: 2,
          placements: [
            { servergroup: 'g', zone: 'nova' },
            { servergroup: 'g', zone: 'nova:host1' },
          ],
        },
      },
    );
    await zonePlacementBehaviour.preOp?.(zonePolicy, {} as never, a, context([]));
    expect(a.data.placement).toEqual({
      count: 2,
      placements: [
        { servergroup: 'g', zone: 'ZONE1' },
        { servergroup: 'g', zone: 'nova:host1' },
      ],
    });
  });

  it('count a member without a recorded zone where its server is', async () => {
    const members = [{ ...member('m1', null), physicalId: 's1' } as MemberView];
    const ctx = {
      ...context(members),
      nodeDetails: async () => ({ 'OS-EXT-AZ:availability_zone': 'ZONE1' }),
    } as PolicyContext;
    const a = action('CLUSTER_SCALE_OUT', { count: 1 });
    await zonePlacementBehaviour.preOp?.(zonePolicy, {} as never, a, ctx);
    expect(a.data.creation).toEqual({ count: 1, zones: { ZONE2: 1 } });
  });
});
