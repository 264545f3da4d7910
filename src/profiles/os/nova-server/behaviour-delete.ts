/** Deleting the Nova server of a node, with the ports and floating IPs senlin made for it. */
import { EResourceDeletion } from '../../../common/errors.js';
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';
import { isNotFound, NodeDataStore, reasonOf } from '../../behaviour-support.js';
import { deletePorts } from './behaviour-ports.js';

/** Options of a server delete. */
export interface DeleteServerOptions {
  /** Force-delete (e.g. when the compute host is fenced). */
  readonly force?: boolean;
  /** Seconds to wait for each server to disappear (default: `novaTimeout`). */
  readonly timeout?: number | null;
  /** The node data store to record port changes in (one is made when absent). */
  readonly store?: NodeDataStore;
}

/**
 * The servers of a node: its physical id and any server whose metadata names the node as
 * `cluster_node_id` (a create interrupted before the server id was recorded). Listing failures
 * are only tolerated when the physical id is known.
 */
async function serversOf(node: NodeView, ctx: ProfileCallContext): Promise<string[]> {
  const ids = node.physicalId ? [node.physicalId] : [];
  // Listing servers is expensive in a large project: only a node whose server may exist
  // without being recorded (no physical id yet, or a recreate under way) needs it.
  if (node.physicalId && node.data.recreating !== true) return ids;
  try {
    const tagged = await ctx.drivers.compute.listServers({
      metadata: { cluster_node_id: node.id },
    });
    for (const server of tagged) if (!ids.includes(server.id)) ids.push(server.id);
  } catch (err) {
    if (!node.physicalId) throw new EResourceDeletion('server', node.id, reasonOf(err));
  }
  return ids;
}

/**
 * Deletes the servers of `node` (see `serversOf`), waits until they are gone, then deletes the
 * ports and floating IPs senlin created and stores the shrunken `internal_ports` (also when a
 * server delete failed). A server already gone is fine. Failures raise EResourceDeletion; an
 * aborted call raises the signal's reason after the port cleanup.
 */
export async function deleteServerResources(
  node: NodeView,
  ctx: ProfileCallContext,
  options: DeleteServerOptions = {},
): Promise<void> {
  const compute = ctx.drivers.compute;
  const store = options.store ?? new NodeDataStore(node, ctx);
  const timeout = options.timeout ?? ctx.settings.novaTimeout;
  let failure: unknown = null;
  let current = node.physicalId ?? node.id;
  try {
    for (const id of await serversOf(node, ctx)) {
      current = id;
      try {
        await compute.deleteServer(id, { force: options.force === true });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      await compute.waitForServerDelete(id, { timeout, signal: ctx.signal });
    }
  } catch (err) {
    failure = err;
  }
  try {
    await deletePorts({ node, ctx, store });
  } catch (err) {
    failure ??= err;
  }
  if (failure === null) return;
  if (ctx.signal.aborted) throw ctx.signal.reason;
  if (failure instanceof EResourceDeletion) throw failure;
  throw new EResourceDeletion('server', current, reasonOf(failure));
}
