/** What a Nova server node shows (details), how a server is adopted, joins and leaves. */
import { EResourceDeletion, EResourceUpdate } from '../../../common/errors.js';
import { isPlainObject } from '../../../common/spec-schema/index.js';
import type { CloudDrivers, Resource } from '../../../drivers/types.js';
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';
import { errorDetails, isNotFound, reasonOf } from '../../behaviour-support.js';
import { attachedVolumeIds, currentImageId } from './behaviour-resolve.js';

/** Server keys copied into the details when present. */
const KNOWN_KEYS = [
  'OS-DCF:diskConfig',
  'OS-EXT-AZ:availability_zone',
  'OS-EXT-STS:power_state',
  'OS-EXT-STS:vm_state',
  'accessIPv4',
  'accessIPv6',
  'config_drive',
  'created',
  'hostId',
  'id',
  'key_name',
  'locked',
  'metadata',
  'name',
  'os-extended-volumes:volumes_attached',
  'progress',
  'status',
  'updated',
];

/** Server keys shown as '-' when present but empty. */
const DASHED_KEYS = ['OS-EXT-STS:task_state', 'OS-SRV-USG:launched_at', 'OS-SRV-USG:terminated_at'];

/** Metadata keys senlin manages on a server. */
const CLUSTER_KEYS = ['cluster_id', 'cluster_node_id', 'cluster_node_index'];

/** The flavor id of a server (newer Nova only names the flavor). */
async function flavorIdOf(drivers: CloudDrivers, server: Resource): Promise<unknown> {
  const flavor = server.flavor;
  if (!isPlainObject(flavor)) return flavor ?? null;
  if (typeof flavor.id === 'string') return flavor.id;
  const name = flavor.original_name ?? flavor.name;
  if (typeof name !== 'string') return null;
  const found = await drivers.compute.findFlavor(name).catch(() => null);
  return found?.id ?? name;
}

function imageOf(server: Resource): unknown {
  const image = server.image;
  return isPlainObject(image) && 'id' in image ? image.id : (image ?? '');
}

/** The names of a server's security groups, each once. */
function securityGroupNames(server: Resource): string[] {
  const groups = Array.isArray(server.security_groups) ? server.security_groups : [];
  const names: string[] = [];
  for (const g of groups) {
    const name = isPlainObject(g) ? g.name : undefined;
    if (typeof name === 'string' && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Details of the server of `node` for `GET /nodes/{id}?show_details`: `{}` without a physical
 * id, `{Error: {code, message}}` when the server cannot be read, else the server's main keys
 * (sorted) with `image` and `flavor` ids, attached volume ids, addresses and security group
 * names ('' for none, the name for one, else the list).
 */
export async function serverDetails(
  node: NodeView,
  ctx: ProfileCallContext,
): Promise<Record<string, unknown>> {
  if (!node.physicalId) return {};
  let server: Resource;
  try {
    server = await ctx.drivers.compute.getServer(node.physicalId);
  } catch (err) {
    return errorDetails(err);
  }
  const details: Record<string, unknown> = {
    image: imageOf(server),
    attached_volumes: attachedVolumeIds(server),
    flavor: await flavorIdOf(ctx.drivers, server),
  };
  for (const key of KNOWN_KEYS) if (key in server) details[key] = server[key];
  for (const key of DASHED_KEYS) if (key in server) details[key] = server[key] || '-';
  details.addresses = structuredClone(server.addresses ?? {});
  const groups = securityGroupNames(server);
  details.security_groups = groups.length === 0 ? '' : groups.length === 1 ? groups[0] : groups;
  return Object.fromEntries(
    Object.keys(details)
      .sort()
      .map((k) => [k, details[k]]),
  );
}

function configDriveOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return typeof value === 'string' && value.toLowerCase() === 'true';
}

/** One `{network: <name>}` per network where the server has a fixed address. */
function networksOf(server: Resource): { network: string }[] {
  const out: { network: string }[] = [];
  const addresses = isPlainObject(server.addresses) ? server.addresses : {};
  for (const [network, list] of Object.entries(addresses)) {
    const fixed =
      Array.isArray(list) && list.some((a) => isPlainObject(a) && a['OS-EXT-IPS:type'] === 'fixed');
    if (fixed) out.push({ network });
  }
  return out;
}

/**
 * The spec properties describing the existing server `physicalId` (node adopt), with
 * `overrides` applied; `{Error: {code, message}}` when the server cannot be read.
 */
export async function adoptServer(
  physicalId: string,
  ctx: ProfileCallContext,
  overrides: Readonly<Record<string, unknown>> | null | undefined,
): Promise<Record<string, unknown>> {
  let server: Resource;
  let image: string | null;
  try {
    server = await ctx.drivers.compute.getServer(physicalId);
    image = await currentImageId(ctx.drivers, server);
  } catch (err) {
    return errorDetails(err);
  }
  if (image === null) {
    const message = "server doesn't have an image and it has no bootable volume";
    return { Error: { code: 500, message } };
  }
  const metadata = isPlainObject(server.metadata) ? { ...server.metadata } : {};
  for (const key of CLUSTER_KEYS) delete metadata[key];
  const spec: Record<string, unknown> = {
    auto_disk_config: server['OS-DCF:diskConfig'] === 'AUTO',
    availability_zone: server['OS-EXT-AZ:availability_zone'] ?? null,
    block_device_mapping_v2: Array.isArray(server.block_device_mapping_v2)
      ? server.block_device_mapping_v2
      : [],
    config_drive: configDriveOf(server.config_drive),
    flavor: await flavorIdOf(ctx.drivers, server),
    image,
    key_name: server.key_name ?? null,
    metadata,
    name: server.name ?? null,
    networks: networksOf(server),
    security_groups: securityGroupNames(server),
  };
  return { ...spec, ...(overrides ?? {}) };
}

/**
 * Marks the server of `node` as a member of `clusterId`: sets the metadata `cluster_id` and
 * `cluster_node_index` (the index the node gets in the cluster), keeping the other keys.
 * False without a physical id; failures raise EResourceUpdate.
 */
export async function joinServer(
  node: NodeView,
  ctx: ProfileCallContext,
  clusterId: string,
): Promise<boolean> {
  const serverId = node.physicalId;
  if (!serverId) return false;
  const compute = ctx.drivers.compute;
  try {
    const current = await compute.getServerMetadata(serverId);
    await compute.setServerMetadata(serverId, {
      ...current,
      cluster_node_id: node.id,
      cluster_id: clusterId,
      cluster_node_index: String(node.index),
    });
  } catch (err) {
    throw new EResourceUpdate('server', serverId, reasonOf(err));
  }
  return true;
}

/**
 * Removes the cluster keys from the server's metadata. False without a physical id; a server
 * that is gone has nothing to remove; other failures raise EResourceDeletion.
 */
export async function leaveServer(node: NodeView, ctx: ProfileCallContext): Promise<boolean> {
  const serverId = node.physicalId;
  if (!serverId) return false;
  const compute = ctx.drivers.compute;
  try {
    const current = await compute.getServerMetadata(serverId);
    const keys = ['cluster_id', 'cluster_node_index'].filter((k) => k in current);
    if (keys.length > 0) await compute.deleteServerMetadata(serverId, keys);
  } catch (err) {
    if (isNotFound(err)) return true;
    throw new EResourceDeletion('server', serverId, reasonOf(err));
  }
  return true;
}
