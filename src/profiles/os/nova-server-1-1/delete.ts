/**
 * Deleting the server of an `os.nova.server-1.1` node: as 1.0, then the volumes senlin made on
 * disk updates are deleted and pooled resources go back to their pools (sticky ones stay with
 * the node until the node itself is gone).
 */
import { EResourceDeletion } from '../../../common/errors.js';
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';
import { isNotFound, NodeDataStore, reasonOf } from '../../behaviour-support.js';
import {
  type DeleteServerOptions,
  deleteServerResources,
} from '../nova-server/behaviour-delete.js';
import { trackData } from './context.js';
import { returnToPools } from './pools.js';
import { recordedDevices } from './volumes.js';

async function deleteMadeVolumes(node: NodeView, ctx: ProfileCallContext): Promise<void> {
  const store = new NodeDataStore(node, ctx);
  const records = recordedDevices(store.data);
  const storage = ctx.drivers.blockStorage;
  const wait = { timeout: ctx.settings.novaTimeout, signal: ctx.signal };
  for (const [key, record] of Object.entries(records)) {
    if (record.created === true) {
      try {
        await storage.waitForVolume(record.volume_id, 'available', wait);
        await storage.deleteVolume(record.volume_id);
      } catch (err) {
        if (!isNotFound(err)) {
          throw new EResourceDeletion('volume', record.volume_id, reasonOf(err));
        }
      }
    }
    delete records[key];
  }
  await store.save();
}

/** Deletes the server of `node` and what 1.1 made or took for it. */
export async function deleteServer11(
  node: NodeView,
  ctx: ProfileCallContext,
  options: Omit<DeleteServerOptions, 'store'>,
): Promise<void> {
  const tracked = trackData(node, ctx);
  await deleteServerResources(node, tracked.ctx, options);
  const after: NodeView = { ...node, data: tracked.data() };
  await deleteMadeVolumes(after, ctx);
  await returnToPools(after, ctx, true);
}
