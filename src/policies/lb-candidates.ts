/**
 * Which nodes the load-balancing policy takes out of the pool before an action shrinks the
 * cluster, and which it puts in after an action grew it. Pure planning: no cloud calls.
 *
 * Unlike upstream Zed, a scale-in takes out as many members as nodes go (not always one),
 * and nothing is taken out for an action whose size check will refuse it.
 */
import { ActionCause } from '../common/constants.js';
import type { ResizeInputs, SizeLimits, VictimCandidate } from '../common/scaling.js';
import { checkSizeParams, nodesByRandom, parseResizeParams } from '../common/scaling.js';
import { isPlainObject } from '../common/spec-schema/index.js';

/** The parts of an action the planning looks at. */
export interface PlannedAction {
  readonly action: string;
  readonly cause: string;
  readonly target: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly data: Readonly<Record<string, unknown>>;
}

/** What to do before a shrinking action. */
export interface ShrinkPlan {
  /** Nodes whose members go now (empty: nothing to do now). */
  readonly candidates: readonly string[];
  /** True when lifecycle hooks defer the removal to the node actions. */
  readonly deferred: boolean;
  /** The new `data.deletion` when victims were chosen here, else null. */
  readonly deletion: Record<string, unknown> | null;
}

/** Everything the shrink planning needs besides the action. */
export interface ShrinkContext {
  readonly members: readonly VictimCandidate[];
  readonly cluster: SizeLimits;
  readonly maxNodesPerCluster: number;
  readonly random?: () => number;
}

const NOTHING: ShrinkPlan = { candidates: [], deferred: false, deletion: null };

/** Cluster actions whose node deletions run through lifecycle hooks when `data.hooks` is set. */
const HOOKED_ACTIONS = ['CLUSTER_SCALE_IN', 'CLUSTER_RESIZE', 'CLUSTER_DEL_NODES'];

/** A positive integer from a number or a string of digits, else null. */
export function positiveCount(value: unknown): number | null {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

function idList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

function refused(ctx: ShrinkContext, removed: number): boolean {
  const desired = ctx.members.length - removed;
  return checkSizeParams(ctx.cluster, { desired, strict: true }, ctx.maxNodesPerCluster) !== null;
}

/** How many nodes a scale-in or resize removes (null: none, or the action will fail). */
function shrinkCount(a: PlannedAction, ctx: ShrinkContext): number | null {
  const deletion = isPlainObject(a.data.deletion) ? a.data.deletion : null;
  if (a.action === 'CLUSTER_SCALE_IN') {
    const count = deletion
      ? idList(deletion.candidates).length || positiveCount(deletion.count ?? 1)
      : positiveCount(a.inputs.count ?? 1);
    if (count === null) return null;
    const bounded = Math.min(count, ctx.members.length);
    return refused(ctx, bounded) ? null : bounded;
  }
  if (deletion)
    return positiveCount(deletion.count) ?? (idList(deletion.candidates).length || null);
  if (isPlainObject(a.data.creation)) return null;
  const plan = parseResizeParams(
    a.inputs as ResizeInputs,
    ctx.cluster,
    ctx.members.length,
    ctx.maxNodesPerCluster,
  );
  return plan.ok && plan.deletion ? plan.deletion.count : null;
}

/**
 * The nodes to take out of the pool before a shrinking action: the node of NODE_DELETE (and of
 * a hooked NODE_LEAVE), the candidates of DEL_NODES, the originals of REPLACE_NODES, and for
 * SCALE_IN/RESIZE the chosen victims (`data.deletion.candidates`), chosen here at random when
 * no other policy chose them (they are then written to `data.deletion` so that the action
 * deletes exactly those nodes).
 */
export function planShrink(a: PlannedAction, ctx: ShrinkContext): ShrinkPlan {
  const memberIds = new Set(ctx.members.map((m) => m.id));
  const mine = (ids: readonly string[]) => ids.filter((id) => memberIds.has(id));
  switch (a.action) {
    case 'NODE_DELETE':
    case 'NODE_LEAVE': {
      if (!memberIds.has(a.target)) return NOTHING;
      if (a.cause === ActionCause.RPC && refused(ctx, 1)) return NOTHING;
      return { ...NOTHING, candidates: [a.target] };
    }
    case 'CLUSTER_DEL_NODES': {
      const candidates = mine(idList(a.inputs.candidates));
      if (candidates.length === 0 || refused(ctx, candidates.length)) return NOTHING;
      return { ...NOTHING, candidates, deferred: hooked(a) };
    }
    case 'CLUSTER_REPLACE_NODES': {
      const map = isPlainObject(a.inputs.candidates) ? a.inputs.candidates : {};
      return { ...NOTHING, candidates: mine(Object.keys(map)) };
    }
    case 'CLUSTER_SCALE_IN':
    case 'CLUSTER_RESIZE':
      return planVictims(a, ctx, mine);
    default:
      return NOTHING;
  }
}

function hooked(a: PlannedAction): boolean {
  return (
    HOOKED_ACTIONS.includes(a.action) &&
    isPlainObject(a.data.hooks) &&
    Object.keys(a.data.hooks).length > 0
  );
}

function planVictims(
  a: PlannedAction,
  ctx: ShrinkContext,
  mine: (ids: readonly string[]) => string[],
): ShrinkPlan {
  const count = shrinkCount(a, ctx);
  if (count === null || count <= 0) return NOTHING;
  const deletion = isPlainObject(a.data.deletion) ? a.data.deletion : null;
  const chosen = deletion ? mine(idList(deletion.candidates)) : [];
  if (chosen.length > 0) return { ...NOTHING, candidates: chosen, deferred: hooked(a) };
  const victims = nodesByRandom(ctx.members, count, ctx.random);
  return {
    candidates: victims,
    deferred: hooked(a),
    deletion: { ...(deletion ?? {}), count: victims.length, candidates: victims },
  };
}

/**
 * The nodes to put into the pool after a growing action: the node of NODE_CREATE and
 * NODE_RECOVER, the replacements of REPLACE_NODES, else `data.creation.nodes`.
 */
export function growCandidates(a: PlannedAction): string[] {
  if (a.action === 'NODE_CREATE' || a.action === 'NODE_RECOVER') return [a.target];
  if (a.action === 'CLUSTER_REPLACE_NODES') {
    const map = isPlainObject(a.inputs.candidates) ? a.inputs.candidates : {};
    return Object.values(map).map(String);
  }
  const creation = isPlainObject(a.data.creation) ? a.data.creation : null;
  return creation ? idList(creation.nodes) : [];
}
