/** The operations of a Nova server node (`os.nova.server` operations) and its recovery. */
import { EResourceOperation } from '../../../common/errors.js';
import { isPlainObject } from '../../../common/spec-schema/index.js';
import type { Resource, ServerSimpleAction } from '../../../drivers/types.js';
import type {
  NodeView,
  ProfileBehaviour,
  ProfileCallContext,
  ProfileView,
  RecoverOptions,
} from '../../../engine/contracts.js';
import { isTrueFlag, reasonOf, recreateResource, textOf } from '../../behaviour-support.js';
import { currentImageId } from './behaviour-resolve.js';

/** One operation call on a server. */
export interface OpCall {
  readonly node: NodeView;
  readonly profile: ProfileView;
  readonly ctx: ProfileCallContext;
  readonly serverId: string;
}

/** The handler of one named operation. */
export type OpHandler = (o: OpCall, params: Readonly<Record<string, unknown>>) => Promise<void>;

/** Runs `work` as operation `op`; failures raise EResourceOperation (or the abort reason). */
export async function guarded(o: OpCall, op: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (o.ctx.signal.aborted) throw o.ctx.signal.reason;
    if (err instanceof EResourceOperation) throw err;
    throw new EResourceOperation(op, 'server', o.serverId, reasonOf(err));
  }
}

/** Waits for the server to reach `status` (ERROR fails), within the Nova timeout. */
export function waitFor(o: OpCall, status: string): Promise<Resource> {
  return o.ctx.drivers.compute.waitForServer(o.serverId, status, {
    timeout: o.ctx.settings.novaTimeout,
    failures: ['ERROR'],
    signal: o.ctx.signal,
  });
}

function simple(action: ServerSimpleAction, waitStatus: string | null): OpHandler {
  return (o) =>
    guarded(o, action, async () => {
      await o.ctx.drivers.compute.serverAction(o.serverId, action);
      if (waitStatus !== null) await waitFor(o, waitStatus);
    });
}

async function reboot(o: OpCall, type: unknown): Promise<void> {
  const kind = typeof type === 'string' ? type.toUpperCase() : '';
  if (kind !== 'SOFT' && kind !== 'HARD') {
    throw new EResourceOperation(
      'rebooting',
      'server',
      o.serverId,
      `invalid reboot type '${String(type)}'`,
    );
  }
  await guarded(o, 'rebooting', async () => {
    await o.ctx.drivers.compute.getServer(o.serverId);
    await o.ctx.drivers.compute.rebootServer(o.serverId, kind);
    await waitFor(o, 'ACTIVE');
  });
}

async function rebuild(o: OpCall, image: string | null): Promise<void> {
  await guarded(o, 'rebuilding', async () => {
    const compute = o.ctx.drivers.compute;
    const server = await compute.getServer(o.serverId);
    const imageId = image ?? (await currentImageId(o.ctx.drivers, server));
    if (imageId === null)
      throw new Error("server doesn't have an image and it has no bootable volume");
    await compute.rebuildServer(o.serverId, {
      image: imageId,
      name: textOf(o.profile.properties.name) ?? o.node.name,
      adminPass: textOf(o.profile.properties.admin_pass),
    });
    await waitFor(o, 'ACTIVE');
  });
}

const HANDLERS: Readonly<Record<string, OpHandler>> = {
  reboot: (o, p) => reboot(o, p.type ?? 'SOFT'),
  rebuild: (o) => rebuild(o, null),
  change_password: async (o, p) => {
    const password = p.admin_pass;
    if (typeof password !== 'string' || password === '') {
      throw new EResourceOperation('change_password', 'server', o.serverId, 'no admin_pass given');
    }
    await guarded(o, 'change_password', () =>
      o.ctx.drivers.compute.changeServerPassword(o.serverId, password),
    );
  },
  pause: simple('pause', 'PAUSED'),
  unpause: simple('unpause', 'ACTIVE'),
  suspend: simple('suspend', 'SUSPENDED'),
  resume: simple('resume', 'ACTIVE'),
  lock: simple('lock', null),
  unlock: simple('unlock', null),
  start: simple('start', 'ACTIVE'),
  stop: simple('stop', 'SHUTOFF'),
  rescue: (o, p) =>
    guarded(o, 'rescue', async () => {
      const wanted = textOf(p.image_ref);
      let imageRef: string | undefined;
      if (wanted !== null) {
        const image = await o.ctx.drivers.image.findImage(wanted);
        if (image === null) throw new Error(`The specified image '${wanted}' could not be found`);
        imageRef = image.id;
      }
      await o.ctx.drivers.compute.rescueServer(
        o.serverId,
        imageRef === undefined ? {} : { imageRef },
      );
      await waitFor(o, 'RESCUE');
    }),
  unrescue: simple('unrescue', 'ACTIVE'),
  evacuate: (o, p) =>
    guarded(o, 'evacuate', async () => {
      const compute = o.ctx.drivers.compute;
      const before = await compute.getServer(o.serverId);
      const options: { host?: string; force?: boolean } = {};
      const host = textOf(p.host);
      if (host !== null) options.host = host;
      if (p.force !== undefined && p.force !== null) options.force = isTrueFlag(p.force);
      await compute.evacuateServer(o.serverId, options);
      // An evacuated server comes back in the power state it had.
      await waitFor(o, before.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE');
    }),
};

/** Runs operation `name` on the server of `node` (see the type's `operations`). */
export async function serverOperation(
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
  name: string,
  params: Readonly<Record<string, unknown>>,
): Promise<void> {
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  const target = node.physicalId ?? node.id;
  if (handler === undefined) {
    throw new EResourceOperation(name, 'server', target, 'the operation is not supported');
  }
  if (!node.physicalId) {
    throw new EResourceOperation(name, 'server', target, 'the node has no server');
  }
  await handler({ node, profile, ctx, serverId: node.physicalId }, params);
}

/**
 * Recovers a server node. RECREATE (the default) deletes and creates the server; REBOOT
 * reboots it (HARD unless the parameter `type` says otherwise); REBUILD rebuilds it from the
 * parameter `image` or its current image. Other operations are not supported (`ok: false`).
 */
export async function recoverServer(
  behaviour: Pick<ProfileBehaviour, 'create' | 'delete'>,
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
  options: RecoverOptions,
): Promise<{ physicalId: string | null; ok: boolean }> {
  const operation = (options.operation || 'RECREATE').toUpperCase();
  if (operation === 'RECREATE') {
    return recreateResource(behaviour, node, profile, ctx, { ...options, operation });
  }
  if (operation !== 'REBOOT' && operation !== 'REBUILD') {
    return { physicalId: node.physicalId, ok: false };
  }
  if (!node.physicalId) return { physicalId: null, ok: false };
  const params = isPlainObject(options.operationParams) ? options.operationParams : {};
  const o: OpCall = { node, profile, ctx, serverId: node.physicalId };
  if (operation === 'REBOOT') {
    const type = typeof params.type === 'string' ? params.type.toUpperCase() : 'HARD';
    if (type !== 'SOFT' && type !== 'HARD') return { physicalId: node.physicalId, ok: false };
    await reboot(o, type);
  } else {
    await rebuild(o, textOf(params.image));
  }
  return { physicalId: node.physicalId, ok: true };
}
