/**
 * What the batch policy does before a cluster update (engine contract §5.8): splits the
 * members into batches that are updated one after another, bad nodes first, with a pause
 * between batches.
 */
import { filterErrorNodes, type VictimCandidate } from '../common/scaling.js';
import type { PolicyBehaviour, PolicyCheckResult } from '../engine/contracts.js';

/**
 * Nodes per batch when `total` nodes are updated: all but `minInService` of them, or half
 * (rounded up) when there are no more than `minInService`; never above `maxBatchSize`
 * (-1: no limit).
 */
export function batchSize(total: number, minInService: number, maxBatchSize: number): number {
  const size = total > minInService ? total - minInService : Math.ceil(total / 2);
  return maxBatchSize === -1 || size < maxBatchSize ? size : maxBatchSize;
}

/**
 * The update plan: node ids in batches of {@link batchSize}, ERROR/WARNING/tainted nodes and
 * nodes never created first, then the healthy ones in their given order.
 */
export function planBatches(
  nodes: readonly VictimCandidate[],
  minInService: number,
  maxBatchSize: number,
): string[][] {
  if (nodes.length === 0) return [];
  const size = Math.max(1, batchSize(nodes.length, minInService, maxBatchSize));
  const { bad, good } = filterErrorNodes(nodes);
  const ordered = [...bad, ...good.map((n) => n.id)];
  const plan: string[][] = [];
  for (let start = 0; start < ordered.length; start += size) {
    plan.push(ordered.slice(start, start + size));
  }
  return plan;
}

function intOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** The behaviour of `senlin.policy.batch`. */
export const batchBehaviour: PolicyBehaviour = {
  async preOp(policy, _binding, action, ctx): Promise<PolicyCheckResult> {
    const p = policy.properties;
    const members = await ctx.members();
    action.data.update = {
      pause_time: intOr(p.pause_time, 60),
      plan: planBatches(members, intOr(p.min_in_service, 1), intOr(p.max_batch_size, -1)),
    };
    return { ok: true };
  },
};
