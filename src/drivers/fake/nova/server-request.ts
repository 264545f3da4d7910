/** Parsing and checking of a server create request of the fake Nova (the 400s of the API). */
import type { Resource } from '../../types.js';
import { ZONES } from '../catalogue.js';
import { badRequest, conflict, forbidden, obj, refId, str } from '../common.js';
import { K } from '../kinds.js';
import { networkById } from '../neutron/ports.js';
import { findSecurityGroup } from '../neutron/security-groups.js';
import type { Doc } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { zoneList } from './hosts.js';

/** A network entry of the request. */
export interface NetworkEntry {
  networkId: string | null;
  port: Doc | null;
  fixedIp: string | null;
}

/** A block device mapping entry of the request. */
export interface BlockDevice {
  sourceType: string;
  destinationType: string;
  uuid: string | null;
  volumeSize: number | null;
  bootIndex: number | null;
  deleteOnTermination: boolean;
  deviceName: string | null;
  volumeType: string | null;
}

/** A checked create request. */
export interface ServerRequest {
  name: string;
  metadata: Record<string, string>;
  flavor: Resource;
  image: Resource | null;
  keyName: string | null;
  zone: string | null;
  forcedHost: string | null;
  group: Doc | null;
  securityGroups: string[];
  securityGroupNames: string[];
  networks: NetworkEntry[] | 'none';
  devices: BlockDevice[];
  adminPass: string | null;
  body: Record<string, unknown>;
}

/** Checks server metadata: string keys and values of at most 255 characters, 128 items. */
export function checkMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw badRequest('Invalid input for field/attribute metadata. Value: must be an object.');
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 128)
    throw forbidden(
      'Quota exceeded for metadata_items: Requested 129, but already used 0 of 128 metadata_items',
    );
  for (const [k, v] of entries) {
    if (typeof v !== 'string')
      throw badRequest(`Invalid input for field/attribute metadata. Value: ${k} is not a string.`);
    if (k.length === 0 || k.length > 255 || v.length > 255)
      throw badRequest(
        'Invalid input for field/attribute metadata. Value: keys and values must be 1-255 characters.',
      );
  }
  return value as Record<string, string>;
}

function parseZone(
  world: FakeWorld,
  az: string | undefined,
): { zone: string | null; host: string | null } {
  if (!az) return { zone: null, host: null };
  const [zonePart = '', hostPart = ''] = az.split(':');
  const zone = zonePart || null;
  const host = hostPart || null;
  if (zone && !ZONES.includes(zone as (typeof ZONES)[number]))
    throw badRequest('The requested availability zone is not available');
  if (zone && !zoneList(world, [zone])[0]?.available)
    throw badRequest('The requested availability zone is not available');
  if (host && world.store.byName(K.hypervisor, host).length === 0)
    throw badRequest(`Compute host ${host} could not be found.`);
  return { zone, host };
}

function parseNetworks(world: FakeWorld, value: unknown): NetworkEntry[] | 'none' {
  if (value === 'none') return 'none';
  if (value === undefined || value === null || value === 'auto') {
    const net = world.cached(
      'network-named:private',
      () => world.store.byName(K.network, 'private')[0]?.r,
    );
    return net ? [{ networkId: net.id, port: null, fixedIp: null }] : 'none';
  }
  if (!Array.isArray(value)) throw badRequest('Invalid input for field/attribute networks.');
  return value.map((raw): NetworkEntry => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const portId = str(entry, 'port');
    if (portId) {
      const port = world.store.get(K.port, portId);
      if (!port) throw badRequest(`Port id ${portId} could not be found.`);
      if (port.r.device_id) throw conflict(`Port ${portId} is still in use.`);
      return { networkId: String(port.r.network_id), port, fixedIp: null };
    }
    const netId = str(entry, 'uuid') ?? str(entry, 'network');
    if (!netId) throw badRequest('Bad networks format: network uuid is not in proper format.');
    if (!networkById(world, netId)) throw badRequest(`Network ${netId} could not be found.`);
    return { networkId: netId, port: null, fixedIp: str(entry, 'fixed_ip') ?? null };
  });
}

function parseDevices(value: unknown): BlockDevice[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw badRequest('Invalid input for field/attribute block_device_mapping_v2.');
  return value.map((raw) => {
    const e = (raw ?? {}) as Record<string, unknown>;
    const num = (v: unknown): number | null =>
      v === undefined || v === null || v === '' ? null : Number(v);
    return {
      sourceType: String(e.source_type ?? ''),
      destinationType: String(e.destination_type ?? 'local'),
      uuid: str(e, 'uuid') ?? null,
      volumeSize: num(e.volume_size),
      bootIndex: num(e.boot_index),
      deleteOnTermination: e.delete_on_termination === true || e.delete_on_termination === 'true',
      deviceName: str(e, 'device_name') ?? null,
      volumeType: str(e, 'volume_type') ?? null,
    };
  });
}

function checkImage(flavor: Resource, image: Resource, bootFromVolume: boolean): void {
  if (image.status !== 'active') throw badRequest(`Image ${image.id} is not active.`);
  if (bootFromVolume) return;
  const minDisk = Number(image.min_disk ?? 0);
  if (Number(flavor.disk) > 0 && Number(flavor.disk) < minDisk)
    throw badRequest(
      `Flavor's disk is too small for requested image. Flavor disk is ${Number(flavor.disk) * 2 ** 30} bytes, minimum requested disk is ${minDisk * 2 ** 30} bytes.`,
    );
  if (Number(flavor.ram) < Number(image.min_ram ?? 0))
    throw badRequest("Flavor's memory is too small for requested image.");
}

/** Checks a create request the way Nova's API does before accepting it. */
export function parseServerRequest(
  world: FakeWorld,
  caller: Caller,
  input: Record<string, unknown>,
): ServerRequest {
  const body = obj(input, 'server') ?? input;
  const name = str(body, 'name');
  if (!name)
    throw badRequest(
      "Invalid input for field/attribute server. Value: 'name' is a required property",
    );
  const metadata = checkMetadata(body.metadata);
  const flavorId = refId(body.flavorRef);
  const flavor = flavorId ? world.store.get(K.flavor, flavorId)?.r : undefined;
  if (!flavor) throw badRequest(`Flavor ${String(body.flavorRef)} could not be found.`);
  if (flavor['OS-FLV-DISABLED:disabled'] === true) throw badRequest('Flavor is disabled.');
  const devices = parseDevices(body.block_device_mapping_v2);
  const bootFromVolume = devices.some((d) => d.bootIndex === 0 && d.destinationType === 'volume');
  const imageId = refId(body.imageRef);
  const image = imageId ? (world.store.get(K.image, imageId)?.r ?? null) : null;
  if (imageId && !image) throw badRequest(`Image ${imageId} could not be found.`);
  // Nova does not add the image to a block device mapping v2: a mapping needs a boot device.
  const noBootDevice = devices.length > 0 && !devices.some((d) => d.bootIndex === 0);
  if ((!image && !bootFromVolume) || noBootDevice)
    throw badRequest(
      'Block Device Mapping is Invalid: Boot sequence for the instance and image/block device mapping combination is not valid.',
    );
  if (image) checkImage(flavor, image, bootFromVolume);
  const keyName = str(body, 'key_name') ?? null;
  if (keyName && !world.store.get(K.keypair, keyName))
    throw badRequest('Invalid key_name provided.');
  const { zone, host } = parseZone(world, str(body, 'availability_zone'));
  const hints =
    obj(input, 'os:scheduler_hints') ??
    obj(body, 'os:scheduler_hints') ??
    obj(body, 'scheduler_hints') ??
    {};
  const groupId = str(hints, 'group');
  const group = groupId ? world.store.get(K.serverGroup, groupId) : null;
  if (groupId && !group)
    throw badRequest(`Invalid server group: group ${groupId} could not be found.`);
  const groups = (
    Array.isArray(body.security_groups) ? body.security_groups : [{ name: 'default' }]
  ).map((sg) => {
    const sgName = String((sg as Record<string, unknown>)?.name ?? sg);
    const found = findSecurityGroup(world, caller, sgName);
    if (!found) throw badRequest(`Unable to find security_group with name or id '${sgName}'`);
    return found;
  });
  const userData = str(body, 'user_data');
  if (userData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(userData))
    throw badRequest(
      'Invalid input for field/attribute user_data. Value: not a valid base64 string.',
    );
  return {
    name,
    metadata,
    flavor,
    image,
    keyName,
    zone,
    forcedHost: host,
    group,
    securityGroups: groups.map((g) => g.id),
    securityGroupNames: groups.map((g) => String(g.name)),
    networks: parseNetworks(world, body.networks),
    devices,
    adminPass: str(body, 'adminPass') ?? null,
    body,
  };
}
