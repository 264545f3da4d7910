/**
 * What the deletion policy does before a cluster shrinks (engine contract §5.4): chooses the
 * nodes to delete by its criteria (per region or zone when a placement policy has split the
 * count), and tells the engine whether to destroy them, how long to wait first, whether the
 * desired capacity shrinks, and which lifecycle hook to run.
 */
import type { VictimCandidate } from '../common/scaling.js';
import {
  nodesByAge,
  nodesByProfileAge,
  nodesByRandom,
  parseResizeParams,
  type ResizeInputs,
} from '../common/scaling.js';
import { isPlainObject } from '../common/spec-schema/index.js';
import type {
  MemberView,
  PolicyActionView,
  PolicyBehaviour,
  PolicyCheckResult,
  PolicyContext,
  PolicyView,
} from '../engine/contracts.js';

/** How victims are chosen (the `criteria` property). */
export const DeletionCriteria = {
  OLDEST_FIRST: 'OLDEST_FIRST',
  OLDEST_PROFILE_FIRST: 'OLDEST_PROFILE_FIRST',
  YOUNGEST_FIRST: 'YOUNGEST_FIRST',
  RANDOM: 'RANDOM',
} as const;

/** One of the {@link DeletionCriteria} values. */
export type DeletionCriterion = (typeof DeletionCriteria)[keyof typeof DeletionCriteria];

/** A node as victim selection sees it, with where it was placed. */
export interface PlacedCandidate extends VictimCandidate {
  readonly data: Readonly<Record<string, unknown>>;
}

/** How to pick victims: the criterion, profile creation times, a random source. */
export interface VictimChoice {
  readonly criteria: string;
  readonly profileCreatedAt: ReadonlyMap<string, Date | null>;
  readonly random?: () => number;
}

/** Up to `count` victims among `nodes` by the criterion (bad nodes always first). */
export function chooseVictims(
  nodes: readonly VictimCandidate[],
  count: number,
  choice: VictimChoice,
): string[] {
  switch (choice.criteria) {
    case DeletionCriteria.OLDEST_FIRST:
      return nodesByAge(nodes, count, true);
    case DeletionCriteria.YOUNGEST_FIRST:
      return nodesByAge(nodes, count, false);
    case DeletionCriteria.OLDEST_PROFILE_FIRST:
      return nodesByProfileAge(nodes, count, choice.profileCreatedAt);
    default:
      return nodesByRandom(nodes, count, choice.random);
  }
}

/**
 * Victims per group (region or zone): for each group name, in sorted order, `counts[name]`
 * victims among the nodes whose `data.placement[key]` is that name.
 */
export function victimsByPlacement(
  nodes: readonly PlacedCandidate[],
  counts: Readonly<Record<string, unknown>>,
  key: 'region_name' | 'zone',
  choice: VictimChoice,
): string[] {
  const victims: string[] = [];
  for (const name of Object.keys(counts).sort()) {
    const count = Number(counts[name]);
    if (!(count > 0)) continue;
    const group = nodes.filter((n) => {
      const placement = n.data.placement;
      return isPlainObject(placement) && placement[key] === name;
    });
    victims.push(...chooseVictims(group, count, choice));
  }
  return victims;
}

/** The settings of a deletion policy that reach the engine with the victims. */
function deletionSettings(policy: PolicyView): Record<string, unknown> {
  const p = policy.properties;
  return {
    destroy_after_deletion: p.destroy_after_deletion !== false,
    grace_period: typeof p.grace_period === 'number' ? p.grace_period : 0,
    reduce_desired_capacity: p.reduce_desired_capacity !== false,
  };
}

/** Writes the victims and the policy's settings into `data.deletion`. */
function record(policy: PolicyView, action: PolicyActionView, victims: readonly string[]): void {
  const before = isPlainObject(action.data.deletion) ? action.data.deletion : {};
  action.data.deletion = {
    ...before,
    count: victims.length,
    candidates: [...victims],
    ...deletionSettings(policy),
  };
}

/** Creation times of the members' profiles (only read for OLDEST_PROFILE_FIRST). */
async function profileTimes(
  criteria: string,
  members: readonly MemberView[],
  ctx: PolicyContext,
): Promise<Map<string, Date | null>> {
  const times = new Map<string, Date | null>();
  if (criteria !== DeletionCriteria.OLDEST_PROFILE_FIRST) return times;
  for (const id of new Set(members.map((m) => m.profileId))) {
    try {
      times.set(id, (await ctx.profile(id)).createdAt);
    } catch {
      times.set(id, null);
    }
  }
  return times;
}

/** How many nodes the action removes: a number, nothing to remove (null), or a failure. */
async function countToDelete(
  action: PolicyActionView,
  members: readonly MemberView[],
  ctx: PolicyContext,
): Promise<{ count: number | null } | { reason: string }> {
  const deletion = action.data.deletion;
  if (isPlainObject(deletion)) return { count: Number(deletion.count ?? 0) };
  if (action.action === 'CLUSTER_SCALE_IN') return { count: Number(action.inputs.count ?? 1) };
  if (isPlainObject(action.data.creation)) return { count: null };
  const plan = parseResizeParams(
    action.inputs as ResizeInputs,
    await ctx.cluster(),
    members.length,
    ctx.settings.maxNodesPerCluster,
  );
  if (!plan.ok) return { reason: plan.reason };
  return { count: plan.deletion ? plan.deletion.count : null };
}

/** The behaviour of `senlin.policy.deletion` (all versions). */
export const deletionBehaviour: PolicyBehaviour = {
  async preOp(policy, _binding, action, ctx): Promise<PolicyCheckResult> {
    const given = Array.isArray(action.inputs.candidates) ? action.inputs.candidates : [];
    if (given.length > 0) {
      record(policy, action, given.map(String));
      return { ok: true };
    }
    if (action.action === 'NODE_DELETE') {
      record(policy, action, [action.target]);
      return { ok: true };
    }
    const hooks = policy.properties.hooks;
    if (isPlainObject(hooks) && Object.keys(hooks).length > 0) action.data.hooks = { ...hooks };

    const members = await ctx.members();
    const counted = await countToDelete(action, members, ctx);
    if ('reason' in counted) return { ok: false, reason: counted.reason };
    if (counted.count === null || !Number.isFinite(counted.count)) return { ok: true };
    const criteria = String(policy.properties.criteria ?? DeletionCriteria.RANDOM);
    const choice: VictimChoice = {
      criteria,
      profileCreatedAt: await profileTimes(criteria, members, ctx),
    };
    const deletion = isPlainObject(action.data.deletion) ? action.data.deletion : {};
    let victims: string[];
    if (isPlainObject(deletion.regions) && Object.keys(deletion.regions).length > 0) {
      victims = victimsByPlacement(members, deletion.regions, 'region_name', choice);
    } else if (isPlainObject(deletion.zones) && Object.keys(deletion.zones).length > 0) {
      victims = victimsByPlacement(members, deletion.zones, 'zone', choice);
    } else {
      const count = Math.min(Math.max(0, counted.count), members.length);
      victims = chooseVictims(members, count, choice);
    }
    record(policy, action, victims);
    return { ok: true };
  },
};
