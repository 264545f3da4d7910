/** Checking a Nova server node: NODE_CHECK and the health manager's polling. */
import { EResourceOperation, EServerNotFound } from '../../../common/errors.js';
import type { Resource } from '../../../drivers/types.js';
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';
import { isNotFound, reasonOf } from '../../behaviour-support.js';

/** Server statuses that make a node unhealthy under NODE_STATUS_POLLING. */
const UNHEALTHY_STATUSES = ['ERROR', 'SHUTOFF', 'DELETED'];

/**
 * True when the server of `node` is ACTIVE; false without a physical id. A server that is gone
 * raises EServerNotFound, other failures EResourceOperation.
 */
export async function checkServer(node: NodeView, ctx: ProfileCallContext): Promise<boolean> {
  const serverId = node.physicalId;
  if (!serverId) return false;
  let server: Resource;
  try {
    server = await ctx.drivers.compute.getServer(serverId);
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (isNotFound(err)) throw new EServerNotFound(serverId, reasonOf(err));
    throw new EResourceOperation('checking', 'server', serverId, reasonOf(err));
  }
  return server.status === 'ACTIVE';
}

/** The hypervisor called `hostname`, null when there is none; several raise. */
async function findHypervisor(ctx: ProfileCallContext, hostname: string): Promise<Resource | null> {
  const found = await ctx.drivers.compute.listHypervisors({ hostnamePattern: hostname });
  const exact = found.filter((h) => h.hypervisor_hostname === hostname);
  if (exact.length > 1) throw new Error(`More than one hypervisor is called ${hostname}`);
  return exact[0] ?? null;
}

async function hypervisorHealthy(ctx: ProfileCallContext, server: Resource): Promise<boolean> {
  const hostname = server['OS-EXT-SRV-ATTR:hypervisor_hostname'];
  if (typeof hostname !== 'string' || hostname === '') return true;
  let hypervisor: Resource | null;
  try {
    hypervisor = await findHypervisor(ctx, hostname);
  } catch (err) {
    // Only a hypervisor known to be missing counts against the node.
    return !isNotFound(err);
  }
  if (hypervisor === null) return false;
  return hypervisor.state !== 'down' && hypervisor.status !== 'disabled';
}

/**
 * Health of a server node for the health manager. Without a physical id the node is healthy
 * only while it is being built. A server that is gone is unhealthy; other failures to read it
 * count as healthy. NODE_STATUS_POLLING: unhealthy when ERROR, SHUTOFF or DELETED.
 * HYPERVISOR_STATUS_POLLING: unhealthy when its hypervisor is missing, down or disabled. Other
 * detection types are healthy.
 */
export async function serverHealthy(
  node: NodeView,
  ctx: ProfileCallContext,
  detection: string,
): Promise<boolean> {
  const serverId = node.physicalId;
  if (!serverId) return node.status === 'BUILD' || node.status === 'CREATING';
  let server: Resource;
  try {
    server = await ctx.drivers.compute.getServer(serverId);
  } catch (err) {
    return !isNotFound(err);
  }
  if (detection === 'NODE_STATUS_POLLING') {
    return !UNHEALTHY_STATUSES.includes(String(server.status));
  }
  if (detection === 'HYPERVISOR_STATUS_POLLING') return hypervisorHealthy(ctx, server);
  return true;
}
