/**
 * The volumes behind the block devices of a server node: recorded in the node's
 * `data.block_devices` (device key → volume) when the server is made, found by device name
 * on Nova and Cinder for servers made before.
 */
import { isPlainObject } from '../../../common/spec-schema/index.js';
import type { ProfileCallContext } from '../../../engine/contracts.js';
import { attachedVolumeIds } from '../nova-server/behaviour-resolve.js';
import { deviceKey, type Entry, entriesOf } from './devices.js';

/** A recorded block device volume. */
export interface DeviceVolume {
  volume_id: string;
  /** True when senlin made the volume on an update (it deletes it with the device). */
  created?: boolean;
}

/** The records of `data.block_devices` (the live object inside `data`). */
export function recordedDevices(data: Record<string, unknown>): Record<string, DeviceVolume> {
  if (!isPlainObject(data.block_devices)) data.block_devices = {};
  return data.block_devices as Record<string, DeviceVolume>;
}

/** A device name without its `/dev/` prefix (`/dev/vdb` and `vdb` name the same device). */
const bare = (name: string) => name.replace(/^\/dev\//, '');

/** Device name without `/dev/` (e.g. `vdb`) → volume id of the volumes attached to a server. */
export async function attachedDevices(
  ctx: ProfileCallContext,
  serverId: string,
): Promise<Map<string, string>> {
  const server = await ctx.drivers.compute.getServer(serverId);
  const out = new Map<string, string>();
  for (const id of attachedVolumeIds(server)) {
    const volume = await ctx.drivers.blockStorage.getVolume(id);
    const attachments = Array.isArray(volume.attachments) ? volume.attachments : [];
    for (const a of attachments) {
      if (isPlainObject(a) && a.server_id === serverId && typeof a.device === 'string') {
        out.set(bare(a.device), id);
      }
    }
  }
  return out;
}

/**
 * Records the volume of every volume-backed block device of `mappings` (the spec's entries)
 * that has none yet: the volume the server was given for it (`concrete`, the entries Nova
 * got: pooled ones name their volume), the device named by the entry, the first disk for the
 * boot device, else the attached volumes left over in device order.
 */
export async function recordDevices(
  ctx: ProfileCallContext,
  serverId: string,
  mappings: unknown,
  records: Record<string, DeviceVolume>,
  concrete: unknown = mappings,
): Promise<void> {
  const entries = entriesOf(mappings);
  const given = entriesOf(concrete);
  const pending: { key: string; entry: Entry }[] = [];
  entries.forEach((entry, i) => {
    const key = deviceKey(entry, i);
    const sent = given[i] ?? entry;
    if (records[key] !== undefined || entry.destination_type === 'local') return;
    if (sent.source_type === 'volume' && typeof sent.uuid === 'string') {
      records[key] = { volume_id: sent.uuid };
    } else pending.push({ key, entry });
  });
  if (pending.length === 0) return;
  const devices = await attachedDevices(ctx, serverId);
  const taken = new Set(Object.values(records).map((r) => r.volume_id));
  const claim = (key: string, device: string | undefined) => {
    const id = device === undefined ? undefined : devices.get(device);
    if (id === undefined || taken.has(id)) return false;
    records[key] = { volume_id: id };
    taken.add(id);
    return true;
  };
  const rest: string[] = [];
  for (const { key, entry } of pending) {
    if (typeof entry.device_name === 'string' && entry.device_name !== '') {
      claim(key, bare(entry.device_name));
    } else if (entry.boot_index === 0) {
      if (!claim(key, 'vda')) claim(key, 'sda');
    } else rest.push(key);
  }
  const leftover = [...devices.keys()].sort().filter((d) => !taken.has(devices.get(d) ?? ''));
  for (const key of rest) {
    const device = leftover.shift();
    if (device === undefined) break;
    claim(key, device);
  }
}
