/**
 * What the scaling policy does around scale-in and scale-out: refuses actions during its
 * cooldown, decides how many nodes go or come (engine contract §5.3) and records when the last
 * scaling ended.
 */
import { checkSizeParams, type SizeLimits } from '../common/scaling.js';
import { isPlainObject } from '../common/spec-schema/index.js';
import type {
  PolicyActionView,
  PolicyBehaviour,
  PolicyBindingView,
  PolicyCheckResult,
} from '../engine/contracts.js';
import { readScalingAdjustment, type ScalingAdjustment } from './scaling.js';

const SCALE_IN = 'CLUSTER_SCALE_IN';
const SCALE_OUT = 'CLUSTER_SCALE_OUT';

/**
 * How many nodes an adjustment adds (scale-out) or removes (scale-in) from a cluster of
 * `current` nodes: EXACT_CAPACITY the distance to `number`, CHANGE_IN_CAPACITY `number`,
 * CHANGE_IN_PERCENTAGE `number`% of `current` cut toward zero and raised to `min_step`.
 * The result may be zero or negative; the caller checks it.
 */
export function adjustmentCount(
  adjustment: Pick<ScalingAdjustment, 'type' | 'number' | 'min_step'>,
  event: string,
  current: number,
): number {
  if (adjustment.type === 'EXACT_CAPACITY') {
    return event === SCALE_IN ? current - adjustment.number : adjustment.number - current;
  }
  if (adjustment.type === 'CHANGE_IN_CAPACITY') return adjustment.number;
  const count = Math.trunc((adjustment.number * current) / 100);
  return Math.max(count, adjustment.min_step);
}

/** A count given as a whole number (or a text of one) and above zero, else null. */
export function positiveCount(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = Math.trunc(value);
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
  else return null;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** What a scaling check decided: the count for the action, or why it is refused. */
export type ScalingDecision =
  | { readonly ok: true; readonly count: number }
  | { readonly ok: false; readonly reason: string };

/** The cluster facts a scaling decision needs. */
export interface ScalingSubject {
  readonly action: string;
  /** `inputs.count` of the request, if any. */
  readonly requested: unknown;
  /** Number of members now. */
  readonly current: number;
  readonly cluster: SizeLimits;
  readonly maxNodesPerCluster: number;
}

/**
 * Decides the count of a scale action: the requested count, else the adjustment's; with
 * `best_effort` squeezed into the size limits (never below zero), then checked against them
 * (strictly unless `best_effort`).
 */
export function decideScaling(
  adjustment: ScalingAdjustment,
  event: string,
  subject: ScalingSubject,
): ScalingDecision {
  const { action, current, cluster } = subject;
  const raw =
    subject.requested === undefined || subject.requested === null
      ? adjustmentCount(adjustment, event, current)
      : subject.requested;
  let count = positiveCount(raw);
  if (count === null) {
    return { ok: false, reason: `Invalid count (${String(raw)}) for action '${action}'.` };
  }
  const maxSize = cluster.maxSize === -1 ? subject.maxNodesPerCluster : cluster.maxSize;
  const shrinking = action === SCALE_IN;
  if (adjustment.best_effort) {
    const room = shrinking ? current - cluster.minSize : maxSize - current;
    count = Math.max(0, Math.min(count, room));
  }
  const problem = checkSizeParams(
    cluster,
    { desired: shrinking ? current - count : current + count, strict: !adjustment.best_effort },
    subject.maxNodesPerCluster,
  );
  return problem === null ? { ok: true, count } : { ok: false, reason: problem };
}

/** The `event` of a binding's spec. */
function eventOf(binding: PolicyBindingView): unknown {
  const props = binding.spec.properties;
  return isPlainObject(props) ? props.event : undefined;
}

/** True while a cooldown that started at `lastOp` (ISO text) still runs at `now`. */
export function inCooldown(lastOp: unknown, cooldown: number, now: Date): boolean {
  if (typeof lastOp !== 'string' || lastOp === '') return false;
  const started = Date.parse(lastOp);
  if (Number.isNaN(started)) return false;
  return now.getTime() - started < cooldown * 1000;
}

/** The behaviour of `senlin.policy.scaling`. */
export const scalingBehaviour: PolicyBehaviour = {
  needCheck(when, action: PolicyActionView, binding): boolean {
    if (action.action !== SCALE_IN && action.action !== SCALE_OUT) return false;
    return when === 'AFTER' || eventOf(binding) === action.action;
  },

  async preOp(policy, _binding, action, ctx): Promise<PolicyCheckResult> {
    const adjustment = readScalingAdjustment(policy.properties);
    if (inCooldown(action.inputs.last_op, adjustment.cooldown, ctx.now())) {
      return { ok: false, reason: `Policy ${policy.id} cooldown is still in progress.` };
    }
    const [cluster, members] = await Promise.all([ctx.cluster(), ctx.members()]);
    const decision = decideScaling(adjustment, String(policy.properties.event ?? ''), {
      action: action.action,
      requested: action.inputs.count,
      current: members.length,
      cluster,
      maxNodesPerCluster: ctx.settings.maxNodesPerCluster,
    });
    if (!decision.ok) return decision;
    const key = action.action === SCALE_IN ? 'deletion' : 'creation';
    action.data[key] = { count: decision.count };
    return { ok: true };
  },

  async postOp(_policy, binding, _action, ctx): Promise<PolicyCheckResult> {
    await ctx.setLastOp(binding.bindingId, ctx.now());
    return { ok: true };
  },
};
