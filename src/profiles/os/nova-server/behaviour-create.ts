/** Creating the Nova server of a node. */
import { EResourceCreation, ResourceNotFound } from '../../../common/errors.js';
import { isPlainObject, isTruthy } from '../../../common/spec-schema/index.js';
import type { Resource } from '../../../drivers/types.js';
import type { NodeView, ProfileCallContext, ProfileView } from '../../../engine/contracts.js';
import { NodeDataStore, reasonOf, textOf, throwIfAborted } from '../../behaviour-support.js';
import { deleteServerResources } from './behaviour-delete.js';
import { createPorts, deletePorts, type PortCall } from './behaviour-ports.js';
import {
  type LookupScope,
  resolveBlockDevices,
  resolveFlavor,
  resolveImage,
  resolveKeypair,
} from './behaviour-resolve.js';

/** The metadata senlin gives a server: the spec's plus the node and cluster keys. */
export function serverMetadata(node: NodeView, userMetadata: unknown): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (isPlainObject(userMetadata)) {
    for (const [k, v] of Object.entries(userMetadata)) metadata[k] = String(v);
  }
  metadata.cluster_node_id = node.id;
  if (node.clusterId) {
    metadata.cluster_id = node.clusterId;
    metadata.cluster_node_index = String(node.index);
  }
  return metadata;
}

const PASSED_AS_IS = ['availability_zone', 'config_drive', 'personality', 'scheduler_hints'];

/** The body of the server create request for `node` (ports are made separately). */
async function serverBody(
  node: NodeView,
  profile: ProfileView,
  scope: LookupScope,
): Promise<Record<string, unknown>> {
  const props = profile.properties;
  const body: Record<string, unknown> = {};
  for (const key of PASSED_AS_IS) {
    if (props[key] !== null && props[key] !== undefined) body[key] = structuredClone(props[key]);
  }
  const adminPass = textOf(props.admin_pass);
  if (adminPass !== null) body.adminPass = adminPass;
  body['OS-DCF:diskConfig'] = props.auto_disk_config === false ? 'MANUAL' : 'AUTO';

  const image = textOf(props.image);
  if (image !== null) body.imageRef = (await resolveImage(scope, image)).id;
  body.flavorRef = (await resolveFlavor(scope, textOf(props.flavor) ?? '')).id;
  const keyName = textOf(props.key_name);
  if (keyName !== null) body.key_name = (await resolveKeypair(scope, keyName)).name ?? keyName;
  body.name = textOf(props.name) ?? node.name;
  body.metadata = serverMetadata(node, props.metadata);
  if (Array.isArray(props.block_device_mapping_v2)) {
    body.block_device_mapping_v2 = await resolveBlockDevices(scope, props.block_device_mapping_v2);
  }
  if (props.user_data !== null && props.user_data !== undefined) {
    body.user_data = Buffer.from(String(props.user_data), 'utf8').toString('base64');
  }
  const groups = props.security_groups;
  if (Array.isArray(groups) && groups.length > 0) {
    body.security_groups = groups.map((name) => ({ name: String(name) }));
  }
  const placement = node.data.placement;
  if (isPlainObject(placement)) {
    if (isTruthy(placement.zone)) body.availability_zone = placement.zone;
    if (isTruthy(placement.servergroup)) {
      const hints = isPlainObject(body.scheduler_hints) ? body.scheduler_hints : {};
      body.scheduler_hints = { ...hints, group: placement.servergroup };
    }
  }
  return body;
}

/** Deletes the server (forced, without waiting) when a create is given up; errors ignored. */
async function dropServer(ctx: ProfileCallContext, serverId: string): Promise<void> {
  await ctx.drivers.compute.deleteServer(serverId, { force: true }).catch(() => undefined);
}

async function recordZone(store: NodeDataStore, server: Resource): Promise<void> {
  const zone = server['OS-EXT-AZ:availability_zone'];
  if (!isTruthy(zone)) return;
  const placement = isPlainObject(store.data.placement) ? store.data.placement : {};
  if (placement.zone === undefined || placement.zone === null) placement.zone = zone;
  store.data.placement = placement;
  await store.save();
}

/**
 * Creates the server of `node` from `profile`, waits for it to be ACTIVE and records its
 * availability zone in `data.placement.zone`. On failure the ports made for it and the server
 * are deleted again; EResourceCreation names the server (`resourceId`) if one was made. When
 * the call is aborted, cleanup is started and the signal's reason is raised.
 */
export async function createServer(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
): Promise<string> {
  const store = new NodeDataStore(node, ctx);
  const call: PortCall = { node, ctx, store };
  const scope: LookupScope = { drivers: ctx.drivers, phase: 'create', serverId: null };
  const compute = ctx.drivers.compute;

  const body = await serverBody(node, profile, scope);
  const networks = profile.properties.networks;
  let made: Awaited<ReturnType<typeof createPorts>> = [];
  if (Array.isArray(networks)) {
    made = await createPorts(call, networks, 'create');
    body.networks = made.map((p) => ({ port: p.id }));
  }

  let serverId: string | null = null;
  try {
    throwIfAborted(ctx);
    const server = await compute.createServer(body);
    serverId = server.id;
    await compute.waitForServer(serverId, 'ACTIVE', {
      timeout: ctx.settings.novaTimeout,
      failures: ['ERROR'],
      signal: ctx.signal,
    });
    const active = await compute.getServer(serverId);
    await recordZone(store, active);
    return serverId;
  } catch (err) {
    if (err instanceof ResourceNotFound || ctx.signal.aborted) {
      // The node is gone or the action is over: start the cleanup, do not wait for it.
      if (serverId !== null) await dropServer(ctx, serverId);
      await deletePorts(call, made).catch(() => undefined);
      throw ctx.signal.aborted ? ctx.signal.reason : err;
    }
    if (serverId !== null) {
      const failed: NodeView = { ...node, physicalId: serverId, data: store.data };
      await deleteServerResources(failed, ctx, { store }).catch(() => undefined);
    } else {
      await deletePorts(call, made).catch(() => undefined);
    }
    throw new EResourceCreation('server', reasonOf(err), serverId);
  }
}
