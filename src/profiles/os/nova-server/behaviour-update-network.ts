/** Changing the network interfaces of a Nova server when its profile's `networks` change. */
import { EResourceUpdate } from '../../../common/errors.js';
import { isPlainObject } from '../../../common/spec-schema/index.js';
import { isNotFound, sameValue } from '../../behaviour-support.js';
import { type ResolvedNetwork, resolveNetworkEntry } from './behaviour-network.js';
import { createPorts, type InternalPort, type PortCall, recordedPorts } from './behaviour-ports.js';
import { stopForChange, type UpdateCall, updateStep } from './behaviour-update-steps.js';

/** Keys that identify an interface; entries equal in these differ in security groups only. */
const IDENTITY_KEYS = ['network', 'port', 'fixed_ip', 'floating_network', 'floating_ip', 'subnet'];

function entriesOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

function removeFirst<T>(list: T[], match: (item: T) => boolean): T | undefined {
  const at = list.findIndex(match);
  return at < 0 ? undefined : list.splice(at, 1)[0];
}

/** The recorded ports an interface spec (names resolved) describes, unused ones first. */
function matchingPort(
  net: ResolvedNetwork,
  ports: readonly InternalPort[],
  taken: ReadonlySet<string>,
): InternalPort | undefined {
  return ports.find((p) => {
    if (taken.has(p.id)) return false;
    const floating = p.floating;
    if (net.floating_network && floating?.floating_network_id !== net.floating_network) {
      return false;
    }
    if (net.floating_ip && floating?.floating_ip_address !== net.floating_ip) return false;
    if (floating && !net.floating_network && !net.floating_ip) return false;
    if (net.port && p.id !== net.port) return false;
    if (net.fixed_ip && !p.fixed_ips.some((ip) => ip.ip_address === net.fixed_ip)) return false;
    if (net.network && p.network_id !== net.network) return false;
    return true;
  });
}

async function portFor(
  u: UpdateCall,
  entry: Record<string, unknown>,
  taken: Set<string>,
): Promise<{ net: ResolvedNetwork; port: InternalPort }> {
  const scope = { ...u.scope, projectId: u.node.project };
  const net = await resolveNetworkEntry(scope, entry, true);
  const port = matchingPort(net, recordedPorts(u.store), taken);
  if (port === undefined) {
    throw new EResourceUpdate('server', u.serverId, 'No port of the server matches the network');
  }
  taken.add(port.id);
  return { net, port };
}

async function detach(u: UpdateCall, port: InternalPort): Promise<void> {
  const nc = u.ctx.drivers.network;
  const ignoreMissing = (err: unknown) => {
    if (!isNotFound(err)) throw err;
  };
  await u.ctx.drivers.compute.deleteServerInterface(u.serverId, port.id).catch(ignoreMissing);
  if (port.remove) await nc.deletePort(port.id).catch(ignoreMissing);
  if (port.floating?.remove) await nc.deleteFloatingIp(port.floating.id).catch(ignoreMissing);
}

/**
 * Applies the difference between the old and new `networks`: entries in both are kept; new
 * entries that differ from an old one only in security groups update that port's groups; other
 * old entries are detached (the server is stopped first) and their senlin-made ports and
 * floating IPs deleted; other new entries get ports attached. Returns whether interfaces were
 * removed (the server then has to be started again).
 */
export async function updateNetworks(u: UpdateCall): Promise<{ removed: boolean }> {
  const oldNets = entriesOf(u.current.properties.networks);
  const toCreate = entriesOf(u.next.properties.networks);
  const toDelete = [...oldNets];
  const toUpdate: Record<string, unknown>[] = [];
  for (const nw of oldNets) {
    if (removeFirst(toCreate, (n) => sameValue(n, nw)) !== undefined) {
      removeFirst(toDelete, (n) => n === nw);
    }
  }
  for (const nw of [...toDelete]) {
    const same = (n: Record<string, unknown>) => IDENTITY_KEYS.every((k) => sameValue(n[k], nw[k]));
    const changed = removeFirst(toCreate, same);
    if (changed === undefined) continue;
    toUpdate.push(changed);
    removeFirst(toDelete, (n) => n === nw);
  }

  const taken = new Set<string>();
  for (const entry of toUpdate) {
    const { net, port } = await portFor(u, entry, taken);
    const groups = net.security_groups ?? [];
    await updateStep(u, () =>
      u.ctx.drivers.network.updatePort(port.id, { security_groups: groups }),
    );
    port.security_group_ids = groups;
    await u.store.save();
  }

  if (toDelete.length > 0) {
    await updateStep(u, () => stopForChange(u, 'networks'));
    const ports = recordedPorts(u.store);
    for (const entry of toDelete) {
      const { port } = await portFor(u, entry, taken);
      await updateStep(u, () => detach(u, port));
      ports.splice(ports.indexOf(port), 1);
      await u.store.save();
    }
  }

  if (toCreate.length > 0) {
    const call: PortCall = { node: u.node, ctx: u.ctx, store: u.store };
    const made = await createPorts(call, toCreate, 'update');
    for (const port of made) {
      await updateStep(u, () =>
        u.ctx.drivers.compute.createServerInterface(u.serverId, { portId: port.id }),
      );
    }
  }
  return { removed: toDelete.length > 0 };
}
