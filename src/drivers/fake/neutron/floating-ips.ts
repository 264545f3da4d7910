/** Floating IPs of the fake Neutron (allocated on external networks such as `public`). */
import type { Resource } from '../../types.js';
import { badRequest, conflict, isoZ, newUuid, notFound, str } from '../common.js';
import { K } from '../kinds.js';
import type { Doc } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { allocateIp } from './ipam.js';
import { networkSubnets } from './ports.js';

const FIP_NOT_FOUND = (id: string) => `Floating IP ${id} could not be found`;

/** Points a floating IP at a port (or at nothing with null). */
function associate(
  world: FakeWorld,
  fip: Doc,
  portId: string | null,
  fixedIp: string | undefined,
): void {
  if (portId === null) {
    Object.assign(fip.r, { port_id: null, fixed_ip_address: null, status: 'DOWN' });
    return;
  }
  const port = world.store.get(K.port, portId);
  if (!port) throw notFound(`Port ${portId} could not be found.`);
  const fixed = (port.r.fixed_ips as { ip_address: string }[]) ?? [];
  const address = fixedIp ?? fixed[0]?.ip_address;
  if (!address || !fixed.some((f) => f.ip_address === address))
    throw badRequest(
      `Bad floatingip request: Port ${portId} does not have fixed ip ${address ?? ''}.`,
    );
  const taken = world.store
    .byParent(K.floatingIp, portId)
    .find((other) => other.r.id !== fip.r.id && other.r.fixed_ip_address === address);
  if (taken)
    throw conflict(
      `Cannot associate floating IP ${fip.r.floating_ip_address} (${fip.r.id}) with port ${portId} using fixed IP ${address}, as that fixed IP already has a floating IP on external network ${fip.r.floating_network_id}.`,
    );
  Object.assign(fip.r, { port_id: portId, fixed_ip_address: address, status: 'ACTIVE' });
}

/** Allocates a floating IP. */
export function createFloatingIp(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Resource {
  const networkId = str(body, 'floating_network_id');
  if (!networkId)
    throw badRequest("Invalid input for operation: 'floating_network_id' is required.");
  return world.store.tx(() => {
    const net = world.store.get(K.network, networkId);
    if (!net) throw notFound(`Network ${networkId} could not be found.`);
    if (net.r['router:external'] !== true)
      throw badRequest(
        `Bad floatingip request: Network ${networkId} is not a valid external network.`,
      );
    const subnet = networkSubnets(world, networkId)[0];
    if (!subnet) throw conflict(`No more IP addresses available on network ${networkId}.`);
    const id = newUuid();
    const now = isoZ(world.now());
    const address = allocateIp(world.store, subnet, id, str(body, 'floating_ip_address'));
    const doc: Doc = {
      r: {
        id,
        floating_ip_address: address,
        floating_network_id: networkId,
        port_id: null,
        fixed_ip_address: null,
        router_id: null,
        status: 'DOWN',
        description: str(body, 'description') ?? '',
        tags: [],
        project_id: caller.projectId,
        tenant_id: caller.projectId,
        created_at: now,
        updated_at: now,
      },
      x: {},
      p: [],
    };
    const portId = str(body, 'port_id');
    if (portId) associate(world, doc, portId, str(body, 'fixed_ip_address'));
    world.save(K.floatingIp, doc);
    return doc.r;
  });
}

/** Changes the port (and fixed address) a floating IP points at, or its description. */
export function updateFloatingIp(
  world: FakeWorld,
  id: string,
  changes: Record<string, unknown>,
): Resource {
  return world.change(K.floatingIp, id, FIP_NOT_FOUND(id), (doc) => {
    if ('port_id' in changes) {
      const portId = changes.port_id;
      if (portId !== null && typeof portId !== 'string')
        throw badRequest("Invalid input for port_id. Reason: 'port_id' must be a string or null.");
      associate(world, doc, portId, str(changes, 'fixed_ip_address'));
    }
    if (typeof changes.description === 'string') doc.r.description = changes.description;
    doc.r.updated_at = isoZ(world.now());
    return doc.r;
  });
}

/** Releases a floating IP. */
export function deleteFloatingIp(world: FakeWorld, id: string): void {
  world.store.tx(() => {
    const doc = world.need(K.floatingIp, id, FIP_NOT_FOUND(id));
    world.store.releaseIps(doc.r.id);
    world.store.remove(K.floatingIp, id);
    world.touch(K.floatingIp, id);
  });
}

/** The floating IP with an address (or id), or null. */
export function findFloatingIp(world: FakeWorld, address: string): Resource | null {
  const byId = world.store.get(K.floatingIp, address);
  if (byId) return byId.r;
  return world.store.byName(K.floatingIp, address)[0]?.r ?? null;
}
