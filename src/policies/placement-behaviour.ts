/**
 * What the region and zone placement policies share (engine contract §5.5, §5.6): how many
 * nodes an action adds or removes, the weighted plan that spreads them over regions or zones,
 * and the decisions written for the engine. Unlike upstream, a creation plan is applied: every
 * new node gets its region or zone through `data.placement.placements`.
 */
import { parseResizeParams, type ResizeInputs } from '../common/scaling.js';
import { isPlainObject } from '../common/spec-schema/index.js';
import type { CloudDrivers } from '../drivers/types.js';
import type {
  MemberView,
  PolicyActionView,
  PolicyBehaviour,
  PolicyCheckResult,
  PolicyContext,
  ProfileView,
} from '../engine/contracts.js';
import { mergePlacements } from './policy-data.js';

/** A region or zone of a placement spec. `cap` below 0 sets no limit. */
export interface PlacementTarget {
  readonly name: string;
  readonly weight: number;
  readonly cap: number;
}

/** Reads the resolved `regions` or `zones` list of a spec. */
export function readTargets(list: unknown): PlacementTarget[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((item) => ({
    name: String(item.name ?? ''),
    weight: typeof item.weight === 'number' ? item.weight : 100,
    cap: typeof item.cap === 'number' ? item.cap : -1,
  }));
}

/**
 * Spreads `count` new nodes (`expand`) or removed nodes over the targets so that every target
 * ends near its share (weight / sum of weights) of the new total. Targets are visited by
 * weight, heaviest first when expanding and lightest first when shrinking; an expanding
 * target takes up to `ceil(share)` nodes (never above its cap), a shrinking one keeps at
 * least `floor(share)` (and never gives more than it has). Nodes left over after that pass go,
 * in the same order, to targets with room under their cap (or with nodes left to give), where
 * upstream gave up. Returns `{name: n}` without zero entries (in visiting order), or null
 * when the nodes cannot all be placed.
 */
export function createPlacementPlan(
  current: Readonly<Record<string, number>>,
  targets: readonly PlacementTarget[],
  count: number,
  expand: boolean,
): Record<string, number> | null {
  const sumWeight = targets.reduce((sum, t) => sum + t.weight, 0);
  if (count <= 0) return {};
  if (sumWeight <= 0) return null;
  const ordered = [...targets].sort((a, b) => (expand ? b.weight - a.weight : a.weight - b.weight));
  const existing = targets.reduce((sum, t) => sum + (current[t.name] ?? 0), 0);
  const total = expand ? existing + count : existing - count;
  const plan: Record<string, number> = {};
  let remain = count;
  const take = (name: string, headroom: number): void => {
    const taken = Math.min(headroom, remain);
    if (taken <= 0) return;
    plan[name] = (plan[name] ?? 0) + taken;
    remain -= taken;
  };
  for (const target of ordered) {
    if (remain === 0) break;
    const share = (total * target.weight) / sumWeight;
    const now = current[target.name] ?? 0;
    if (expand) {
      let quota = Math.ceil(share);
      if (target.cap >= 0) quota = Math.min(quota, target.cap);
      take(target.name, quota - now);
    } else {
      take(target.name, now - Math.max(0, Math.floor(share)));
    }
  }
  for (const target of ordered) {
    if (remain === 0) break;
    const now = (current[target.name] ?? 0) + (expand ? 1 : -1) * (plan[target.name] ?? 0);
    if (!expand) take(target.name, now);
    else if (target.cap < 0) take(target.name, remain);
    else take(target.name, target.cap - now);
  }
  return remain > 0 ? null : plan;
}

/** One name per node of a plan, in the plan's order: `{A: 2, B: 1}` gives `[A, A, B]`. */
export function spreadPlan(plan: Readonly<Record<string, number>>): string[] {
  return Object.entries(plan).flatMap(([name, n]) => Array.from({ length: n }, () => name));
}

/** What makes the region and the zone policies different. */
export interface PlacementKind {
  /** Spec property, and key under `data.creation`/`data.deletion`: `regions` or `zones`. */
  readonly key: 'regions' | 'zones';
  /** Key of `data.placement` of a node: `region_name` or `zone`. */
  readonly nodeKey: 'region_name' | 'zone';
  /** The failure when no listed target is usable. */
  readonly noneUsable: string;
  /** The names among `names` the cloud offers now. */
  usable(names: readonly string[], drivers: CloudDrivers): Promise<string[]>;
  /** Whether a node's own profile already fixes its placement (NODE_CREATE is then left be). */
  fixedByProfile(profile: ProfileView): boolean;
  /** The target a member is placed in, or null. */
  groupOf(member: MemberView, ctx: PolicyContext): Promise<string | null>;
  /** Whether this policy's choice replaces a value another policy put in a node's placement. */
  replaces(key: string, earlier: unknown): boolean;
}

type Counted = { readonly count: number } | { readonly reason: string };

function numberOr(value: unknown, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
}

/** Nodes the action adds (positive) or removes (negative); 0 when placement has no say. */
async function countOf(
  kind: PlacementKind,
  action: PolicyActionView,
  ctx: PolicyContext,
  members: readonly MemberView[],
): Promise<Counted> {
  const { data, inputs } = action;
  const creation = isPlainObject(data.creation) ? data.creation : null;
  const deletion = isPlainObject(data.deletion) ? data.deletion : null;
  switch (action.action) {
    case 'NODE_CREATE': {
      const node = members.find((m) => m.id === action.target);
      if (!node) return { count: 0 };
      return { count: kind.fixedByProfile(await ctx.profile(node.profileId)) ? 0 : 1 };
    }
    case 'CLUSTER_RESIZE': {
      if (deletion) return { count: -numberOr(deletion.count, 0) };
      if (creation) return { count: numberOr(creation.count, 0) };
      const plan = parseResizeParams(
        inputs as ResizeInputs,
        await ctx.cluster(),
        members.length,
        ctx.settings.maxNodesPerCluster,
      );
      if (!plan.ok) return { reason: plan.reason };
      if (plan.deletion) {
        data.deletion = { count: plan.deletion.count };
        return { count: -plan.deletion.count };
      }
      const grow = plan.creation?.count ?? 0;
      if (grow > 0) data.creation = { count: grow };
      return { count: grow };
    }
    case 'CLUSTER_SCALE_IN':
      return { count: -numberOr(deletion ? deletion.count : inputs.count, 1) };
    case 'CLUSTER_SCALE_OUT':
      return { count: numberOr(creation ? creation.count : inputs.count, 1) };
    default:
      return { count: 0 };
  }
}

/** Members per usable target (members placed elsewhere or nowhere are not counted). */
async function distribution(
  kind: PlacementKind,
  names: readonly string[],
  members: readonly MemberView[],
  ctx: PolicyContext,
): Promise<Record<string, number>> {
  const current: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const member of members) {
    const group = await kind.groupOf(member, ctx);
    if (group !== null && group in current) current[group] = (current[group] ?? 0) + 1;
  }
  return current;
}

/** Plans the action's nodes over the usable targets and writes the decisions. */
async function placeNodes(
  kind: PlacementKind,
  targets: readonly PlacementTarget[],
  action: PolicyActionView,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const members = await ctx.members();
  const counted = await countOf(kind, action, ctx, members);
  if ('reason' in counted) return { ok: false, reason: counted.reason };
  if (counted.count === 0) return { ok: true };
  const expand = counted.count > 0;
  const count = Math.abs(counted.count);
  const good = new Set(
    await kind.usable(
      targets.map((t) => t.name),
      await ctx.drivers(),
    ),
  );
  const usable = targets.filter((t) => good.has(t.name));
  if (usable.length === 0) return { ok: false, reason: kind.noneUsable };
  const others = members.filter((m) => m.id !== action.target || action.action !== 'NODE_CREATE');
  const current = await distribution(
    kind,
    usable.map((t) => t.name),
    others,
    ctx,
  );
  const plan = createPlacementPlan(current, usable, count, expand);
  if (plan === null || Object.keys(plan).length === 0) {
    return { ok: false, reason: 'There is no feasible plan to handle all nodes.' };
  }
  const side = expand ? 'creation' : 'deletion';
  const before = isPlainObject(action.data[side]) ? action.data[side] : {};
  action.data[side] = { ...before, count, [kind.key]: plan };
  if (expand) {
    mergePlacements(
      action.data,
      spreadPlan(plan).map((name) => ({ [kind.nodeKey]: name })),
      kind.replaces,
    );
  }
  return { ok: true };
}

/** The behaviour of a placement policy of the given kind. */
export function placementBehaviour(kind: PlacementKind): PolicyBehaviour {
  return {
    async preOp(policy, _binding, action, ctx): Promise<PolicyCheckResult> {
      return placeNodes(kind, readTargets(policy.properties[kind.key]), action, ctx);
    },
  };
}
