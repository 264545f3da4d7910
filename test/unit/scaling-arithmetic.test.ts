import { describe, expect, it } from 'vitest';
import {
  AdjustmentType,
  calculateDesired,
  isAdjustmentType,
  type SizeLimits,
  truncateDesired,
} from '../../src/common/scaling.js';

const { EXACT_CAPACITY, CHANGE_IN_CAPACITY, CHANGE_IN_PERCENTAGE } = AdjustmentType;

describe('AdjustmentType', () => {
  it('holds the three wire names', () => {
    expect(Object.values(AdjustmentType)).toEqual([
      'EXACT_CAPACITY',
      'CHANGE_IN_CAPACITY',
      'CHANGE_IN_PERCENTAGE',
    ]);
  });

  it('recognises only those names', () => {
    expect(isAdjustmentType('CHANGE_IN_PERCENTAGE')).toBe(true);
    expect(isAdjustmentType('change_in_percentage')).toBe(false);
    expect(isAdjustmentType(3)).toBe(false);
  });
});

describe('calculateDesired', () => {
  it('returns the number itself for an exact capacity', () => {
    expect(calculateDesired(5, EXACT_CAPACITY, 2)).toBe(2);
  });

  it('truncates a fractional exact capacity', () => {
    expect(calculateDesired(5, EXACT_CAPACITY, 2.9)).toBe(2);
  });

  it('adds a positive change in capacity', () => {
    expect(calculateDesired(5, CHANGE_IN_CAPACITY, 3)).toBe(8);
  });

  it('subtracts a negative change in capacity', () => {
    expect(calculateDesired(5, CHANGE_IN_CAPACITY, -2)).toBe(3);
  });

  it('truncates a fractional change in capacity toward zero', () => {
    expect(calculateDesired(5, CHANGE_IN_CAPACITY, -1.7)).toBe(4);
  });

  it('ignores min_step for a change in capacity', () => {
    expect(calculateDesired(5, CHANGE_IN_CAPACITY, 1, 3)).toBe(6);
  });

  it('rounds a positive percentage under one node up to one node', () => {
    expect(calculateDesired(3, CHANGE_IN_PERCENTAGE, 10)).toBe(4);
  });

  it('rounds a positive percentage over one node down', () => {
    // 50% of 5 is 2.5 nodes
    expect(calculateDesired(5, CHANGE_IN_PERCENTAGE, 50)).toBe(7);
  });

  it('keeps a whole positive percentage as it is', () => {
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, 20)).toBe(12);
  });

  it('rounds a negative percentage under one node away from zero', () => {
    expect(calculateDesired(3, CHANGE_IN_PERCENTAGE, -10)).toBe(2);
  });

  it('rounds a negative percentage over one node toward zero', () => {
    // -50% of 5 is -2.5 nodes
    expect(calculateDesired(5, CHANGE_IN_PERCENTAGE, -50)).toBe(3);
  });

  it('keeps a whole negative percentage as it is', () => {
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, -30)).toBe(7);
  });

  it('accepts a fractional percentage', () => {
    // 12.5% of 8 is exactly one node
    expect(calculateDesired(8, CHANGE_IN_PERCENTAGE, 12.5)).toBe(9);
  });

  it('leaves the size unchanged for a zero percentage without min_step', () => {
    expect(calculateDesired(4, CHANGE_IN_PERCENTAGE, 0)).toBe(4);
  });

  it('leaves an empty cluster empty for any percentage without min_step', () => {
    expect(calculateDesired(0, CHANGE_IN_PERCENTAGE, 50)).toBe(0);
  });

  it('grows by min_step when it is larger than the rounded growth', () => {
    // 10% of 10 is one node
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, 10, 3)).toBe(13);
  });

  it('shrinks by min_step when it is larger than the rounded shrink', () => {
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, -10, 3)).toBe(7);
  });

  it('uses the rounded growth when min_step is smaller', () => {
    // 50% of 10 is five nodes
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, 50, 2)).toBe(15);
  });

  it('uses the rounded shrink when min_step is smaller', () => {
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, -50, 2)).toBe(5);
  });

  it('uses the rounded change when min_step equals it', () => {
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, 30, 3)).toBe(13);
  });

  it('shrinks by min_step when the rounded change is zero', () => {
    expect(calculateDesired(4, CHANGE_IN_PERCENTAGE, 0, 2)).toBe(2);
  });

  it('ignores a min_step of zero', () => {
    expect(calculateDesired(4, CHANGE_IN_PERCENTAGE, 0, 0)).toBe(4);
  });

  it('ignores a null min_step', () => {
    expect(calculateDesired(10, CHANGE_IN_PERCENTAGE, 10, null)).toBe(11);
  });
});

describe('truncateDesired', () => {
  const cluster: SizeLimits = { minSize: 2, maxSize: 6, desiredCapacity: 4 };
  const unlimited: SizeLimits = { minSize: 0, maxSize: -1, desiredCapacity: 4 };

  it('leaves a target inside the limits alone', () => {
    expect(truncateDesired(cluster, 5)).toBe(5);
  });

  it('raises a target below the new min_size to it', () => {
    expect(truncateDesired(cluster, 1, 3)).toBe(3);
  });

  it('prefers the new min_size over the cluster min_size', () => {
    expect(truncateDesired(cluster, 1, 0)).toBe(1);
  });

  it('raises a target below the cluster min_size when no new min is given', () => {
    expect(truncateDesired(cluster, 0)).toBe(2);
  });

  it('lowers a target above the new max_size to it', () => {
    expect(truncateDesired(cluster, 9, null, 8)).toBe(8);
  });

  it('prefers the new max_size over the cluster max_size', () => {
    expect(truncateDesired(cluster, 9, null, 10)).toBe(9);
  });

  it('does not bound a target by a new max_size of zero', () => {
    expect(truncateDesired(cluster, 9, null, 0)).toBe(9);
  });

  it('does not bound a target by a new negative max_size', () => {
    expect(truncateDesired(cluster, 9, null, -1)).toBe(9);
  });

  it('lowers a target above the cluster max_size when no new max is given', () => {
    expect(truncateDesired(cluster, 9)).toBe(6);
  });

  it('does not bound a target when the cluster max_size is unlimited', () => {
    expect(truncateDesired(unlimited, 900)).toBe(900);
  });

  it('lets the max win when the limits cross', () => {
    expect(truncateDesired(cluster, 1, 5, 3)).toBe(3);
  });
});
