/** Load balancers of the fake Octavia (with a VIP port on the requested subnet or network). */
import type { Resource } from '../../types.js';
import { badRequest, findDoc, isoZ, newUuid, str } from '../common.js';
import { K } from '../kinds.js';
import { createPortDoc, deletePortDoc, networkSubnets } from '../neutron/ports.js';
import { tagList } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { lbChildren, lbView, needLb, octaviaHints } from './lb-common.js';

function resolveVip(
  world: FakeWorld,
  body: Record<string, unknown>,
): { networkId: string; subnetId: string } {
  const subnetId = str(body, 'vip_subnet_id');
  const networkId = str(body, 'vip_network_id');
  if (!subnetId && !networkId && !str(body, 'vip_port_id'))
    throw badRequest(
      'Validation failure: VIP must contain one of: vip_port_id, vip_network_id, vip_subnet_id.',
    );
  if (subnetId) {
    const subnet = world.store.get(K.subnet, subnetId);
    if (!subnet) throw badRequest(`Validation failure: Subnet ${subnetId} not found.`);
    if (networkId && subnet.r.network_id !== networkId)
      throw badRequest(`Validation failure: Subnet ${subnetId} is not in network ${networkId}.`);
    return { networkId: String(subnet.r.network_id), subnetId };
  }
  if (networkId) {
    if (!world.store.get(K.network, networkId))
      throw badRequest(`Validation failure: Network ${networkId} not found.`);
    const first = networkSubnets(world, networkId)[0];
    if (!first) throw badRequest(`Validation failure: Supplied network does not contain a subnet.`);
    return { networkId, subnetId: first.id };
  }
  const port = world.store.get(K.port, str(body, 'vip_port_id') ?? '');
  if (!port) throw badRequest(`Validation failure: Port ${String(body.vip_port_id)} not found.`);
  const ip = (port.r.fixed_ips as { subnet_id: string }[])[0];
  return { networkId: String(port.r.network_id), subnetId: ip?.subnet_id ?? '' };
}

function checkOptions(world: FakeWorld, body: Record<string, unknown>): void {
  const flavorId = str(body, 'flavor_id');
  if (flavorId) {
    const flavor = findDoc(world.store, K.lbFlavor, flavorId, 'flavor');
    if (!flavor) throw badRequest('Validation failure: Invalid flavor_id.');
    if (flavor.r.enabled !== true)
      throw badRequest(`The selected flavor is not allowed in this deployment: ${flavorId}`);
  }
  const zone = str(body, 'availability_zone');
  if (zone && !world.store.get(K.lbZone, zone))
    throw badRequest('Validation failure: Invalid availability zone.');
}

/** Creates a load balancer: PENDING_CREATE, then ACTIVE/ONLINE. */
export function createLoadBalancer(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Resource {
  const vip = resolveVip(world, body);
  checkOptions(world, body);
  return world.store.tx(() => {
    const id = newUuid();
    const now = world.now();
    const requested = str(body, 'vip_address');
    const port = createPortDoc(world, caller, {
      networkId: vip.networkId,
      name: `octavia-lb-${id}`,
      deviceId: `lb-${id}`,
      deviceOwner: 'Octavia',
      fixedIps: [{ subnet_id: vip.subnetId, ...(requested ? { ip_address: requested } : {}) }],
    });
    const address = (port.r.fixed_ips as { ip_address: string }[])[0]?.ip_address ?? null;
    const doc: Doc = {
      r: {
        id,
        name: str(body, 'name') ?? '',
        description: str(body, 'description') ?? '',
        admin_state_up: body.admin_state_up !== false,
        provisioning_status: 'PENDING_CREATE',
        operating_status: 'OFFLINE',
        vip_address: address,
        vip_port_id: port.r.id,
        vip_subnet_id: vip.subnetId,
        vip_network_id: vip.networkId,
        vip_qos_policy_id: null,
        flavor_id: str(body, 'flavor_id') ?? null,
        availability_zone: str(body, 'availability_zone') ?? null,
        provider: 'amphora',
        tags: tagList(body.tags),
        project_id: caller.projectId,
        created_at: isoZ(now),
        updated_at: null,
      },
      x: {},
      p: [],
    };
    const hints = octaviaHints(doc);
    const at = world.readyAt(hints);
    schedule(doc, {
      at,
      set: hints.fail.has('create')
        ? { provisioning_status: 'ERROR', operating_status: 'ERROR' }
        : { provisioning_status: 'ACTIVE', operating_status: 'ONLINE', updated_at: isoZ(at) },
    });
    world.save(K.loadBalancer, doc);
    return lbView(world, doc);
  });
}

const CHILD_KINDS = [K.listener, K.pool, K.healthMonitor] as const;

/** Deletes a load balancer (with `cascade`, its children too): PENDING_DELETE, then gone. */
export function deleteLoadBalancer(world: FakeWorld, id: string, cascade: boolean): void {
  world.store.tx(() => {
    const lb = needLb(world, id);
    const status = String(lb.r.provisioning_status);
    if (status !== 'ACTIVE' && status !== 'ERROR')
      throw badRequest(`Invalid state ${status} of loadbalancer resource ${id}`);
    const children = CHILD_KINDS.flatMap((kind) =>
      lbChildren(world, id, kind).map((d) => [kind, d] as const),
    );
    if (children.length > 0 && !cascade)
      throw badRequest(`Validation failure: Cannot delete Load Balancer ${id} - it has children`);
    const hints = octaviaHints(lb);
    const at = world.readyAt(hints);
    lb.r.provisioning_status = 'PENDING_DELETE';
    if (hints.fail.has('delete')) {
      schedule(lb, { at, set: { provisioning_status: 'ERROR' } });
      world.save(K.loadBalancer, lb);
      return;
    }
    for (const [kind, child] of children) {
      for (const member of kind === K.pool ? world.store.byParent(K.member, child.r.id) : []) {
        schedule(member, { at, del: true });
        world.save(K.member, member);
      }
      schedule(child, { at, del: true });
      world.save(kind, child);
    }
    const vipPort = String(lb.r.vip_port_id ?? '');
    if (vipPort && world.store.get(K.port, vipPort)) deletePortDoc(world, vipPort);
    schedule(lb, { at, del: true });
    world.save(K.loadBalancer, lb);
  });
}
