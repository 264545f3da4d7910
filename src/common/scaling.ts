/**
 * Cluster size arithmetic: how an adjustment turns into a target capacity, how that target is
 * checked against (or squeezed into) the size limits, and which nodes go first when a cluster
 * shrinks. Pure functions over plain values; callers bring the numbers and the nodes.
 */

/** How the `number` of a resize or scaling adjustment is read. Values reach the wire. */
export const AdjustmentType = {
  /** `number` is the target size. */
  EXACT_CAPACITY: 'EXACT_CAPACITY',
  /** `number` nodes are added (positive) or removed (negative). */
  CHANGE_IN_CAPACITY: 'CHANGE_IN_CAPACITY',
  /** `number` percent of the current size is added or removed. */
  CHANGE_IN_PERCENTAGE: 'CHANGE_IN_PERCENTAGE',
} as const;

/** One of the {@link AdjustmentType} values. */
export type AdjustmentType = (typeof AdjustmentType)[keyof typeof AdjustmentType];

/** True when the value names an adjustment type. */
export function isAdjustmentType(value: unknown): value is AdjustmentType {
  return Object.values<unknown>(AdjustmentType).includes(value);
}

/**
 * The size limits of a cluster. `maxSize` below 0 means unlimited; a null `desiredCapacity`
 * (a cluster created with an explicit null) counts as 0 in comparisons.
 */
export interface SizeLimits {
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number | null;
}

type Maybe = number | null | undefined;

const given = (value: Maybe): value is number => value !== null && value !== undefined;

/** A percentage change rounded to whole nodes: fractions under one node round away from zero. */
function roundPercentageDelta(delta: number): number {
  if (delta === 0) return 0;
  return Math.abs(delta) < 1 ? Math.sign(delta) : Math.trunc(delta);
}

/**
 * The capacity an adjustment asks for, starting from `current` nodes.
 *
 * EXACT_CAPACITY gives `number`, CHANGE_IN_CAPACITY `current + number` (both with `number`
 * truncated to a whole count, as the API already does). CHANGE_IN_PERCENTAGE takes
 * `number`% of `current`: a change of less than one node becomes ±1, a larger one is cut
 * toward zero. With `minStep`, a change smaller than `minStep` grows to ±`minStep`; a change
 * of exactly 0 then counts as a shrink (upstream behaviour, kept).
 */
export function calculateDesired(
  current: number,
  type: AdjustmentType,
  number: number,
  minStep?: number | null,
): number {
  let desired: number;
  if (type === AdjustmentType.EXACT_CAPACITY) {
    desired = Math.trunc(number);
  } else if (type === AdjustmentType.CHANGE_IN_CAPACITY) {
    desired = current + Math.trunc(number);
  } else {
    const rounded = roundPercentageDelta((number * current) / 100);
    if (given(minStep) && minStep > Math.abs(rounded)) {
      desired = current + (rounded > 0 ? minStep : -minStep);
    } else {
      desired = current + rounded;
    }
  }
  // Normalise a negative zero (e.g. EXACT_CAPACITY with -0) so it never reaches the wire.
  return desired === 0 ? 0 : desired;
}

/**
 * Squeezes `desired` into the size range for a best-effort (non-strict) resize: the new
 * `minSize`/`maxSize` when given, else the cluster's. A max of 0 or below is no upper bound.
 */
export function truncateDesired(
  cluster: SizeLimits,
  desired: number,
  minSize?: number | null,
  maxSize?: number | null,
): number {
  let result = desired;
  const floor = given(minSize) ? minSize : cluster.minSize;
  if (result < floor) result = floor;
  const ceiling = given(maxSize) ? maxSize : cluster.maxSize;
  if (ceiling > 0 && result > ceiling) result = ceiling;
  return result;
}

/** What {@link checkSizeParams} checks: new values (absent = unchanged) and strictness. */
export interface SizeParams {
  readonly desired?: number | null;
  readonly minSize?: number | null;
  readonly maxSize?: number | null;
  readonly strict: boolean;
}

/**
 * Checks a target capacity and new size limits against each other, the cluster (when given)
 * and `maxNodesPerCluster`. Returns the message of the first broken rule, else null.
 *
 * Rules that compare the target capacity with the cluster's own limits, or new limits with
 * the cluster's desired capacity, apply only when `strict`; a new min above the cluster's max
 * and a new max below the cluster's min are rejected either way. A negative max is unlimited.
 */
export function checkSizeParams(
  cluster: SizeLimits | null,
  params: SizeParams,
  maxNodesPerCluster: number,
): string | null {
  const { desired, minSize, maxSize, strict } = params;
  const clusterDesired = cluster?.desiredCapacity ?? 0;

  if (given(desired)) {
    if (desired > maxNodesPerCluster) {
      return `The target capacity (${desired}) is greater than the maximum number of nodes allowed per cluster (${maxNodesPerCluster}).`;
    }
    if (given(minSize) && desired < minSize) {
      return `The target capacity (${desired}) is less than the specified min_size (${minSize}).`;
    }
    if (!given(minSize) && cluster && strict && desired < cluster.minSize) {
      return `The target capacity (${desired}) is less than the cluster's min_size (${cluster.minSize}).`;
    }
    if (given(maxSize) && maxSize >= 0 && desired > maxSize) {
      return `The target capacity (${desired}) is greater than the specified max_size (${maxSize}).`;
    }
    if (!given(maxSize) && cluster && strict && cluster.maxSize >= 0 && desired > cluster.maxSize) {
      return `The target capacity (${desired}) is greater than the cluster's max_size (${cluster.maxSize}).`;
    }
  }

  if (given(minSize)) {
    if (given(maxSize) && maxSize >= 0 && minSize > maxSize) {
      return `The specified min_size (${minSize}) is greater than the specified max_size (${maxSize}).`;
    }
    if (!given(maxSize) && cluster && cluster.maxSize >= 0 && minSize > cluster.maxSize) {
      return `The specified min_size (${minSize}) is greater than the current max_size (${cluster.maxSize}) of the cluster.`;
    }
    if (!given(desired) && cluster && strict && minSize > clusterDesired) {
      return `The specified min_size (${minSize}) is greater than the current desired_capacity (${clusterDesired}) of the cluster.`;
    }
  }

  if (given(maxSize)) {
    if (maxSize > maxNodesPerCluster) {
      return `The specified max_size (${maxSize}) is greater than the maximum number of nodes allowed per cluster (${maxNodesPerCluster}).`;
    }
    if (!given(minSize) && cluster && maxSize >= 0 && maxSize < cluster.minSize) {
      return `The specified max_size (${maxSize}) is less than the current min_size (${cluster.minSize}) of the cluster.`;
    }
    if (!given(desired) && cluster && strict && maxSize >= 0 && maxSize < clusterDesired) {
      return `The specified max_size (${maxSize}) is less than the current desired_capacity (${clusterDesired}) of the cluster.`;
    }
  }

  return null;
}

/** The inputs of a CLUSTER_RESIZE action, keyed as stored in `action.inputs`. */
export interface ResizeInputs {
  readonly adjustment_type?: AdjustmentType | null;
  readonly number?: number | null;
  readonly min_size?: number | null;
  readonly max_size?: number | null;
  readonly min_step?: number | null;
  readonly strict?: boolean | null;
}

/** The outcome of {@link parseResizeParams}: nodes to create or delete, or why not. */
export type ResizePlan =
  | {
      readonly ok: true;
      /** The capacity the cluster is resized to. */
      readonly desired: number;
      readonly creation?: { readonly count: number };
      readonly deletion?: { readonly count: number };
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Turns resize inputs into a plan: the target capacity computed from `current` (the number of
 * nodes now in the cluster), squeezed into the limits unless `strict` (absent = false), then
 * checked with {@link checkSizeParams}. A shrink yields `deletion`, anything else `creation`
 * (a no-op resize is a creation of 0 nodes).
 *
 * Unlike upstream, a `current` of 0 is taken as it is: upstream replaces any falsy count with
 * the cluster's desired capacity, so an empty cluster whose desired capacity is 3 would be
 * "resized" by percentages of 3 and told to delete nodes it does not have.
 */
export function parseResizeParams(
  inputs: ResizeInputs,
  cluster: SizeLimits,
  current: number,
  maxNodesPerCluster: number,
): ResizePlan {
  const type = inputs.adjustment_type ?? null;
  const minSize = inputs.min_size ?? null;
  const maxSize = inputs.max_size ?? null;
  const strict = inputs.strict ?? false;

  let desired = current;
  if (type !== null) {
    if (!given(inputs.number)) {
      return { ok: false, reason: 'Missing number value for size adjustment.' };
    }
    desired = calculateDesired(current, type, inputs.number, inputs.min_step);
  }
  if (!strict) desired = truncateDesired(cluster, desired, minSize, maxSize);

  const error = checkSizeParams(cluster, { desired, minSize, maxSize, strict }, maxNodesPerCluster);
  if (error !== null) return { ok: false, reason: error };

  const count = current - desired;
  return count > 0
    ? { ok: true, desired, deletion: { count } }
    : { ok: true, desired, creation: { count: -count || 0 } };
}

/** The little of a node that victim selection looks at. */
export interface VictimCandidate {
  readonly id: string;
  readonly status: string;
  readonly tainted: boolean;
  readonly createdAt: Date | null;
  readonly profileId: string;
}

/** Node statuses that make a node the first to go. */
const UNHEALTHY_STATUSES: ReadonlySet<string> = new Set(['ERROR', 'WARNING']);

/**
 * Splits nodes into those to remove before any other (ids: ERROR, WARNING or tainted nodes in
 * their given order, then nodes never created) and the healthy rest.
 */
export function filterErrorNodes<N extends VictimCandidate>(
  nodes: readonly N[],
): { bad: string[]; good: N[] } {
  const unhealthy: string[] = [];
  const notCreated: string[] = [];
  const good: N[] = [];
  for (const node of nodes) {
    if (UNHEALTHY_STATUSES.has(node.status) || node.tainted) unhealthy.push(node.id);
    else if (node.createdAt === null) notCreated.push(node.id);
    else good.push(node);
  }
  return { bad: [...unhealthy, ...notCreated], good };
}

/** Bad nodes first, then as many of `ordered` as still fit in `count` (never more than exist). */
function pickVictims(bad: string[], ordered: readonly VictimCandidate[], count: number): string[] {
  if (count <= 0) return [];
  if (count <= bad.length) return bad.slice(0, count);
  return [...bad, ...ordered.slice(0, count - bad.length).map((node) => node.id)];
}

/**
 * Up to `count` victim ids: bad nodes first (see {@link filterErrorNodes}), then healthy nodes
 * drawn at random without replacement. `random` returns numbers in [0, 1).
 */
export function nodesByRandom(
  nodes: readonly VictimCandidate[],
  count: number,
  random: () => number = Math.random,
): string[] {
  const { bad, good } = filterErrorNodes(nodes);
  const pool = [...good];
  const drawn: VictimCandidate[] = [];
  for (let left = count - bad.length; left > 0 && pool.length > 0; left--) {
    const index = Math.min(Math.floor(random() * pool.length), pool.length - 1);
    drawn.push(...pool.splice(index, 1));
  }
  return pickVictims(bad, drawn, count);
}

/** Orders times ascending; an unknown time sorts before every known one. */
function byTime(a: Date | null | undefined, b: Date | null | undefined): number {
  const ta = a?.getTime() ?? Number.NEGATIVE_INFINITY;
  const tb = b?.getTime() ?? Number.NEGATIVE_INFINITY;
  return ta === tb ? 0 : ta < tb ? -1 : 1;
}

/**
 * Up to `count` victim ids: bad nodes first, then healthy nodes by creation time, the oldest
 * first when `oldFirst`, else the youngest first.
 */
export function nodesByAge(
  nodes: readonly VictimCandidate[],
  count: number,
  oldFirst: boolean,
): string[] {
  const { bad, good } = filterErrorNodes(nodes);
  const sorted = [...good].sort((a, b) => byTime(a.createdAt, b.createdAt));
  return pickVictims(bad, oldFirst ? sorted : sorted.reverse(), count);
}

/**
 * Up to `count` victim ids: bad nodes first, then healthy nodes whose profile is oldest.
 * `profileCreatedAt` maps profile ids to creation times; a node whose profile time is unknown
 * counts as having the oldest profile.
 */
export function nodesByProfileAge(
  nodes: readonly VictimCandidate[],
  count: number,
  profileCreatedAt: ReadonlyMap<string, Date | null>,
): string[] {
  const { bad, good } = filterErrorNodes(nodes);
  const profileTime = (node: VictimCandidate) => profileCreatedAt.get(node.profileId);
  const sorted = [...good].sort((a, b) => byTime(profileTime(a), profileTime(b)));
  return pickVictims(bad, sorted, count);
}
