/** Moving a Nova server from one profile to another (NODE_UPDATE). */
import { EResourceUpdate } from '../../../common/errors.js';
import type { NodeView, ProfileCallContext, ProfileView } from '../../../engine/contracts.js';
import { canUpdate, NodeDataStore, reasonOf, sameValue, textOf } from '../../behaviour-support.js';
import { serverMetadata } from './behaviour-create.js';
import { currentImageId, resolveFlavor, resolveImage } from './behaviour-resolve.js';
import { updateNetworks } from './behaviour-update-network.js';
import {
  stopForChange,
  type UpdateCall,
  updateStep,
  waitServer,
} from './behaviour-update-steps.js';
import { novaServerSchema } from './schema.js';

async function updateImage(u: UpdateCall, name: string, adminPass: string): Promise<boolean> {
  const wanted = textOf(u.next.properties.image);
  if (wanted === null) {
    if (textOf(u.current.properties.image) === null) return false;
    throw new EResourceUpdate(
      'server',
      u.serverId,
      'Updating Nova server with image set to None is not supported by Nova',
    );
  }
  const image = await resolveImage(u.scope, wanted);
  return updateStep(u, async () => {
    const server = await u.ctx.drivers.compute.getServer(u.serverId);
    if ((await currentImageId(u.ctx.drivers, server)) === image.id) return false;
    await stopForChange(u, 'image');
    await u.ctx.drivers.compute.rebuildServer(u.serverId, {
      image: image.id,
      name,
      adminPass: adminPass === '' ? null : adminPass,
    });
    await waitServer(u, 'SHUTOFF');
    return true;
  });
}

async function revertResize(u: UpdateCall, reason: string): Promise<never> {
  const compute = u.ctx.drivers.compute;
  let message = reason;
  try {
    const server = await compute.getServer(u.serverId);
    if (server.status === 'RESIZE' || server.status === 'VERIFY_RESIZE') {
      await compute.revertServerResize(u.serverId);
      await waitServer(u, 'SHUTOFF');
    }
    await compute.serverAction(u.serverId, 'start');
    await waitServer(u, 'ACTIVE');
  } catch (err) {
    if (u.ctx.signal.aborted) throw u.ctx.signal.reason;
    message = reasonOf(err);
  }
  throw new EResourceUpdate('server', u.serverId, message);
}

async function updateFlavor(u: UpdateCall): Promise<boolean> {
  const oldName = textOf(u.current.properties.flavor) ?? '';
  const newName = textOf(u.next.properties.flavor) ?? '';
  if (oldName === newName) return false;
  const oldFlavor = await resolveFlavor(u.scope, oldName);
  const newFlavor = await resolveFlavor(u.scope, newName);
  if (oldFlavor.id === newFlavor.id) return false;
  const compute = u.ctx.drivers.compute;
  await updateStep(u, () => stopForChange(u, 'flavor'));
  try {
    await compute.resizeServer(u.serverId, newFlavor.id);
    await waitServer(u, 'VERIFY_RESIZE');
  } catch (err) {
    if (u.ctx.signal.aborted) throw u.ctx.signal.reason;
    await revertResize(u, reasonOf(err));
  }
  await updateStep(u, async () => {
    await compute.confirmServerResize(u.serverId);
    await waitServer(u, 'SHUTOFF');
  });
  return true;
}

async function updateMetadata(u: UpdateCall): Promise<void> {
  const before = serverMetadata(u.node, u.current.properties.metadata);
  const after = serverMetadata(u.node, u.next.properties.metadata);
  if (sameValue(before, after)) return;
  await updateStep(u, () => u.ctx.drivers.compute.setServerMetadata(u.serverId, after));
}

function stopTimeoutOf(
  serverId: string,
  params: Readonly<Record<string, unknown>>,
  fallback: number,
) {
  const raw = params['cluster.stop_timeout_before_update'];
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw)) {
    throw new EResourceUpdate(
      'server',
      serverId,
      'cluster.stop_timeout_before_update value must be of type int',
    );
  }
  return raw;
}

/**
 * Updates the server of `node` from `current` to `next`: false without a server or when a
 * property that cannot change differs. Changes in this order: image (rebuild, which also sets
 * name and password), else name and administrator password; flavor (resize, reverted on
 * failure); networks; metadata; then starts the server again if the update stopped it.
 */
export async function updateServer(
  node: NodeView,
  current: ProfileView,
  next: ProfileView,
  ctx: ProfileCallContext,
  params: Readonly<Record<string, unknown>>,
): Promise<boolean> {
  const serverId = node.physicalId;
  if (!serverId) return false;
  // The administrator password is applied on update although the schema, as upstream's,
  // does not mark it updatable.
  if (!canUpdate(novaServerSchema, current, next, ['admin_pass'])) return false;
  const u: UpdateCall = {
    node,
    current,
    next,
    ctx,
    serverId,
    stopTimeout: stopTimeoutOf(serverId, params, ctx.settings.novaTimeout),
    store: new NodeDataStore(node, ctx),
    scope: { drivers: ctx.drivers, phase: 'update', serverId },
  };
  const compute = ctx.drivers.compute;
  const oldName = textOf(current.properties.name) ?? node.name;
  const newName = textOf(next.properties.name) ?? node.name;
  const oldPass = textOf(current.properties.admin_pass) ?? '';
  const newPass = textOf(next.properties.admin_pass) ?? '';

  const imageChanged = await updateImage(u, newName, newPass);
  if (!imageChanged) {
    if (oldName !== newName)
      await updateStep(u, () => compute.updateServer(serverId, { name: newName }));
    if (oldPass !== newPass && newPass !== '') {
      await updateStep(u, () => compute.changeServerPassword(serverId, newPass));
    }
  }
  const flavorChanged = await updateFlavor(u);
  const { removed } = await updateNetworks(u);
  await updateMetadata(u);
  if (imageChanged || flavorChanged || removed) {
    await updateStep(u, async () => {
      const server = await compute.getServer(serverId);
      if (server.status === 'SHUTOFF') {
        await compute.serverAction(serverId, 'start');
        await waitServer(u, 'ACTIVE');
      }
    });
  }
  return true;
}
