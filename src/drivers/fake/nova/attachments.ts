/** Interfaces and volume attachments of servers of the fake Nova. */
import type { Resource } from '../../types.js';
import { attachVolumeDoc, detachVolumeDoc, needVolume, serverVolumes } from '../cinder/volumes.js';
import { badRequest, conflict, notFound } from '../common.js';
import { K } from '../kinds.js';
import { bindPort, createPortDoc, devicePorts, unbindPort } from '../neutron/ports.js';
import { hintsFromMap } from '../simulate.js';
import type { Doc } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { checkServerFree, failIfSimulated, serverMissing } from './transition.js';

const ATTACHABLE = ['ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED'];

/** A port as Nova's interfaceAttachment. */
export function interfaceView(port: Doc): Resource {
  return {
    id: port.r.id,
    port_id: port.r.id,
    net_id: port.r.network_id,
    mac_addr: port.r.mac_address,
    port_state: port.r.status,
    fixed_ips: port.r.fixed_ips,
    tag: null,
  };
}

function needAttachable(world: FakeWorld, id: string, op: string): Doc {
  const doc = world.need(K.server, id, serverMissing(id));
  checkServerFree(doc, op);
  if (!ATTACHABLE.includes(String(doc.r.status)))
    throw conflict(
      `Cannot '${op}' instance ${id} while it is in vm_state ${String(doc.r['OS-EXT-STS:vm_state'])}`,
    );
  failIfSimulated(doc, op);
  return doc;
}

/** The interfaces of a server. */
export function listServerInterfaces(world: FakeWorld, id: string): Resource[] {
  world.need(K.server, id, serverMissing(id));
  return devicePorts(world, id).map(interfaceView);
}

/** Plugs a port (existing, or made on a network) into a server. */
export function createServerInterface(
  world: FakeWorld,
  caller: Caller,
  id: string,
  options: { portId?: string; netId?: string },
): Resource {
  return world.store.tx(() => {
    const server = needAttachable(world, id, 'interface_attach');
    const at = world.readyAt(hintsFromMap(server.r.metadata));
    let port: Doc | null;
    if (options.portId) {
      port = world.store.get(K.port, options.portId);
      if (!port) throw notFound(`Port ${options.portId} could not be found.`);
      if (port.r.device_id) throw conflict(`Port ${options.portId} is still in use.`);
    } else if (options.netId) {
      if (!world.store.get(K.network, options.netId))
        throw notFound(`Network ${options.netId} could not be found.`);
      port = createPortDoc(world, caller, { networkId: options.netId });
      port.x.nova = true;
    } else throw badRequest('Either a port or a network must be given to attach an interface.');
    const host = (server.r['OS-EXT-SRV-ATTR:host'] as string | null) ?? null;
    bindPort(world, port, id, host, String(server.r['OS-EXT-AZ:availability_zone']), at);
    world.touch(K.server, id);
    return interfaceView(port);
  });
}

/** Unplugs a port from a server (deleting it when Nova made it). */
export function deleteServerInterface(world: FakeWorld, id: string, portId: string): void {
  world.store.tx(() => {
    needAttachable(world, id, 'interface_detach');
    const port = world.store.get(K.port, portId);
    if (!port || port.r.device_id !== id) throw notFound(`Port ${portId} is not attached`);
    if (port.x.nova === true) {
      world.store.releaseIps(portId);
      world.store.remove(K.port, portId);
      world.touch(K.port, portId);
    } else unbindPort(world, port);
    world.touch(K.server, id);
  });
}

function nextDevice(world: FakeWorld, server: Doc): string {
  const used = new Set(
    serverVolumes(world, server.r.id).flatMap((v) =>
      (v.r.attachments as { device: string }[]).map((a) => a.device),
    ),
  );
  if (server.r.image) used.add('/dev/vda');
  for (let i = 0; i < 26; i += 1) {
    const dev = `/dev/vd${String.fromCharCode(97 + i)}`;
    if (!used.has(dev)) return dev;
  }
  throw badRequest('No free disk device names for prefix vd');
}

/** Attaches a volume: `attaching`, then `in-use`. */
export function attachVolume(
  world: FakeWorld,
  serverId: string,
  volumeId: string,
  device?: string,
): Resource {
  return world.store.tx(() => {
    const server = needAttachable(world, serverId, 'volume_attach');
    const vol = needVolume(world, volumeId);
    if (vol.r.status !== 'available')
      throw badRequest(
        `Invalid volume: volume '${volumeId}' status must be 'available'. Currently in '${String(vol.r.status)}'`,
      );
    const at = world.readyAt(hintsFromMap(server.r.metadata));
    const dev = device ?? nextDevice(world, server);
    const host = (server.r['OS-EXT-SRV-ATTR:host'] as string | null) ?? null;
    attachVolumeDoc(world, vol, { id: serverId, host }, dev, at);
    world.touch(K.server, serverId);
    return {
      id: volumeId,
      volumeId,
      serverId,
      device: dev,
      tag: null,
      delete_on_termination: false,
    };
  });
}

/** Detaches a volume: `detaching`, then `available`. */
export function detachVolume(world: FakeWorld, serverId: string, volumeId: string): void {
  world.store.tx(() => {
    const server = needAttachable(world, serverId, 'volume_detach');
    const vol = world.store.get(K.volume, volumeId);
    const attached = (vol?.r.attachments as { server_id: string }[] | undefined)?.some(
      (a) => a.server_id === serverId,
    );
    if (!vol || !attached)
      throw notFound(
        `Volume attachment could not be found with filter: volume_id = ${volumeId}, instance_uuid = ${serverId}.`,
      );
    if (vol.x.boot === true) throw badRequest('Cannot detach a root device volume');
    const at = world.readyAt(hintsFromMap(server.r.metadata));
    detachVolumeDoc(world, vol, at);
    world.touch(K.server, serverId);
  });
}
