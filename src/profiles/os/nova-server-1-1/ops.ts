/**
 * The operations `os.nova.server-1.1` adds: cold and live migration, drain of a host, snapshot
 * and restore. Each waits for the server to settle (confirming a cold migration) and fails with
 * EResourceOperation naming the server. The 1.0 operations run as in 1.0.
 */
import { EResourceOperation } from '../../../common/errors.js';
import type { Resource } from '../../../drivers/types.js';
import type { NodeView, ProfileCallContext, ProfileView } from '../../../engine/contracts.js';
import { NodeDataStore, textOf } from '../../behaviour-support.js';
import {
  guarded,
  type OpCall,
  type OpHandler,
  serverOperation,
  waitFor,
} from '../nova-server/behaviour-ops.js';
import { latestSnapshot, snapshotsOf } from './snapshots.js';

const HOST = 'OS-EXT-SRV-ATTR:host';

type Params = Readonly<Record<string, unknown>>;

/**
 * Waits for `status` with no task left on the server: Nova shows a moved server in its old
 * status for a while (task `migrating`, `resize_finish` …) before its new host is final.
 */
async function waitSettled(o: OpCall, status: string): Promise<Resource> {
  const deadline = Date.now() + o.ctx.settings.novaTimeout * 1000;
  for (;;) {
    const server = await waitFor(o, status);
    if (!textOf(server['OS-EXT-STS:task_state'])) return server;
    if (Date.now() > deadline) {
      throw new Error(`the server is still busy with ${String(server['OS-EXT-STS:task_state'])}`);
    }
    await o.ctx.sleep(1);
  }
}

function hostOf(server: Resource): string | null {
  return textOf(server[HOST]);
}

/** The host of a server; moving servers needs an administrator, who sees it. */
function visibleHost(server: Resource): string {
  const host = hostOf(server);
  if (host === null) {
    throw new Error('the host of the server is not visible: moving servers needs an administrator');
  }
  return host;
}

/** The status a moved server comes back in: stopped servers stay stopped. */
function settledStatus(server: Resource): string {
  return server.status === 'SHUTOFF' ? 'SHUTOFF' : server.status === 'PAUSED' ? 'PAUSED' : 'ACTIVE';
}

async function coldMigrate(o: OpCall, target: string | null): Promise<void> {
  const compute = o.ctx.drivers.compute;
  const before = await compute.getServer(o.serverId);
  await compute.migrateServer(o.serverId, target === null ? {} : { host: target });
  await waitFor(o, 'VERIFY_RESIZE');
  await compute.confirmServerResize(o.serverId);
  const after = await waitSettled(o, settledStatus(before));
  const from = hostOf(before);
  if (from !== null && hostOf(after) === from) {
    throw new Error(`the server is still on host ${from}`);
  }
}

async function liveMigrate(o: OpCall, target: string | null, block: unknown): Promise<void> {
  const compute = o.ctx.drivers.compute;
  const before = await compute.getServer(o.serverId);
  const blockMigration = block === 'true' ? true : block === 'false' ? false : 'auto';
  await compute.liveMigrateServer(o.serverId, { host: target, blockMigration });
  // The server is MIGRATING until Nova is done; a failed migration leaves it where it was.
  const after = await waitSettled(o, settledStatus(before));
  const from = hostOf(before);
  if (from !== null && hostOf(after) === from) {
    throw new Error(`the live migration left the server on host ${from}`);
  }
}

async function evacuate(o: OpCall, target: string | null): Promise<void> {
  const compute = o.ctx.drivers.compute;
  const before = await compute.getServer(o.serverId);
  await compute.evacuateServer(o.serverId, target === null ? {} : { host: target });
  await waitSettled(o, before.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE');
}

/** True when the compute service of `host` is down (its servers can only be evacuated). */
async function hostDown(o: OpCall, host: string): Promise<boolean> {
  const services = await o.ctx.drivers.compute.listServices({ binary: 'nova-compute', host });
  return services.some((s) => s.state === 'down' || s.forced_down === true);
}

/** Moves the server off `host` if it is there: live, cold, or by evacuation. */
async function drain(o: OpCall, params: Params): Promise<void> {
  const host = textOf(params.host);
  if (host === null) throw new Error('no host given');
  const target = textOf(params.target);
  const server = await o.ctx.drivers.compute.getServer(o.serverId);
  if (visibleHost(server) !== host) return;
  if (await hostDown(o, host)) await evacuate(o, target);
  else if (server.status === 'ACTIVE' || server.status === 'PAUSED') {
    await liveMigrate(o, target, 'auto');
  } else await coldMigrate(o, target);
}

async function snapshot(o: OpCall, params: Params): Promise<void> {
  const { compute, image } = o.ctx.drivers;
  const before = await compute.getServer(o.serverId);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const name = textOf(params.name) ?? `${o.node.name}-${stamp}`;
  const imageId = await compute.createServerImage(o.serverId, name, {
    cluster_node_id: o.node.id,
  });
  await image.waitForImage(imageId, 'active', {
    timeout: o.ctx.settings.novaTimeout,
    signal: o.ctx.signal,
  });
  await waitFor(o, String(before.status));
  const store = new NodeDataStore(o.node, o.ctx);
  const created = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  store.data.snapshots = [
    ...snapshotsOf(store.data),
    { id: imageId, name, server_id: o.serverId, created_at: created },
  ];
  await store.save();
}

async function restore(o: OpCall, params: Params): Promise<void> {
  const { compute, image } = o.ctx.drivers;
  const wanted = textOf(params.image);
  let imageId: string;
  if (wanted !== null) {
    const found = await image.findImage(wanted);
    if (found === null) throw new Error(`The specified image '${wanted}' could not be found`);
    imageId = found.id;
  } else {
    const latest = latestSnapshot(o.node.data);
    if (latest === null) throw new Error('the node has no snapshot to restore');
    imageId = latest.id;
  }
  const before = await compute.getServer(o.serverId);
  await compute.rebuildServer(o.serverId, {
    image: imageId,
    name: textOf(o.profile.properties.name) ?? o.node.name,
    adminPass: textOf(o.profile.properties.admin_pass),
  });
  await waitFor(o, before.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE');
}

const HANDLERS: Readonly<Record<string, OpHandler>> = {
  migrate: (o, p) => guarded(o, 'migrate', () => coldMigrate(o, textOf(p.host))),
  live_migrate: (o, p) =>
    guarded(o, 'live_migrate', () => liveMigrate(o, textOf(p.host), p.block_migration)),
  drain: (o, p) => guarded(o, 'drain', () => drain(o, p)),
  snapshot: (o, p) => guarded(o, 'snapshot', () => snapshot(o, p)),
  restore: (o, p) => guarded(o, 'restore', () => restore(o, p)),
};

/** Runs operation `name` on the server of `node`: 1.1's own, else as 1.0 does. */
export async function serverOperation11(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
  name: string,
  params: Params,
): Promise<void> {
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (handler === undefined) {
    await serverOperation(node, profile, ctx, name, params);
    return;
  }
  if (!node.physicalId) {
    throw new EResourceOperation(name, 'server', node.id, 'the node has no server');
  }
  await handler({ node, profile, ctx, serverId: node.physicalId }, params);
}
