import { describe, expect, it } from 'vitest';
import type { MemberView, PolicyActionView, PolicyContext } from '../../src/engine/contracts.js';
import { batchBehaviour, batchSize, planBatches } from '../../src/policies/batch-behaviour.js';

function nodes(count: number, over: Record<number, Record<string, unknown>> = {}) {
  return Array.from({ length: count }, (_, i) => ({
    id: `n${i + 1}`,
    status: 'ACTIVE',
    tainted: false,
    createdAt: new Date(Date.UTC(2024, 0, i + 1)),
    profileId: 'p',
    ...over[i],
  }));
}

describe('batchSize', () => {
  it('updates all but min_in_service nodes at once', () => {
    expect(batchSize(5, 1, -1)).toBe(4);
    expect(batchSize(5, 0, -1)).toBe(5);
  });

  it('updates half the nodes, rounded up, when min_in_service is not below the size', () => {
    expect(batchSize(3, 3, -1)).toBe(2);
    expect(batchSize(4, 10, -1)).toBe(2);
    expect(batchSize(1, 1, -1)).toBe(1);
  });

  it('never goes above max_batch_size', () => {
    expect(batchSize(10, 1, 3)).toBe(3);
    expect(batchSize(10, 8, 3)).toBe(2);
  });
});

describe('planBatches', () => {
  it('chunks the nodes in their order', () => {
    expect(planBatches(nodes(5), 1, 2)).toEqual([['n1', 'n2'], ['n3', 'n4'], ['n5']]);
  });

  it('puts nodes in ERROR, WARNING, tainted or never created first', () => {
    const mixed = nodes(5, {
      1: { status: 'WARNING' },
      2: { createdAt: null },
      4: { tainted: true },
    });
    expect(planBatches(mixed, 3, -1)).toEqual([['n2', 'n5'], ['n3', 'n1'], ['n4']]);
  });

  it('plans nothing for an empty cluster', () => {
    expect(planBatches([], 1, -1)).toEqual([]);
  });
});

describe('batchBehaviour', () => {
  it('writes the plan and the pause into data.update', async () => {
    const action: PolicyActionView = {
      id: 'a',
      action: 'CLUSTER_UPDATE',
      cause: 'RPC Request',
      target: 'c',
      inputs: {},
      data: {},
    };
    const ctx = { members: async () => nodes(3) as unknown as MemberView[] } as PolicyContext;
    const policy = {
      id: 'p',
      name: 'b',
      type: 'senlin.policy.batch-1.0',
      properties: { min_in_service: 1, max_batch_size: -1, pause_time: 7 },
    };
    const result = await batchBehaviour.preOp?.(policy, {} as never, action, ctx);
    expect(result).toEqual({ ok: true });
    expect(action.data.update).toEqual({ pause_time: 7, plan: [['n1', 'n2'], ['n3']] });
  });
});
