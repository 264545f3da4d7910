import { describe, expect, it } from 'vitest';
import { checkSizeParams, type SizeLimits, type SizeParams } from '../../src/common/scaling.js';

const MAX = 1000;
// min 2, max 6, desired 4
const cluster: SizeLimits = { minSize: 2, maxSize: 6, desiredCapacity: 4 };
const unlimited: SizeLimits = { minSize: 0, maxSize: -1, desiredCapacity: 4 };

const check = (c: SizeLimits | null, params: SizeParams, max = MAX) =>
  checkSizeParams(c, params, max);

describe('checkSizeParams: the target capacity', () => {
  it('accepts a target inside the cluster limits', () => {
    expect(check(cluster, { desired: 5, strict: true })).toBeNull();
  });

  it('rejects a target above the per-cluster node limit (rule 1)', () => {
    expect(check(null, { desired: 11, strict: false }, 10)).toBe(
      'The target capacity (11) is greater than the maximum number of nodes allowed per cluster (10).',
    );
  });

  it('accepts a target equal to the per-cluster node limit', () => {
    expect(check(null, { desired: 10, strict: true }, 10)).toBeNull();
  });

  it('checks the per-cluster node limit before the other rules', () => {
    expect(check(cluster, { desired: 11, minSize: 20, strict: true }, 10)).toMatch(
      /maximum number of nodes allowed per cluster \(10\)\.$/,
    );
  });

  it('rejects a target below the new min_size even when not strict (rule 2)', () => {
    expect(check(cluster, { desired: 1, minSize: 3, strict: false })).toBe(
      'The target capacity (1) is less than the specified min_size (3).',
    );
  });

  it('rejects a target below the new min_size without a cluster', () => {
    expect(check(null, { desired: 1, minSize: 3, strict: true })).toBe(
      'The target capacity (1) is less than the specified min_size (3).',
    );
  });

  it("rejects a target below the cluster's min_size when strict (rule 3)", () => {
    expect(check(cluster, { desired: 1, strict: true })).toBe(
      "The target capacity (1) is less than the cluster's min_size (2).",
    );
  });

  it("accepts a target below the cluster's min_size when not strict", () => {
    expect(check(cluster, { desired: 1, strict: false })).toBeNull();
  });

  it("does not compare with the cluster's min_size when a new min_size is given", () => {
    expect(check(cluster, { desired: 1, minSize: 1, strict: true })).toBeNull();
  });

  it('rejects a target above the new max_size even when not strict (rule 4)', () => {
    expect(check(cluster, { desired: 8, maxSize: 7, strict: false })).toBe(
      'The target capacity (8) is greater than the specified max_size (7).',
    );
  });

  it('rejects a target above a new max_size of zero', () => {
    expect(check(null, { desired: 1, maxSize: 0, strict: false })).toBe(
      'The target capacity (1) is greater than the specified max_size (0).',
    );
  });

  it('treats a new negative max_size as unlimited for the target', () => {
    expect(check(cluster, { desired: 8, maxSize: -1, strict: true })).toBeNull();
  });

  it("rejects a target above the cluster's max_size when strict (rule 5)", () => {
    expect(check(cluster, { desired: 7, strict: true })).toBe(
      "The target capacity (7) is greater than the cluster's max_size (6).",
    );
  });

  it("accepts a target above the cluster's max_size when not strict", () => {
    expect(check(cluster, { desired: 7, strict: false })).toBeNull();
  });

  it("treats the cluster's negative max_size as unlimited", () => {
    expect(check(unlimited, { desired: 700, strict: true })).toBeNull();
  });

  it("does not compare with the cluster's max_size when a new max_size is given", () => {
    expect(check(cluster, { desired: 7, maxSize: 8, strict: true })).toBeNull();
  });

  it('checks the min rules before the max rules', () => {
    expect(check(cluster, { desired: 5, minSize: 6, maxSize: 4, strict: true })).toBe(
      'The target capacity (5) is less than the specified min_size (6).',
    );
  });
});

describe('checkSizeParams: a new min_size', () => {
  it('rejects a new min_size above the new max_size (rule 6)', () => {
    expect(check(null, { minSize: 5, maxSize: 3, strict: false })).toBe(
      'The specified min_size (5) is greater than the specified max_size (3).',
    );
  });

  it('accepts a new min_size with a new negative max_size', () => {
    expect(check(null, { minSize: 5, maxSize: -1, strict: true })).toBeNull();
  });

  it("rejects a new min_size above the cluster's max_size even when not strict (rule 7)", () => {
    expect(check(cluster, { minSize: 7, strict: false })).toBe(
      'The specified min_size (7) is greater than the current max_size (6) of the cluster.',
    );
  });

  it("rejects a new min_size above the cluster's max_size when strict", () => {
    expect(check(cluster, { minSize: 7, strict: true })).toBe(
      'The specified min_size (7) is greater than the current max_size (6) of the cluster.',
    );
  });

  it("accepts any new min_size when the cluster's max_size is unlimited", () => {
    expect(check(unlimited, { minSize: 3, desired: 5, strict: true })).toBeNull();
  });

  it('rejects a new min_size above the desired capacity when strict (rule 8)', () => {
    expect(check(cluster, { minSize: 5, strict: true })).toBe(
      'The specified min_size (5) is greater than the current desired_capacity (4) of the cluster.',
    );
  });

  it('accepts a new min_size above the desired capacity when not strict', () => {
    expect(check(cluster, { minSize: 5, strict: false })).toBeNull();
  });

  it('does not compare a new min_size with the desired capacity when a target is given', () => {
    expect(check(cluster, { minSize: 5, desired: 5, strict: true })).toBeNull();
  });

  it('counts a null desired capacity as zero', () => {
    expect(check({ ...cluster, desiredCapacity: null }, { minSize: 1, strict: true })).toBe(
      'The specified min_size (1) is greater than the current desired_capacity (0) of the cluster.',
    );
  });

  it('skips the cluster rules for a new min_size without a cluster', () => {
    expect(check(null, { minSize: 900, strict: true })).toBeNull();
  });
});

describe('checkSizeParams: a new max_size', () => {
  it('rejects a new max_size above the per-cluster node limit (rule 9)', () => {
    expect(check(null, { maxSize: 11, strict: false }, 10)).toBe(
      'The specified max_size (11) is greater than the maximum number of nodes allowed per cluster (10).',
    );
  });

  it("rejects a new max_size below the cluster's min_size even when not strict (rule 10)", () => {
    expect(check(cluster, { maxSize: 1, strict: false })).toBe(
      'The specified max_size (1) is less than the current min_size (2) of the cluster.',
    );
  });

  it("does not compare a negative new max_size with the cluster's min_size", () => {
    expect(check(cluster, { maxSize: -1, strict: true })).toBeNull();
  });

  it("does not compare a new max_size with the cluster's min_size when a new min is given", () => {
    expect(check(cluster, { maxSize: 1, minSize: 1, desired: 1, strict: true })).toBeNull();
  });

  it('rejects a new max_size below the desired capacity when strict (rule 11)', () => {
    expect(check(cluster, { maxSize: 3, strict: true })).toBe(
      'The specified max_size (3) is less than the current desired_capacity (4) of the cluster.',
    );
  });

  it('accepts a new max_size below the desired capacity when not strict', () => {
    expect(check(cluster, { maxSize: 3, strict: false })).toBeNull();
  });

  it('does not compare a new max_size with the desired capacity when a target is given', () => {
    expect(check(cluster, { maxSize: 3, desired: 3, strict: true })).toBeNull();
  });

  it('skips the cluster rules for a new max_size without a cluster', () => {
    expect(check(null, { maxSize: 0, strict: true })).toBeNull();
  });

  it('accepts nothing to check', () => {
    expect(check(cluster, { strict: true })).toBeNull();
  });
});
