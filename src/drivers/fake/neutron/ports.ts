/** Ports of the fake Neutron, shared with Nova (interfaces), Octavia (VIPs) and Heat. */
import type { Resource } from '../../types.js';
import { badRequest, conflict, isoZ, newMac, newUuid, notFound } from '../common.js';
import { K } from '../kinds.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { allocateIp, inCidr, type SubnetShape } from './ipam.js';
import { defaultSecurityGroup } from './security-groups.js';

/** What a new port is made of. */
export interface PortRequest {
  networkId: string;
  name?: string;
  description?: string;
  fixedIps?: readonly { subnet_id?: string; ip_address?: string }[];
  /** Security group ids (default: the project's `default` group). */
  securityGroups?: readonly string[];
  vnicType?: string;
  adminStateUp?: boolean;
  deviceId?: string;
  deviceOwner?: string;
  tags?: readonly string[];
  /** Bind at once to the server `deviceId` on this host (Nova making a port for a server). */
  binding?: { host: string | null; zone: string; activeAt: number | null };
  /** The port is Nova's: deleted with its server or interface. */
  nova?: boolean;
  /** The security group ids are known to exist. */
  groupsChecked?: boolean;
}

const VNIC_TYPES = new Set([
  'normal',
  'direct',
  'macvtap',
  'baremetal',
  'direct-physical',
  'virtio-forwarder',
  'smart-nic',
]);

/** One fixed address of a port. */
export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}

/** The subnets of a network. */
export function networkSubnets(world: FakeWorld, networkId: string): (Resource & SubnetShape)[] {
  return world.cached(`subnets:${networkId}`, () =>
    world.store.byParent<Resource & SubnetShape>(K.subnet, networkId).map((d) => d.r),
  );
}

/** A network by id, or null (networks never change, so they are read once). */
export function networkById(world: FakeWorld, networkId: string): Resource | null {
  return world.cached(
    `network:${networkId}`,
    () => world.store.get(K.network, networkId)?.r ?? null,
  );
}

/** Allocates the fixed addresses a port asks for. */
export function allocateFixedIps(
  world: FakeWorld,
  networkId: string,
  owner: string,
  requested: PortRequest['fixedIps'],
): FixedIp[] {
  const subnets = networkSubnets(world, networkId);
  if (subnets.length === 0) return [];
  const wanted = requested && requested.length > 0 ? requested : [{}];
  return wanted.map((entry) => {
    let subnet = entry.subnet_id ? subnets.find((s) => s.id === entry.subnet_id) : undefined;
    if (entry.subnet_id && !subnet)
      throw badRequest(
        `Invalid input for operation: Failed to create port on network ${networkId}, because fixed_ips included invalid subnet ${entry.subnet_id}.`,
      );
    if (!subnet && entry.ip_address) {
      const address = entry.ip_address;
      subnet = subnets.find((s) => inCidr(address, s.cidr));
      if (!subnet)
        throw badRequest(
          `Invalid input for operation: IP address ${address} is not a valid IP for any subnet on network ${networkId}.`,
        );
    }
    const chosen = subnet ?? (subnets[0] as SubnetShape);
    return {
      subnet_id: chosen.id,
      ip_address: allocateIp(world.store, chosen, owner, entry.ip_address),
    };
  });
}

/** Creates a port (status DOWN until a server using it is running). */
export function createPortDoc(world: FakeWorld, caller: Caller, req: PortRequest): Doc {
  const network = networkById(world, req.networkId);
  if (!network) throw notFound(`Network ${req.networkId} could not be found.`);
  const vnic = req.vnicType ?? 'normal';
  if (!VNIC_TYPES.has(vnic))
    throw badRequest(
      `Invalid input for binding:vnic_type. Reason: '${vnic}' is not in ${[...VNIC_TYPES].join(', ')}.`,
    );
  const groups = req.securityGroups ?? [defaultSecurityGroup(world, caller.projectId).id];
  if (!req.groupsChecked)
    for (const sg of groups)
      if (!world.store.get(K.securityGroup, sg))
        throw notFound(`Security group ${sg} does not exist`);
  const id = newUuid();
  const now = isoZ(world.now());
  const doc: Doc = {
    r: {
      id,
      name: req.name ?? '',
      description: req.description ?? '',
      network_id: req.networkId,
      fixed_ips: allocateFixedIps(world, req.networkId, id, req.fixedIps),
      mac_address: newMac(),
      status: 'DOWN',
      admin_state_up: req.adminStateUp ?? true,
      device_id: req.deviceId ?? '',
      device_owner: req.deviceOwner ?? '',
      security_groups: [...groups],
      'binding:vnic_type': vnic,
      'binding:host_id': '',
      'binding:vif_type': 'unbound',
      port_security_enabled: true,
      allowed_address_pairs: [],
      tags: [...(req.tags ?? [])],
      project_id: caller.projectId,
      tenant_id: caller.projectId,
      created_at: now,
      updated_at: now,
    },
    x: req.nova ? { nova: true } : {},
    p: [],
  };
  const bind = req.binding;
  if (bind) applyBinding(doc, req.deviceId ?? '', bind.host, bind.zone, bind.activeAt);
  world.save(K.port, doc);
  return doc;
}

function applyBinding(
  port: Doc,
  serverId: string,
  host: string | null,
  zone: string,
  at: number | null,
): void {
  Object.assign(port.r, {
    device_id: serverId,
    device_owner: `compute:${zone}`,
    'binding:host_id': host ?? '',
    'binding:vif_type': host ? 'ovs' : 'unbound',
  });
  if (at !== null) schedule(port, { at, set: { status: 'ACTIVE' } });
}

/** Deletes a port: frees its addresses and detaches its floating IPs. */
export function deletePortDoc(world: FakeWorld, id: string): void {
  world.store.tx(() => {
    if (!world.store.get(K.port, id)) throw notFound(`Port ${id} could not be found.`);
    for (const fip of world.store.byParent(K.floatingIp, id)) {
      Object.assign(fip.r, { port_id: null, fixed_ip_address: null, status: 'DOWN' });
      world.save(K.floatingIp, fip);
    }
    world.store.releaseIps(id);
    world.store.remove(K.port, id);
    world.touch(K.port, id);
  });
}

/** Binds a port to a server on `host`; it becomes ACTIVE at `at` (never when `at` is null). */
export function bindPort(
  world: FakeWorld,
  port: Doc,
  serverId: string,
  host: string | null,
  zone: string,
  at: number | null,
): void {
  if (port.r.device_id && port.r.device_id !== serverId)
    throw conflict(`Port ${port.r.id} is still in use.`);
  applyBinding(port, serverId, host, zone, at);
  port.r.updated_at = isoZ(world.now());
  world.save(K.port, port);
}

/** Unbinds a port from its server (now, or at `at`). */
export function unbindPort(world: FakeWorld, port: Doc, at?: number): void {
  const set = {
    device_id: '',
    device_owner: '',
    status: 'DOWN',
    'binding:host_id': '',
    'binding:vif_type': 'unbound',
  };
  if (at === undefined || at <= world.now()) {
    port.p = [];
    Object.assign(port.r, set, { updated_at: isoZ(world.now()) });
  } else schedule(port, { at, set });
  world.save(K.port, port);
}

/** The ports bound to a device (server, stack, load balancer). */
export function devicePorts(world: FakeWorld, deviceId: string): Doc[] {
  return world.store.byParent(K.port, deviceId).filter((d) => d.r.device_id === deviceId);
}
