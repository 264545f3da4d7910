/**
 * Which node a resource event is about: the node whose `physical_id` is the event's resource,
 * else the node named by the resource's `cluster_node_id` metadata (set by the Nova profile).
 * An event naming another cluster in its metadata, or another project than the node's, is not
 * about the node.
 */
import { decodeNode, type NodeRecord } from '../db/queries/nodes.js';
import type { EngineServices } from '../engine/services.js';
import type { ResourceEvent } from '../messaging/types.js';

/** The cluster member an event is about, or null. */
export async function findEventNode(
  svc: EngineServices,
  event: ResourceEvent,
): Promise<NodeRecord | null> {
  let node: NodeRecord | null = null;
  if (event.physicalId !== '') {
    const row = await svc.db.retry((k) =>
      k
        .selectFrom('node')
        .selectAll()
        .where('physical_id', '=', event.physicalId)
        .where('cluster_id', '!=', '')
        .executeTakeFirst(),
    );
    node = row ? decodeNode(row) : null;
  }
  const named = event.metadata.cluster_node_id;
  if (!node && typeof named === 'string' && named !== '') {
    const row = await svc.db.retry((k) =>
      k.selectFrom('node').selectAll().where('id', '=', named).executeTakeFirst(),
    );
    node = row ? decodeNode(row) : null;
  }
  if (!node || node.clusterId === '') return null;
  const cluster = event.metadata.cluster_id;
  if (typeof cluster === 'string' && cluster !== '' && cluster !== node.clusterId) return null;
  if (event.projectId && node.project && event.projectId !== node.project) return null;
  return node;
}
