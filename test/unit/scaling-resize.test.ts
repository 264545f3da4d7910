import { describe, expect, it } from 'vitest';
import { parseResizeParams, type SizeLimits } from '../../src/common/scaling.js';

const MAX = 1000;
// min 1, max 10, desired 5
const cluster: SizeLimits = { minSize: 1, maxSize: 10, desiredCapacity: 5 };

describe('parseResizeParams', () => {
  it('plans a creation for a growing exact capacity', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 8, strict: true },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 8, creation: { count: 3 } });
  });

  it('plans a deletion for a shrinking change in capacity', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: -2, strict: true },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 3, deletion: { count: 2 } });
  });

  it('plans a percentage change with min_step', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'CHANGE_IN_PERCENTAGE', number: 10, min_step: 2, strict: true },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 7, creation: { count: 2 } });
  });

  it('plans a creation of zero nodes when the size does not change', () => {
    const plan = parseResizeParams({ min_size: 2, strict: true }, cluster, 5, MAX);
    expect(plan).toEqual({ ok: true, desired: 5, creation: { count: 0 } });
  });

  it('computes from the node count rather than the desired capacity', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: 1, strict: true },
      cluster,
      3,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 4, creation: { count: 1 } });
  });

  it('takes a node count of zero as it is', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: 2, strict: true },
      cluster,
      0,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 2, creation: { count: 2 } });
  });

  it('squeezes the target into the cluster limits when not strict', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: 20, strict: false },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 10, creation: { count: 5 } });
  });

  it('squeezes the target into new limits when not strict', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 0, min_size: 2, strict: false },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 2, deletion: { count: 3 } });
  });

  it('is not strict when strict is absent', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 0 },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 1, deletion: { count: 4 } });
  });

  it('is not strict when strict is null', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 0, strict: null },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: true, desired: 1, deletion: { count: 4 } });
  });

  it('rejects a strict target outside the cluster limits', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 11, strict: true },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({
      ok: false,
      reason: "The target capacity (11) is greater than the cluster's max_size (10).",
    });
  });

  it('rejects a non-strict target that even truncation cannot fit', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 3, min_size: 20, strict: false },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({
      ok: false,
      reason: 'The target capacity (10) is less than the specified min_size (20).',
    });
  });

  it('rejects a target above the per-cluster node limit', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'EXACT_CAPACITY', number: 12, max_size: 20, strict: true },
      cluster,
      5,
      10,
    );
    expect(plan).toEqual({
      ok: false,
      reason:
        'The target capacity (12) is greater than the maximum number of nodes allowed per cluster (10).',
    });
  });

  it('rejects an adjustment type without a number', () => {
    const plan = parseResizeParams(
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: null },
      cluster,
      5,
      MAX,
    );
    expect(plan).toEqual({ ok: false, reason: 'Missing number value for size adjustment.' });
  });

  it('ignores a number without an adjustment type', () => {
    const plan = parseResizeParams({ number: 3, strict: true }, cluster, 5, MAX);
    expect(plan).toEqual({ ok: true, desired: 5, creation: { count: 0 } });
  });
});
