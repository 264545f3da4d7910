/** The NetworkDriver of the fake cloud (Neutron). */
import type { NetworkDriver, Resource } from '../../types.js';
import { badRequest, findDoc, isoZ, notFound, str } from '../common.js';
import { K } from '../kinds.js';
import type { Doc } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import {
  createFloatingIp,
  deleteFloatingIp,
  findFloatingIp,
  updateFloatingIp,
} from './floating-ips.js';
import { allocateFixedIps, createPortDoc, deletePortDoc, type PortRequest } from './ports.js';
import { findSecurityGroup } from './security-groups.js';

const PORT_UPDATABLE = new Set([
  'name',
  'description',
  'admin_state_up',
  'security_groups',
  'fixed_ips',
  'device_id',
  'device_owner',
  'binding:host_id',
  'allowed_address_pairs',
  'port_security_enabled',
  'tags',
]);

function matchesFilter(port: Resource, filter: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'ip_address' || key === 'subnet_id') {
      const ips = (port.fixed_ips as Record<string, string>[]) ?? [];
      if (!ips.some((ip) => ip[key] === value)) return false;
    } else if (String(port[key]) !== value) return false;
  }
  return true;
}

function portRequest(body: Record<string, unknown>): PortRequest {
  const networkId = str(body, 'network_id');
  if (!networkId)
    throw badRequest("Failed to parse request. Required attribute 'network_id' not specified");
  const req: PortRequest = { networkId };
  const name = str(body, 'name');
  if (name !== undefined) req.name = name;
  const description = str(body, 'description');
  if (description !== undefined) req.description = description;
  if (Array.isArray(body.fixed_ips)) req.fixedIps = body.fixed_ips as PortRequest['fixedIps'];
  if (Array.isArray(body.security_groups)) req.securityGroups = body.security_groups as string[];
  const vnic = str(body, 'binding:vnic_type') ?? str(body, 'binding_vnic_type');
  if (vnic !== undefined) req.vnicType = vnic;
  if (typeof body.admin_state_up === 'boolean') req.adminStateUp = body.admin_state_up;
  const deviceId = str(body, 'device_id');
  if (deviceId !== undefined) req.deviceId = deviceId;
  const owner = str(body, 'device_owner');
  if (owner !== undefined) req.deviceOwner = owner;
  if (Array.isArray(body.tags)) req.tags = body.tags as string[];
  return req;
}

function updatePort(world: FakeWorld, id: string, changes: Record<string, unknown>): Resource {
  const unknown = Object.keys(changes).filter((k) => !PORT_UPDATABLE.has(k));
  if (unknown.length > 0) throw badRequest(`Unrecognized attribute(s) '${unknown.join(', ')}'`);
  return world.change(K.port, id, `Port ${id} could not be found.`, (doc: Doc) => {
    if (Array.isArray(changes.security_groups))
      for (const sg of changes.security_groups as string[])
        if (!world.store.get(K.securityGroup, sg))
          throw notFound(`Security group ${sg} does not exist`);
    if (Array.isArray(changes.fixed_ips)) {
      world.store.releaseIps(id);
      doc.r.fixed_ips = allocateFixedIps(
        world,
        String(doc.r.network_id),
        id,
        changes.fixed_ips as PortRequest['fixedIps'],
      );
    }
    for (const [key, value] of Object.entries(changes)) if (key !== 'fixed_ips') doc.r[key] = value;
    doc.r.updated_at = isoZ(world.now());
    return doc.r;
  });
}

/** Neutron calls for one caller. */
export function createNetworkDriver(world: FakeWorld, caller: Caller): NetworkDriver {
  const store = world.store;
  return {
    async findNetwork(nameOrId) {
      return findDoc(store, K.network, nameOrId, 'network')?.r ?? null;
    },
    async findSubnet(nameOrId) {
      return findDoc(store, K.subnet, nameOrId, 'subnet')?.r ?? null;
    },
    async findPort(nameOrId) {
      return findDoc(store, K.port, nameOrId, 'port')?.r ?? null;
    },
    async getPort(id) {
      return world.need(K.port, id, `Port ${id} could not be found.`).r;
    },
    async listPorts(filter = {}) {
      const docs =
        filter.device_id !== undefined
          ? store.byParent(K.port, filter.device_id)
          : store.list(K.port);
      return docs.map((d) => d.r).filter((p) => matchesFilter(p, filter));
    },
    async createPort(body) {
      const req = portRequest(body);
      return store.tx(() => createPortDoc(world, caller, req).r);
    },
    async updatePort(id, changes) {
      return updatePort(world, id, changes);
    },
    async deletePort(id) {
      deletePortDoc(world, id);
    },
    async findSecurityGroup(nameOrId, projectId) {
      return findSecurityGroup(world, caller, nameOrId, projectId);
    },
    async findFloatingIp(address) {
      return findFloatingIp(world, address);
    },
    async listFloatingIps(filter = {}) {
      return store
        .list(K.floatingIp)
        .map((d) => d.r)
        .filter((f) => Object.entries(filter).every(([k, v]) => String(f[k]) === v));
    },
    async createFloatingIp(body) {
      return createFloatingIp(world, caller, body);
    },
    async updateFloatingIp(id, changes) {
      return updateFloatingIp(world, id, changes);
    },
    async deleteFloatingIp(id) {
      deleteFloatingIp(world, id);
    },
  };
}
