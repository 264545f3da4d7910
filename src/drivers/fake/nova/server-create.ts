/**
 * Server creation of the fake Nova: the server is BUILD until its transition time, then
 * ACTIVE (or ERROR when no host fits or `simulated_fail` contains `create`). Ports and volumes
 * are set up at once, the way Nova does while building.
 */
import { createHash } from 'node:crypto';
import type { Resource } from '../../types.js';
import { attachVolumeDoc, createVolumeDoc, needVolume } from '../cinder/volumes.js';
import { badRequest, isoZ, newUuid, randomText } from '../common.js';
import { K } from '../kinds.js';
import { bindPort, createPortDoc } from '../neutron/ports.js';
import { hintsFromMap } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { pickHost, placeOnHost } from './scheduler.js';
import { parseServerRequest, type ServerRequest } from './server-request.js';
import { type KnownParts, serverView } from './server-view.js';
import { errorFields, POWER, restingFields } from './states.js';

/** `hostId` of a server: a digest of its project and host, as Nova computes it. */
export function hostDigest(projectId: string, host: string | null): string {
  return host ? createHash('sha224').update(`${projectId}${host}`).digest('hex') : '';
}

/** A random admin password. */
export function newPassword(): string {
  return randomText(12);
}

/** The embedded flavor of a server (microversion 2.47 shape, plus the flavor id). */
export function embeddedFlavor(flavor: Resource): Record<string, unknown> {
  return {
    id: flavor.id,
    original_name: flavor.name,
    vcpus: flavor.vcpus,
    ram: flavor.ram,
    disk: flavor.disk,
    ephemeral: flavor['OS-FLV-EXT-DATA:ephemeral'] ?? 0,
    swap: flavor.swap ?? 0,
    extra_specs: flavor.extra_specs ?? {},
  };
}

function deviceName(index: number): string {
  return `/dev/vd${String.fromCharCode(97 + index)}`;
}

function setUpVolumes(
  world: FakeWorld,
  caller: Caller,
  req: ServerRequest,
  server: { id: string; host: string | null },
  at: number,
): Doc[] {
  const out: Doc[] = [];
  let next = req.image ? 1 : 0;
  for (const dev of req.devices) {
    if (dev.destinationType !== 'volume') continue;
    let vol: Doc;
    if (dev.sourceType === 'volume') {
      vol = needVolume(world, dev.uuid ?? '');
      if (vol.r.status !== 'available')
        throw badRequest(
          `Invalid volume: volume '${vol.r.id}' status must be 'available'. Currently in '${String(vol.r.status)}'`,
        );
    } else {
      const body: Record<string, unknown> = { size: dev.volumeSize ?? Number(req.flavor.disk) };
      if (dev.sourceType === 'image') body.imageRef = dev.uuid;
      if (dev.sourceType === 'snapshot') body.snapshot_id = dev.uuid;
      if (dev.volumeType) body.volume_type = dev.volumeType;
      vol = createVolumeDoc(world, caller, body);
      vol.p = [];
    }
    const boot = dev.bootIndex === 0;
    const device = dev.deviceName ?? deviceName(boot ? 0 : next++);
    attachVolumeDoc(world, vol, server, device, at, {
      boot,
      deleteOnTermination: dev.deleteOnTermination,
    });
    out.push(vol);
  }
  return out;
}

function setUpPorts(
  world: FakeWorld,
  caller: Caller,
  req: ServerRequest,
  id: string,
  host: string,
  zone: string,
  at: number,
): Doc[] {
  if (req.networks === 'none') return [];
  return req.networks.map((entry) => {
    if (entry.port) {
      bindPort(world, entry.port, id, host, zone, at);
      return entry.port;
    }
    const fixedIps = entry.fixedIp ? [{ ip_address: entry.fixedIp }] : undefined;
    return createPortDoc(world, caller, {
      networkId: entry.networkId ?? '',
      securityGroups: req.securityGroups,
      groupsChecked: true,
      deviceId: id,
      binding: { host, zone, activeAt: at },
      nova: true,
      ...(fixedIps ? { fixedIps } : {}),
    });
  });
}

/** Creates a server; returns it as Nova shows it right after the request (BUILD). */
export function createServer(
  world: FakeWorld,
  caller: Caller,
  input: Record<string, unknown>,
): Resource {
  const req = parseServerRequest(world, caller, input);
  const hints = hintsFromMap(req.metadata);
  return world.store.tx(() => {
    const id = newUuid();
    const now = world.now();
    const at = world.readyAt(hints);
    const zone = req.zone ?? 'nova';
    const group = req.group ? world.store.get(K.serverGroup, req.group.r.id) : null;
    const host = pickHost(world, { zone: req.zone, host: req.forcedHost, group });
    const failure = !host
      ? 'No valid host was found. There are not enough hosts available.'
      : hints.fail.has('create')
        ? `Simulated failure of create of server ${id}.`
        : null;
    const placedHost = failure ? null : host;
    const body = req.body;
    const doc: Doc = {
      r: {
        id,
        name: req.name,
        tenant_id: caller.projectId,
        user_id: caller.userId,
        metadata: req.metadata,
        image: req.image ? { id: req.image.id, links: [] } : '',
        flavor: embeddedFlavor(req.flavor),
        created: isoZ(now),
        hostId: hostDigest(caller.projectId, placedHost),
        key_name: req.keyName,
        config_drive: body.config_drive === true || body.config_drive === 'True' ? 'True' : '',
        accessIPv4: '',
        accessIPv6: '',
        progress: 0,
        locked: false,
        locked_reason: null,
        description: typeof body.description === 'string' ? body.description : null,
        tags: [],
        security_groups: req.securityGroupNames.map((name) => ({ name })),
        server_groups: group ? [group.r.id] : [],
        'OS-DCF:diskConfig': body['OS-DCF:diskConfig'] === 'MANUAL' ? 'MANUAL' : 'AUTO',
        'OS-EXT-AZ:availability_zone': zone,
        'OS-EXT-SRV-ATTR:host': placedHost,
        'OS-EXT-SRV-ATTR:hypervisor_hostname': placedHost,
        'OS-EXT-SRV-ATTR:instance_name': `instance-${world.store.addToCounter('seq:instance').toString(16).padStart(8, '0')}`,
        'OS-SRV-USG:launched_at': null,
        'OS-SRV-USG:terminated_at': null,
        ...restingFields('BUILD', now),
        'OS-EXT-STS:task_state': 'scheduling',
      },
      x: { adminPass: req.adminPass ?? newPassword(), group: group?.r.id ?? null },
      p: [],
    };
    if (group) {
      group.r.members = [...((group.r.members as string[]) ?? []), id];
      world.save(K.serverGroup, group);
    }
    const known: KnownParts = { ports: [], volumes: [], hostStatus: '' };
    if (failure) {
      schedule(doc, { at, set: errorFields(at, failure) });
    } else {
      placeOnHost(world, placedHost, group?.r.id ?? null, 1);
      known.ports = setUpPorts(world, caller, req, id, String(placedHost), zone, at);
      known.volumes = setUpVolumes(world, caller, req, { id, host: placedHost }, at);
      known.hostStatus = 'UP';
      schedule(doc, {
        at,
        set: {
          ...restingFields('ACTIVE', at),
          'OS-EXT-STS:power_state': POWER.RUNNING,
          'OS-SRV-USG:launched_at': isoZ(at),
        },
      });
    }
    world.save(K.server, doc);
    return { ...serverView(world, doc, known), adminPass: doc.x.adminPass };
  });
}
