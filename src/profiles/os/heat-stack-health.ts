/** Health of a Heat stack node for the health manager's polling. */
import type { NodeView, ProfileCallContext } from '../../engine/contracts.js';
import { isNotFound } from '../behaviour-support.js';

/**
 * Health of the stack of `node` (upstream counted every stack healthy: engine contract §17
 * item 13). NODE_STATUS_POLLING: a stack that is gone, being deleted or deleted, or whose last
 * operation failed (`*_FAILED`) is unhealthy; any other status is healthy. Other detection
 * types do not apply to stacks and are healthy. Failures to read the stack other than "not
 * found" are raised (the health manager cannot tell then).
 */
export async function stackHealthy(
  node: NodeView,
  ctx: ProfileCallContext,
  detection: string,
): Promise<boolean> {
  if (detection !== 'NODE_STATUS_POLLING') return true;
  const stackId = node.physicalId;
  if (!stackId) return node.status === 'CREATING';
  let status: string;
  try {
    status = String((await ctx.drivers.orchestration.getStack(stackId)).stack_status ?? '');
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  return !status.endsWith('_FAILED') && !status.startsWith('DELETE_');
}
