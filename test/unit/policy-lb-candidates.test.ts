import { describe, expect, it } from 'vitest';
import type { PlannedAction, ShrinkContext } from '../../src/policies/lb-candidates.js';
import { growCandidates, planShrink, positiveCount } from '../../src/policies/lb-candidates.js';

const T0 = new Date('2024-01-01T00:00:00Z');

function members(n: number, status = 'ACTIVE') {
  return Array.from({ length: n }, (_, i) => ({
    id: `n${i + 1}`,
    status,
    tainted: false,
    createdAt: T0,
    profileId: 'p',
  }));
}

function ctx(n: number, minSize = 0, extra: Partial<ShrinkContext> = {}): ShrinkContext {
  return {
    members: members(n),
    cluster: { minSize, maxSize: -1, desiredCapacity: n },
    maxNodesPerCluster: 1000,
    random: () => 0,
    ...extra,
  };
}

function action(name: string, fields: Partial<PlannedAction> = {}): PlannedAction {
  return {
    action: name,
    cause: 'RPC Request',
    target: 'c1',
    inputs: {},
    data: {},
    ...fields,
  };
}

describe('load-balancing shrink planning', () => {
  it('takes out as many members as a scale-in removes nodes', () => {
    const plan = planShrink(action('CLUSTER_SCALE_IN', { inputs: { count: 3 } }), ctx(5));
    expect(plan.candidates).toHaveLength(3);
    expect(plan.deletion).toEqual({ count: 3, candidates: plan.candidates });
  });

  it('takes one member for a scale-in without a count', () => {
    const plan = planShrink(action('CLUSTER_SCALE_IN'), ctx(3));
    expect(plan.candidates).toHaveLength(1);
  });

  it('uses the count another policy wrote into data.deletion', () => {
    const plan = planShrink(
      action('CLUSTER_SCALE_IN', { inputs: { count: 1 }, data: { deletion: { count: 2 } } }),
      ctx(4),
    );
    expect(plan.candidates).toHaveLength(2);
    expect(plan.deletion).toEqual({ count: 2, candidates: plan.candidates });
  });

  it('keeps the victims another policy chose', () => {
    const plan = planShrink(
      action('CLUSTER_SCALE_IN', { data: { deletion: { count: 2, candidates: ['n4', 'n2'] } } }),
      ctx(4),
    );
    expect(plan).toEqual({ candidates: ['n4', 'n2'], deferred: false, deletion: null });
  });

  it('chooses bad nodes first when it picks the victims', () => {
    const c = ctx(3);
    const sick = c.members.map((m) => (m.id === 'n3' ? { ...m, status: 'ERROR' } : m));
    const plan = planShrink(action('CLUSTER_SCALE_IN'), { ...c, members: sick });
    expect(plan.candidates).toEqual(['n3']);
  });

  it('never takes more members than the cluster has', () => {
    const plan = planShrink(action('CLUSTER_SCALE_IN', { inputs: { count: 9 } }), ctx(2));
    expect([...plan.candidates].sort()).toEqual(['n1', 'n2']);
  });

  it('takes nothing out when the size check will refuse the scale-in', () => {
    const plan = planShrink(action('CLUSTER_SCALE_IN', { inputs: { count: 1 } }), ctx(2, 2));
    expect(plan.candidates).toEqual([]);
    expect(plan.deletion).toBeNull();
  });

  it('takes nothing out for an invalid count', () => {
    expect(
      planShrink(action('CLUSTER_SCALE_IN', { inputs: { count: 'two' } }), ctx(3)).candidates,
    ).toEqual([]);
  });

  it('plans a shrinking resize from its inputs', () => {
    const plan = planShrink(
      action('CLUSTER_RESIZE', { inputs: { adjustment_type: 'EXACT_CAPACITY', number: 1 } }),
      ctx(3),
    );
    expect(plan.candidates).toHaveLength(2);
    expect(plan.deletion).toMatchObject({ count: 2 });
  });

  it('does nothing for a growing resize', () => {
    const plan = planShrink(
      action('CLUSTER_RESIZE', { inputs: { adjustment_type: 'CHANGE_IN_CAPACITY', number: 2 } }),
      ctx(3),
    );
    expect(plan).toEqual({ candidates: [], deferred: false, deletion: null });
  });

  it('takes the members of the nodes given to DEL_NODES that are in the cluster', () => {
    const plan = planShrink(
      action('CLUSTER_DEL_NODES', { inputs: { candidates: ['n2', 'elsewhere'] } }),
      ctx(3),
    );
    expect(plan.candidates).toEqual(['n2']);
    expect(plan.deletion).toBeNull();
  });

  it('takes the node of a node delete request unless the cluster is at its minimum', () => {
    const request = action('NODE_DELETE', { target: 'n1' });
    expect(planShrink(request, ctx(2)).candidates).toEqual(['n1']);
    expect(planShrink(request, ctx(2, 2)).candidates).toEqual([]);
  });

  it('takes the node of a hooked node action without a size check', () => {
    const leave = action('NODE_LEAVE', {
      target: 'n1',
      cause: 'Derived Action with Lifecycle Hook',
    });
    expect(planShrink(leave, ctx(2, 2)).candidates).toEqual(['n1']);
  });

  it('takes the originals of a replacement', () => {
    const plan = planShrink(
      action('CLUSTER_REPLACE_NODES', { inputs: { candidates: { n1: 'x1', n3: 'x3' } } }),
      ctx(3),
    );
    expect(plan.candidates).toEqual(['n1', 'n3']);
  });

  it('defers the removal while still choosing the victims when lifecycle hooks are set', () => {
    const plan = planShrink(
      action('CLUSTER_SCALE_IN', {
        inputs: { count: 2 },
        data: { hooks: { type: 'zaqar', params: { queue: 'q' }, timeout: 5 } },
      }),
      ctx(3),
    );
    expect(plan.deferred).toBe(true);
    expect(plan.deletion).toMatchObject({ count: 2 });
  });
});

describe('load-balancing grow planning', () => {
  it('adds the node of NODE_CREATE and NODE_RECOVER', () => {
    expect(growCandidates(action('NODE_CREATE', { target: 'n9' }))).toEqual(['n9']);
    expect(growCandidates(action('NODE_RECOVER', { target: 'n8' }))).toEqual(['n8']);
  });

  it('adds the replacements of REPLACE_NODES', () => {
    const a = action('CLUSTER_REPLACE_NODES', { inputs: { candidates: { n1: 'x1', n2: 'x2' } } });
    expect(growCandidates(a)).toEqual(['x1', 'x2']);
  });

  it('adds the nodes the action created or added', () => {
    const a = action('CLUSTER_SCALE_OUT', { data: { creation: { count: 2, nodes: ['a', 'b'] } } });
    expect(growCandidates(a)).toEqual(['a', 'b']);
    expect(growCandidates(action('CLUSTER_RESIZE'))).toEqual([]);
  });
});

describe('positive counts', () => {
  it('accepts positive integers and strings of digits only', () => {
    expect([positiveCount(2), positiveCount(' 3 '), positiveCount(0), positiveCount(1.5)]).toEqual([
      2,
      3,
      null,
      null,
    ]);
  });
});
