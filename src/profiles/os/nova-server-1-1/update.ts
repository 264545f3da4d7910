/**
 * Updating the server of an `os.nova.server-1.1` node: what 1.0 updates (image, name,
 * password, flavor with resize, networks, metadata), then the block devices.
 */
import { EResourceUpdate, SenlinError } from '../../../common/errors.js';
import type { NodeView, ProfileCallContext, ProfileView } from '../../../engine/contracts.js';
import { canUpdate, NodeDataStore, reasonOf, sameValue } from '../../behaviour-support.js';
import { updateServer } from '../nova-server/behaviour-update.js';
import { trackData } from './context.js';
import { entriesOf, poolOf } from './devices.js';
import { disksDiffer, updateDisks } from './disks.js';
import { novaServer11Schema } from './schema.js';

/** The profile as 1.0 sees it: no 1.1-only property, and the block devices of `devices`. */
function asVersion10(profile: ProfileView, devices: unknown): ProfileView {
  const { rapid_scale: _rapid, ...properties } = profile.properties;
  return { ...profile, properties: { ...properties, block_device_mapping_v2: devices } };
}

const pooled = (networks: unknown) => entriesOf(networks).some((e) => poolOf(e) !== null);

/**
 * Updates the server of `node` from `current` to `next`: false without a server or when a
 * property that cannot change differs. Networks taking from a pool cannot change.
 */
export async function updateServer11(
  node: NodeView,
  current: ProfileView,
  next: ProfileView,
  ctx: ProfileCallContext,
  params: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  const serverId = node.physicalId;
  if (!serverId) return false;
  if (!canUpdate(novaServer11Schema, current, next, ['admin_pass'])) return false;
  const oldNets = current.properties.networks;
  const newNets = next.properties.networks;
  if (!sameValue(oldNets, newNets) && (pooled(oldNets) || pooled(newNets))) {
    throw new EResourceUpdate(
      'server',
      serverId,
      'Network entries that take a port or fixed IP from a pool cannot be updated',
    );
  }
  const oldDisks = current.properties.block_device_mapping_v2;
  const newDisks = next.properties.block_device_mapping_v2;
  const tracked = trackData(node, ctx);
  const ok = await updateServer(
    node,
    asVersion10(current, oldDisks),
    asVersion10(next, oldDisks),
    tracked.ctx,
    params,
  );
  if (!ok || !disksDiffer(oldDisks, newDisks)) return ok;
  const store = new NodeDataStore({ ...node, data: tracked.data() }, ctx);
  try {
    await updateDisks({ node, ctx, serverId, store }, oldDisks, newDisks);
  } catch (err) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (err instanceof SenlinError) throw err;
    throw new EResourceUpdate('server', serverId, reasonOf(err));
  }
  return true;
}
