/**
 * The ports and floating IPs of a Nova server node. Every port and floating IP made for a node
 * is recorded in `node.data.internal_ports` (upstream's layout) and stored at once, so that a
 * later delete finds and removes it even when the process making it died.
 */
import { isPlainObject } from '../../../common/spec-schema/index.js';
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';
import { errorText, isNotFound, type NodeDataStore } from '../../behaviour-support.js';
import { type ResolvedNetwork, resolveNetworkEntry } from './behaviour-network.js';
import { type Phase, phaseError } from './behaviour-resolve.js';

/** A floating IP of a port, as recorded. */
export interface InternalFloatingIp {
  id: string;
  floating_ip_address: string | null;
  floating_network_id: string | null;
  /** True when senlin created the floating IP (it deletes it with the node). */
  remove?: boolean;
}

/** A port of a server node, as recorded in `data.internal_ports`. */
export interface InternalPort {
  id: string;
  network_id: string | null;
  security_group_ids: string[];
  fixed_ips: { ip_address?: string; subnet_id?: string }[];
  /** True when senlin created the port (it deletes it with the node). */
  remove?: boolean;
  floating?: InternalFloatingIp;
}

/** What port handling works with. */
export interface PortCall {
  readonly node: NodeView;
  readonly ctx: ProfileCallContext;
  readonly store: NodeDataStore;
}

/** The recorded ports of the node (the live list inside the store's data). */
export function recordedPorts(store: NodeDataStore): InternalPort[] {
  const current = store.data.internal_ports;
  const valid = (p: unknown): p is InternalPort => isPlainObject(p) && typeof p.id === 'string';
  if (Array.isArray(current) && current.every(valid)) return current as InternalPort[];
  const ports: InternalPort[] = Array.isArray(current) ? current.filter(valid) : [];
  store.data.internal_ports = ports;
  return ports;
}

function portBody(net: ResolvedNetwork): Record<string, unknown> {
  const body: Record<string, unknown> = { network_id: net.network };
  if (net.fixed_ip !== undefined) body.fixed_ips = [{ ip_address: net.fixed_ip }];
  if (net.security_groups !== undefined && net.security_groups.length > 0) {
    body.security_groups = net.security_groups;
  }
  if (net.vnic_type !== undefined) body['binding:vnic_type'] = net.vnic_type;
  return body;
}

async function attachFloatingIp(
  call: PortCall,
  net: ResolvedNetwork,
  port: InternalPort,
): Promise<void> {
  const nc = call.ctx.drivers.network;
  if (net.floating_ip_id !== undefined) {
    const fip = await nc.updateFloatingIp(net.floating_ip_id, { port_id: port.id });
    port.floating = {
      id: fip.id,
      floating_ip_address: (fip.floating_ip_address as string | undefined) ?? null,
      floating_network_id: (fip.floating_network_id as string | undefined) ?? null,
    };
    return;
  }
  const body: Record<string, unknown> = {
    port_id: port.id,
    floating_network_id: net.floating_network,
  };
  if (net.floating_ip !== undefined) body.floating_ip_address = net.floating_ip;
  const fip = await nc.createFloatingIp(body);
  port.floating = {
    id: fip.id,
    floating_ip_address: (fip.floating_ip_address as string | undefined) ?? null,
    floating_network_id: (fip.floating_network_id as string | undefined) ?? null,
    remove: true,
  };
}

async function makePort(call: PortCall, net: ResolvedNetwork): Promise<InternalPort> {
  const nc = call.ctx.drivers.network;
  const existing = net.port !== undefined;
  const port = existing ? await nc.findPort(net.port ?? '') : await nc.createPort(portBody(net));
  if (port === null) throw new Error(`The specified port ${net.port} could not be found.`);
  const record: InternalPort = {
    id: port.id,
    network_id: (port.network_id as string | undefined) ?? null,
    security_group_ids: Array.isArray(port.security_groups)
      ? (port.security_groups as string[])
      : [],
    fixed_ips: Array.isArray(port.fixed_ips) ? (port.fixed_ips as InternalPort['fixed_ips']) : [],
  };
  if (!existing) record.remove = true;
  return record;
}

/**
 * Makes the ports (and floating IPs) of `entries`: an existing port is used as it is, otherwise
 * a port is created; floating IPs are reused or created. Each is recorded and stored at once.
 * When one fails, what this call made is deleted again and the phase's error is raised.
 * Returns the new records.
 */
export async function createPorts(
  call: PortCall,
  entries: readonly unknown[],
  phase: Phase,
): Promise<InternalPort[]> {
  const serverId = call.node.physicalId;
  const scope = { drivers: call.ctx.drivers, phase, serverId, projectId: call.node.project };
  const ports = recordedPorts(call.store);
  const made: InternalPort[] = [];
  try {
    for (const entry of entries) {
      const net = await resolveNetworkEntry(scope, isPlainObject(entry) ? entry : {});
      let record: InternalPort;
      try {
        record = await makePort(call, net);
      } catch (err) {
        throw phaseError(phase, serverId, errorText(err));
      }
      ports.push(record);
      made.push(record);
      await call.store.save();
      if (net.floating_ip_id !== undefined || net.floating_network !== undefined) {
        try {
          await attachFloatingIp(call, net, record);
        } catch (err) {
          throw phaseError(phase, serverId, errorText(err));
        }
        await call.store.save();
      }
    }
  } catch (err) {
    await deletePorts(call, made).catch(() => undefined);
    throw err;
  }
  return made;
}

/**
 * Deletes what senlin made among `which` (default: every recorded port): floating IPs it
 * created and ports it created; a resource already gone counts as deleted. The records are
 * dropped and the shrunken list is stored. Raises the first failure after trying them all.
 */
export async function deletePorts(call: PortCall, which?: readonly InternalPort[]): Promise<void> {
  const nc = call.ctx.drivers.network;
  const ports = recordedPorts(call.store);
  const targets = [...(which ?? ports)];
  let failure: unknown = null;
  for (const port of targets) {
    try {
      if (port.floating?.remove) {
        await nc.deleteFloatingIp(port.floating.id).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
      if (port.remove) {
        await nc.deletePort(port.id).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
      }
      const at = ports.indexOf(port);
      if (at >= 0) ports.splice(at, 1);
    } catch (err) {
      failure ??= err;
    }
  }
  await call.store.save();
  if (failure !== null) throw failure;
}
