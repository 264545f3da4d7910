/**
 * A server as Nova shows it: the stored document plus what other services know about it
 * (addresses from its ports and floating IPs, attached volumes, the state of its host).
 */
import type { Resource } from '../../types.js';
import { serverVolumes } from '../cinder/volumes.js';
import { K } from '../kinds.js';
import { devicePorts } from '../neutron/ports.js';
import type { Doc } from '../store.js';
import type { FakeWorld } from '../world.js';
import { hostStatus } from './hosts.js';

/** One entry of `addresses`. */
export interface ServerAddress {
  version: number;
  addr: string;
  'OS-EXT-IPS:type': 'fixed' | 'floating';
  'OS-EXT-IPS-MAC:mac_addr': string;
}

/** What the caller already knows about a server (saves lookups right after a create). */
export interface KnownParts {
  ports: Doc[];
  volumes: Doc[];
  hostStatus: string;
}

function networkName(world: FakeWorld, netId: string): string {
  const key = `network-name:${netId}`;
  let name = world.memo.get(key) as string | undefined;
  if (name === undefined) {
    name = String(world.store.get(K.network, netId)?.r.name ?? netId);
    world.memo.set(key, name);
  }
  return name;
}

/** `addresses` of a server, keyed by network name. */
export function serverAddresses(
  world: FakeWorld,
  serverId: string,
  known?: KnownParts,
): Record<string, ServerAddress[]> {
  const out: Record<string, ServerAddress[]> = {};
  for (const port of known?.ports ?? devicePorts(world, serverId)) {
    const netName = networkName(world, String(port.r.network_id));
    const mac = String(port.r.mac_address);
    const list = out[netName] ?? [];
    out[netName] = list;
    for (const ip of (port.r.fixed_ips as { ip_address: string }[]) ?? [])
      list.push({
        version: 4,
        addr: ip.ip_address,
        'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': mac,
      });
    if (known && port.x.nova === true) continue;
    for (const fip of world.store.byParent(K.floatingIp, String(port.r.id)))
      list.push({
        version: 4,
        addr: String(fip.r.floating_ip_address),
        'OS-EXT-IPS:type': 'floating',
        'OS-EXT-IPS-MAC:mac_addr': mac,
      });
  }
  return out;
}

/** The full server resource. */
export function serverView(world: FakeWorld, doc: Doc, known?: KnownParts): Resource {
  const r = doc.r;
  const volumes = (known?.volumes ?? serverVolumes(world, r.id))
    .filter((v) => (v.r.attachments as { server_id: string }[]).some((a) => a.server_id === r.id))
    .map((v) => ({ id: v.r.id, delete_on_termination: v.x.deleteOnTermination === true }));
  return {
    ...r,
    addresses: serverAddresses(world, r.id, known),
    'os-extended-volumes:volumes_attached': volumes,
    host_status: known?.hostStatus ?? hostStatus(world, r['OS-EXT-SRV-ATTR:host']),
  };
}
