import { describe, expect, it } from 'vitest';
import type {
  ClusterView,
  MemberView,
  PolicyActionView,
  PolicyBindingView,
  PolicyContext,
  PolicyView,
} from '../../src/engine/contracts.js';
import type { ScalingAdjustment } from '../../src/policies/scaling.js';
import {
  adjustmentCount,
  decideScaling,
  inCooldown,
  positiveCount,
  scalingBehaviour,
} from '../../src/policies/scaling-behaviour.js';

const SCALE_IN = 'CLUSTER_SCALE_IN';
const SCALE_OUT = 'CLUSTER_SCALE_OUT';

function adjustment(over: Partial<ScalingAdjustment> = {}): ScalingAdjustment {
  return {
    type: 'CHANGE_IN_CAPACITY',
    number: 1,
    min_step: 1,
    best_effort: false,
    cooldown: 0,
    ...over,
  };
}

const limits = (minSize: number, maxSize: number, desired: number) => ({
  minSize,
  maxSize,
  desiredCapacity: desired,
});

describe('adjustmentCount', () => {
  it('counts the distance to an EXACT_CAPACITY in the direction of the event', () => {
    const exact = adjustment({ type: 'EXACT_CAPACITY', number: 3 });
    expect(adjustmentCount(exact, SCALE_IN, 5)).toBe(2);
    expect(adjustmentCount(exact, SCALE_OUT, 1)).toBe(2);
  });

  it('gives a negative count when an EXACT_CAPACITY lies the other way', () => {
    expect(adjustmentCount(adjustment({ type: 'EXACT_CAPACITY', number: 6 }), SCALE_IN, 5)).toBe(
      -1,
    );
  });

  it('takes the number of a CHANGE_IN_CAPACITY as it is', () => {
    expect(adjustmentCount(adjustment({ number: 4 }), SCALE_OUT, 10)).toBe(4);
  });

  it('cuts a CHANGE_IN_PERCENTAGE toward zero', () => {
    const pct = adjustment({ type: 'CHANGE_IN_PERCENTAGE', number: 50 });
    expect(adjustmentCount(pct, SCALE_IN, 5)).toBe(2);
    expect(adjustmentCount(pct, SCALE_IN, 7)).toBe(3);
  });

  it('raises a CHANGE_IN_PERCENTAGE below min_step to min_step', () => {
    const pct = adjustment({ type: 'CHANGE_IN_PERCENTAGE', number: 10, min_step: 2 });
    expect(adjustmentCount(pct, SCALE_OUT, 5)).toBe(2);
    expect(adjustmentCount({ ...pct, min_step: 0 }, SCALE_OUT, 5)).toBe(0);
  });

  it('keeps a CHANGE_IN_PERCENTAGE above min_step', () => {
    const pct = adjustment({ type: 'CHANGE_IN_PERCENTAGE', number: 30, min_step: 2 });
    expect(adjustmentCount(pct, SCALE_OUT, 20)).toBe(6);
  });
});

describe('positiveCount', () => {
  it('accepts whole numbers and texts of them above zero', () => {
    expect(positiveCount(3)).toBe(3);
    expect(positiveCount('4')).toBe(4);
    expect(positiveCount(2.7)).toBe(2);
  });

  it('rejects zero, negatives and other values', () => {
    for (const v of [0, -1, '0', '1.5', 'two', null, true, 0.5])
      expect(positiveCount(v)).toBeNull();
  });
});

describe('decideScaling', () => {
  const subject = (action: string, current: number, over: Record<string, unknown> = {}) => ({
    action,
    requested: undefined,
    current,
    cluster: limits(1, 5, current),
    maxNodesPerCluster: 1000,
    ...over,
  });

  it('uses the requested count over the adjustment', () => {
    expect(
      decideScaling(adjustment({ number: 3 }), SCALE_OUT, subject(SCALE_OUT, 1, { requested: 2 })),
    ).toEqual({ ok: true, count: 2 });
  });

  it('refuses a count that is not positive', () => {
    expect(decideScaling(adjustment(), SCALE_IN, subject(SCALE_IN, 3, { requested: 'x' }))).toEqual(
      { ok: false, reason: "Invalid count (x) for action 'CLUSTER_SCALE_IN'." },
    );
    expect(
      decideScaling(
        adjustment({ type: 'EXACT_CAPACITY', number: 4 }),
        SCALE_IN,
        subject(SCALE_IN, 3),
      ),
    ).toEqual({ ok: false, reason: "Invalid count (-1) for action 'CLUSTER_SCALE_IN'." });
  });

  it('refuses to go past the size limits without best_effort', () => {
    expect(decideScaling(adjustment({ number: 3 }), SCALE_IN, subject(SCALE_IN, 3))).toEqual({
      ok: false,
      reason: "The target capacity (0) is less than the cluster's min_size (1).",
    });
    expect(decideScaling(adjustment({ number: 3 }), SCALE_OUT, subject(SCALE_OUT, 3))).toEqual({
      ok: false,
      reason: "The target capacity (6) is greater than the cluster's max_size (5).",
    });
  });

  it('squeezes the count into the size limits with best_effort', () => {
    const eager = adjustment({ number: 10, best_effort: true });
    expect(decideScaling(eager, SCALE_IN, subject(SCALE_IN, 3))).toEqual({ ok: true, count: 2 });
    expect(decideScaling(eager, SCALE_OUT, subject(SCALE_OUT, 3))).toEqual({ ok: true, count: 2 });
  });

  it('with best_effort counts an unlimited max as max_nodes_per_cluster', () => {
    const eager = adjustment({ number: 10, best_effort: true });
    const open = subject(SCALE_OUT, 3, { cluster: limits(0, -1, 3), maxNodesPerCluster: 7 });
    expect(decideScaling(eager, SCALE_OUT, open)).toEqual({ ok: true, count: 4 });
  });

  it('with best_effort goes no lower than a count of zero', () => {
    const eager = adjustment({ number: 2, best_effort: true });
    const below = subject(SCALE_IN, 1, { cluster: limits(2, 5, 2) });
    expect(decideScaling(eager, SCALE_IN, below)).toEqual({ ok: true, count: 0 });
  });

  it('still refuses more than max_nodes_per_cluster with best_effort', () => {
    const eager = adjustment({ number: 5, best_effort: true });
    const crowded = subject(SCALE_OUT, 9, { cluster: limits(0, 20, 9), maxNodesPerCluster: 8 });
    expect(decideScaling(eager, SCALE_OUT, crowded)).toEqual({
      ok: false,
      reason:
        'The target capacity (14) is greater than the maximum number of nodes allowed per cluster (8).',
    });
  });
});

describe('inCooldown', () => {
  const now = new Date('2024-01-01T00:01:00Z');

  it('is true while the cooldown since the last operation runs', () => {
    expect(inCooldown('2024-01-01T00:00:30.000Z', 60, now)).toBe(true);
  });

  it('is false once the cooldown is over, without cooldown or without a last operation', () => {
    expect(inCooldown('2024-01-01T00:00:00.000Z', 60, now)).toBe(false);
    expect(inCooldown('2024-01-01T00:00:59.000Z', 0, now)).toBe(false);
    expect(inCooldown(null, 60, now)).toBe(false);
  });
});

function binding(event: string): PolicyBindingView {
  return {
    bindingId: 'b1',
    clusterId: 'c1',
    policyId: 'p1',
    policyName: 'scaler',
    type: 'senlin.policy.scaling-1.0',
    spec: { type: 'senlin.policy.scaling', version: '1.0', properties: { event } },
    enabled: true,
    priority: 100,
    data: {},
    lastOp: null,
  };
}

function actionView(action: string, inputs: Record<string, unknown> = {}): PolicyActionView {
  return { id: 'a1', action, cause: 'RPC Request', target: 'c1', inputs, data: {} };
}

function policyView(event: string, adj: Record<string, unknown>): PolicyView {
  return {
    id: 'p1',
    name: 'scaler',
    type: 'senlin.policy.scaling-1.0',
    properties: { event, adjustment: adj },
  };
}

function context(members: number, lastOps: [string, Date][] = []): PolicyContext {
  const cluster = { minSize: 0, maxSize: -1, desiredCapacity: members } as ClusterView;
  return {
    settings: { maxNodesPerCluster: 1000, healthCheckIntervalMin: 60, novaTimeout: 600 },
    now: () => new Date('2024-01-01T00:01:00Z'),
    cluster: async () => cluster,
    members: async () => Array.from({ length: members }, () => ({}) as MemberView),
    setLastOp: async (id: string, when: Date) => {
      lastOps.push([id, when]);
    },
  } as unknown as PolicyContext;
}

describe('scalingBehaviour', () => {
  it('checks before only the action of its event and after both scaling actions', () => {
    const check = scalingBehaviour.needCheck;
    expect(check?.('BEFORE', actionView(SCALE_IN), binding(SCALE_IN))).toBe(true);
    expect(check?.('BEFORE', actionView(SCALE_OUT), binding(SCALE_IN))).toBe(false);
    expect(check?.('AFTER', actionView(SCALE_OUT), binding(SCALE_IN))).toBe(true);
    expect(check?.('AFTER', actionView('CLUSTER_RESIZE'), binding(SCALE_IN))).toBe(false);
  });

  it('refuses an action during its cooldown', async () => {
    const action = actionView(SCALE_IN, { last_op: '2024-01-01T00:00:30.000Z' });
    const result = await scalingBehaviour.preOp?.(
      policyView(SCALE_IN, { cooldown: 60 }),
      binding(SCALE_IN),
      action,
      context(3),
    );
    expect(result).toEqual({ ok: false, reason: 'Policy p1 cooldown is still in progress.' });
    expect(action.data.deletion).toBeUndefined();
  });

  it('writes its count into data.deletion for scale-in and data.creation for scale-out', async () => {
    const scaleIn = actionView(SCALE_IN);
    await scalingBehaviour.preOp?.(
      policyView(SCALE_IN, { number: 2 }),
      binding(SCALE_IN),
      scaleIn,
      context(3),
    );
    expect(scaleIn.data.deletion).toEqual({ count: 2 });
    const scaleOut = actionView(SCALE_OUT);
    await scalingBehaviour.preOp?.(
      policyView(SCALE_OUT, { type: 'CHANGE_IN_PERCENTAGE', number: 50 }),
      binding(SCALE_OUT),
      scaleOut,
      context(4),
    );
    expect(scaleOut.data.creation).toEqual({ count: 2 });
  });

  it('records the end of the action on its binding', async () => {
    const lastOps: [string, Date][] = [];
    await scalingBehaviour.postOp?.(
      policyView(SCALE_IN, {}),
      binding(SCALE_IN),
      actionView(SCALE_OUT),
      context(1, lastOps),
    );
    expect(lastOps).toEqual([['b1', new Date('2024-01-01T00:01:00Z')]]);
  });
});
