/**
 * Creating the server of an `os.nova.server-1.1` node: pooled volumes, ports and fixed IPs are
 * taken first, a golden node's snapshot replaces the image for rapid scale, then the server is
 * made as 1.0 makes it, and the volumes of its block devices are recorded.
 */
import { EResourceCreation } from '../../../common/errors.js';
import { isPlainObject } from '../../../common/spec-schema/index.js';
import type { NodeView, ProfileCallContext, ProfileView } from '../../../engine/contracts.js';
import { NodeDataStore, reasonOf, textOf } from '../../behaviour-support.js';
import { createServer } from '../nova-server/behaviour-create.js';
import { trackData } from './context.js';
import { entriesOf, poolOf } from './devices.js';
import { giveBack, type PoolCall, startPoolCall, takeNetwork, takeVolume } from './pools.js';
import { latestSnapshot } from './snapshots.js';
import { recordDevices, recordedDevices } from './volumes.js';

/** The golden node of a rapid-scale profile for `node`, or null. */
async function goldenNode(
  node: NodeView,
  rapid: Readonly<Record<string, unknown>>,
  ctx: ProfileCallContext,
): Promise<NodeView | null> {
  const named = textOf(rapid.golden_node);
  if (named !== null) return ctx.lookup.findNode(named);
  if (!node.clusterId) return null;
  const role = textOf(rapid.golden_role) ?? 'golden';
  const members = (await ctx.lookup.clusterNodes(node.clusterId)) ?? [];
  return members.find((m) => m.role === role && m.id !== node.id) ?? null;
}

/** The image of the golden node's latest active snapshot, or null (boot from `image`). */
async function rapidScaleImage(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<string | null> {
  const rapid = profile.properties.rapid_scale;
  if (!isPlainObject(rapid)) return null;
  const golden = await goldenNode(node, rapid, ctx);
  if (golden === null || golden.id === node.id) return null;
  const snapshot = latestSnapshot(golden.data);
  if (snapshot === null) return null;
  try {
    const image = await ctx.drivers.image.getImage(snapshot.id);
    return image.status === 'active' ? image.id : null;
  } catch {
    return null;
  }
}

/**
 * The root device Nova needs next to other block devices when the server boots from an
 * image: Nova does not add it by itself to a block device mapping v2 (clients do), and
 * refuses a mapping without a boot device.
 */
async function imageRoot(
  ctx: ProfileCallContext,
  image: string,
  devices: readonly Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  if (devices.length === 0 || devices.some((d) => d.boot_index === 0)) return [];
  const found = await ctx.drivers.image.findImage(image);
  if (found === null) throw new Error(`The specified image '${image}' could not be found`);
  return [
    {
      uuid: found.id,
      source_type: 'image',
      destination_type: 'local',
      boot_index: 0,
      delete_on_termination: true,
    },
  ];
}

/** What 1.0 creates the server from, and the block devices as given for the spec's entries. */
interface Concrete {
  readonly properties: Record<string, unknown>;
  /** The spec's block devices with pools resolved, in spec order (without the root). */
  readonly devices: Record<string, unknown>[];
}

/** The properties 1.0 creates the server from: pools resolved, rapid scale applied. */
async function concreteProperties(
  call: PoolCall,
  profile: ProfileView,
  snapshotImage: string | null,
): Promise<Concrete> {
  const props: Record<string, unknown> = { ...profile.properties };
  delete props.rapid_scale;
  if (snapshotImage !== null) props.image = snapshotImage;
  const devices: Record<string, unknown>[] = [];
  for (const [i, entry] of entriesOf(props.block_device_mapping_v2).entries()) {
    devices.push(poolOf(entry) === null ? { ...entry } : await takeVolume(call, entry, i));
  }
  if (devices.length > 0) {
    const image = textOf(props.image);
    const root = image === null ? [] : await imageRoot(call.ctx, image, devices);
    props.block_device_mapping_v2 = [...root, ...devices];
  }
  const networks = entriesOf(props.networks);
  if (networks.length > 0) {
    const out: Record<string, unknown>[] = [];
    for (const entry of networks) {
      out.push(poolOf(entry) === null ? { ...entry } : await takeNetwork(call, entry));
    }
    props.networks = out;
  }
  return { properties: props, devices };
}

/**
 * Creates the server of `node`. A pool without a free resource fails this node only
 * (EResourceCreation naming the pool); whatever this call took is given back on failure.
 */
export async function createServer11(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<string> {
  const tracked = trackData(node, ctx);
  const call = await startPoolCall(node, ctx);
  let concrete: Concrete;
  let snapshotImage: string | null;
  try {
    snapshotImage = await rapidScaleImage(node, profile, ctx);
    concrete = await concreteProperties(call, profile, snapshotImage);
  } catch (err) {
    await giveBack(call);
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw new EResourceCreation('server', reasonOf(err));
  }
  let serverId: string;
  try {
    serverId = await createServer(
      node,
      { ...profile, properties: concrete.properties },
      tracked.ctx,
    );
  } catch (err) {
    await giveBack(call);
    throw err;
  }
  const store = new NodeDataStore({ ...node, data: tracked.data() }, ctx);
  if (snapshotImage !== null) store.data.rapid_scale_image = snapshotImage;
  else delete store.data.rapid_scale_image;
  store.data.block_devices = {};
  try {
    await recordDevices(
      ctx,
      serverId,
      profile.properties.block_device_mapping_v2,
      recordedDevices(store.data),
      concrete.devices,
    );
  } catch {
    // Only a record for later disk updates: they look the volumes up again when it is missing.
  }
  await store.save();
  return serverId;
}
