/** Resize, cold and live migration and evacuation of the fake Nova (servers change hosts). */
import { badRequest, conflict } from '../common.js';
import { K } from '../kinds.js';
import { devicePorts } from '../neutron/ports.js';
import type { Doc } from '../store.js';
import type { FakeWorld } from '../world.js';
import { hostInfos, hostStatus } from './hosts.js';
import { pickHost, placeOnHost } from './scheduler.js';
import { embeddedFlavor, hostDigest, newPassword } from './server-create.js';
import { POWER } from './states.js';
import { backTo, runTransition } from './transition.js';

const HOST = 'OS-EXT-SRV-ATTR:host';

interface ResizeMemo {
  flavor: unknown;
  host: string | null;
  status: string;
}

function currentHost(doc: Doc): string | null {
  const host = doc.r[HOST];
  return typeof host === 'string' && host ? host : null;
}

function hostFields(doc: Doc, host: string | null): Record<string, unknown> {
  return {
    [HOST]: host,
    'OS-EXT-SRV-ATTR:hypervisor_hostname': host,
    hostId: hostDigest(String(doc.r.tenant_id), host),
  };
}

/** Moves the bookkeeping (load, group, port bindings) of a server to another host. */
function moveTo(world: FakeWorld, doc: Doc, target: string | null): void {
  const from = currentHost(doc);
  if (target === from) return;
  const group = (doc.x.group as string | null) ?? null;
  placeOnHost(world, from, group, -1);
  placeOnHost(world, target, group, 1);
  for (const port of devicePorts(world, doc.r.id)) {
    port.r['binding:host_id'] = target ?? '';
    world.save(K.port, port);
  }
}

/** A target host for a server: `requested` if usable, else one chosen by the scheduler. */
function targetHost(
  world: FakeWorld,
  doc: Doc,
  requested: string | null | undefined,
  allowSame: boolean,
): string | null {
  const from = currentHost(doc);
  if (requested) {
    const info = hostInfos(world).find((h) => h.name === requested);
    if (!info) throw badRequest(`Compute host ${requested} could not be found.`);
    if (requested === from && !allowSame)
      throw badRequest(`Unable to migrate instance (${doc.r.id}) to current host (${requested}).`);
    if (!info.up || !info.enabled)
      throw badRequest(`Compute service of ${requested} is unavailable at this time.`);
    return requested;
  }
  const zone = String(doc.r['OS-EXT-AZ:availability_zone'] ?? 'nova');
  const groupId = doc.x.group as string | null;
  const group = groupId ? world.store.get(K.serverGroup, groupId) : null;
  const other = pickHost(world, { zone, host: null, group, exclude: from ? [from] : [] });
  return other ?? (allowSame ? from : null);
}

function verifyResizeFields(
  doc: Doc,
  at: number,
  memo: ResizeMemo,
  host: string | null,
  flavor: unknown,
) {
  return {
    ...backTo('VERIFY_RESIZE', at),
    'OS-EXT-STS:power_state': memo.status === 'SHUTOFF' ? POWER.SHUTDOWN : POWER.RUNNING,
    flavor,
    ...hostFields(doc, host),
  };
}

/** Resizes to another flavor: RESIZE, then VERIFY_RESIZE (usually on another host). */
export function resizeServer(world: FakeWorld, id: string, flavorRef: string): void {
  const flavor = world.store.get(K.flavor, flavorRef);
  if (!flavor) throw badRequest(`Flavor ${flavorRef} could not be found.`);
  if (flavor.r['OS-FLV-DISABLED:disabled'] === true) throw badRequest('Flavor is disabled.');
  let target: string | null = null;
  runTransition(world, id, {
    op: 'resize',
    allowed: ['ACTIVE', 'SHUTOFF'],
    status: 'RESIZE',
    task: 'resize_prep',
    start(doc) {
      if ((doc.r.flavor as { id?: string }).id === flavor.r.id)
        throw badRequest('When resizing, instances must change flavor!');
      doc.x.resize = { flavor: doc.r.flavor, host: currentHost(doc), status: String(doc.r.status) };
      target = targetHost(world, doc, null, true);
      moveTo(world, doc, target);
    },
    final: (doc, at) =>
      verifyResizeFields(doc, at, doc.x.resize as ResizeMemo, target, embeddedFlavor(flavor.r)),
  });
}

/** Cold migration: RESIZE, then VERIFY_RESIZE on another host (confirm or revert it). */
export function migrateServer(world: FakeWorld, id: string, options: { host?: string } = {}): void {
  let target: string | null = null;
  runTransition(world, id, {
    op: 'migrate',
    allowed: ['ACTIVE', 'SHUTOFF'],
    status: 'RESIZE',
    task: 'resize_prep',
    start(doc) {
      target = targetHost(world, doc, options.host, false);
      if (!target)
        throw badRequest('No valid host was found. No valid host found for cold migrate');
      doc.x.resize = { flavor: doc.r.flavor, host: currentHost(doc), status: String(doc.r.status) };
      moveTo(world, doc, target);
    },
    final: (doc, at) =>
      verifyResizeFields(doc, at, doc.x.resize as ResizeMemo, target, doc.r.flavor),
  });
}

/** Confirms a resize or migration: back to ACTIVE (or SHUTOFF when it was stopped). */
export function confirmServerResize(world: FakeWorld, id: string): void {
  runTransition(world, id, {
    op: 'confirm_resize',
    allowed: ['VERIFY_RESIZE'],
    task: 'resize_confirming',
    final(doc, at) {
      const memo = doc.x.resize as ResizeMemo | undefined;
      return backTo(memo?.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE', at);
    },
  });
}

/** Reverts a resize or migration: the old flavor and host come back. */
export function revertServerResize(world: FakeWorld, id: string): void {
  runTransition(world, id, {
    op: 'revert_resize',
    allowed: ['VERIFY_RESIZE'],
    status: 'REVERT_RESIZE',
    task: 'resize_reverting',
    start(doc) {
      const memo = doc.x.resize as ResizeMemo | undefined;
      if (memo) moveTo(world, doc, memo.host);
    },
    final(doc, at) {
      const memo = doc.x.resize as ResizeMemo | undefined;
      if (!memo) return backTo('ACTIVE', at);
      return {
        ...backTo(memo.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE', at),
        flavor: memo.flavor,
        ...hostFields(doc, memo.host),
      };
    },
  });
}

/** Live migration: MIGRATING, then the same status on another host. */
export function liveMigrateServer(
  world: FakeWorld,
  id: string,
  options: { host?: string | null },
): void {
  let target: string | null = null;
  runTransition(world, id, {
    op: 'live_migrate',
    allowed: ['ACTIVE', 'PAUSED'],
    status: 'MIGRATING',
    task: 'migrating',
    start(doc) {
      target = targetHost(world, doc, options.host, false);
      if (!target)
        throw badRequest('No valid host was found. No valid host found for live migration');
      moveTo(world, doc, target);
    },
    final: (doc, at) => ({ ...backTo(String(doc.r.status), at), ...hostFields(doc, target) }),
  });
}

/** Evacuation from a host that is down: REBUILD, then ACTIVE (or SHUTOFF) elsewhere. */
export function evacuateServer(
  world: FakeWorld,
  id: string,
  options: { host?: string; adminPass?: string; force?: boolean },
): void {
  let target: string | null = null;
  runTransition(world, id, {
    op: 'evacuate',
    allowed: ['ACTIVE', 'SHUTOFF', 'ERROR'],
    status: 'REBUILD',
    task: 'rebuilding',
    start(doc) {
      const from = currentHost(doc);
      if (from && hostStatus(world, from) !== 'DOWN')
        throw conflict(`Compute service of ${from} is still in use.`);
      target = targetHost(world, doc, options.host, false);
      if (!target) throw badRequest('No valid host was found.');
      doc.x.adminPass = options.adminPass ?? newPassword();
      moveTo(world, doc, target);
    },
    final: (doc, at) => ({
      ...backTo(doc.r.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE', at),
      ...hostFields(doc, target),
    }),
  });
}
