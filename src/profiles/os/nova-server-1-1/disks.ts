/**
 * Disk updates of an `os.nova.server-1.1` node: block devices of the new spec that are larger
 * grow (Cinder extend), new ones are attached (a pooled volume, a named volume, or a new blank
 * volume), removed ones are detached (a pooled volume goes back to its pool, a volume senlin
 * made is deleted). Shrinking never gets here: the update's profile check refuses it.
 */
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';
import type { NodeDataStore } from '../../behaviour-support.js';
import { deviceKey, deviceLabel, type Entry, entriesOf, poolOf } from './devices.js';
import { giveBack, startPoolCall, takeVolume } from './pools.js';
import { type DeviceVolume, recordDevices, recordedDevices } from './volumes.js';

/** What a disk update works with. */
export interface DiskCall {
  readonly node: NodeView;
  readonly ctx: ProfileCallContext;
  readonly serverId: string;
  readonly store: NodeDataStore;
}

/** A device name as Nova takes it (`vdb` → `/dev/vdb`). */
function devicePath(name: string | undefined): string | undefined {
  if (name === undefined || name === '') return undefined;
  return name.startsWith('/dev/') ? name : `/dev/${name}`;
}

function waitOptions(d: DiskCall) {
  return { timeout: d.ctx.settings.novaTimeout, signal: d.ctx.signal };
}

async function volumeOf(
  d: DiskCall,
  records: Record<string, DeviceVolume>,
  key: string,
  entry: Entry,
  mappings: unknown,
): Promise<DeviceVolume> {
  if (records[key] === undefined) await recordDevices(d.ctx, d.serverId, mappings, records);
  const record = records[key];
  if (record === undefined) {
    throw new Error(`the volume of block device '${deviceLabel(entry, 0)}' could not be found`);
  }
  return record;
}

async function grow(d: DiskCall, volumeId: string, size: number): Promise<void> {
  const storage = d.ctx.drivers.blockStorage;
  const volume = await storage.getVolume(volumeId);
  if (Number(volume.size) >= size) return;
  const status = String(volume.status);
  await storage.extendVolume(volumeId, size);
  await storage.waitForVolume(volumeId, status, waitOptions(d));
}

async function attach(d: DiskCall, entry: Entry, index: number): Promise<DeviceVolume> {
  const storage = d.ctx.drivers.blockStorage;
  const device = typeof entry.device_name === 'string' ? entry.device_name : undefined;
  let record: DeviceVolume;
  if (poolOf(entry) !== null) {
    const call = await startPoolCall(d.node, d.ctx);
    try {
      const taken = await takeVolume(call, entry, index);
      record = { volume_id: String(taken.uuid) };
    } catch (err) {
      await giveBack(call);
      throw err;
    }
  } else if (entry.source_type === 'volume' && typeof entry.uuid === 'string') {
    record = { volume_id: entry.uuid };
  } else if (entry.destination_type === 'volume') {
    const body: Record<string, unknown> = {
      size: entry.volume_size,
      name: `${d.node.name}-${deviceLabel(entry, index)
        .replace(/^\/dev\//, '')
        .replace(/^#/, 'disk')}`,
    };
    if (entry.source_type === 'image' && typeof entry.uuid === 'string') body.imageRef = entry.uuid;
    if (entry.source_type === 'snapshot' && typeof entry.uuid === 'string') {
      body.snapshot_id = entry.uuid;
    }
    const volume = await storage.createVolume(body);
    record = { volume_id: volume.id, created: true };
    await storage.waitForVolume(volume.id, 'available', waitOptions(d));
  } else {
    throw new Error(
      `block device '${deviceLabel(entry, index)}' is not a volume and cannot be attached to a running server`,
    );
  }
  await d.ctx.drivers.compute.attachVolume(d.serverId, record.volume_id, devicePath(device));
  await storage.waitForVolume(record.volume_id, 'in-use', waitOptions(d));
  return record;
}

async function detach(d: DiskCall, record: DeviceVolume): Promise<void> {
  const storage = d.ctx.drivers.blockStorage;
  await d.ctx.drivers.compute.detachVolume(d.serverId, record.volume_id);
  await storage.waitForVolume(record.volume_id, 'available', waitOptions(d));
  if (record.created === true) await storage.deleteVolume(record.volume_id);
  await d.ctx.claims?.release('volume', record.volume_id, d.node.id);
}

/**
 * Applies the block device changes between `current` and `next` to the node's server; each
 * change is recorded in `data.block_devices` and stored as soon as it is made. Returns
 * whether anything changed.
 */
export async function updateDisks(d: DiskCall, current: unknown, next: unknown): Promise<boolean> {
  const records = recordedDevices(d.store.data);
  const before = new Map<string, Entry>();
  entriesOf(current).forEach((e, i) => {
    before.set(deviceKey(e, i), e);
  });
  const after = new Map<string, { entry: Entry; index: number }>();
  entriesOf(next).forEach((entry, index) => {
    after.set(deviceKey(entry, index), { entry, index });
  });
  let changed = false;
  for (const [key, entry] of before) {
    if (after.has(key) || entry.destination_type === 'local') continue;
    const record = await volumeOf(d, records, key, entry, current);
    await detach(d, record);
    delete records[key];
    await d.store.save();
    changed = true;
  }
  for (const [key, { entry, index }] of after) {
    const old = before.get(key);
    if (old === undefined) {
      records[key] = await attach(d, entry, index);
      await d.store.save();
      changed = true;
      continue;
    }
    const size = entry.volume_size;
    if (
      entry.destination_type !== 'local' &&
      typeof size === 'number' &&
      typeof old.volume_size === 'number' &&
      size > old.volume_size
    ) {
      const record = await volumeOf(d, records, key, old, current);
      await grow(d, record.volume_id, size);
      await d.store.save();
      changed = true;
    }
  }
  return changed;
}

/** True when the block devices of two specs differ. */
export function disksDiffer(current: unknown, next: unknown): boolean {
  return JSON.stringify(entriesOf(current)) !== JSON.stringify(entriesOf(next));
}
