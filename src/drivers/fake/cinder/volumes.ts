/** Volumes of the fake Cinder, also used by Nova (attachments, boot volumes). */
import type { Resource } from '../../types.js';
import { badRequest, findDoc, isoMicro, newUuid, notFound, obj, str } from '../common.js';
import { K } from '../kinds.js';
import { hintsFromMap } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';

/** The Cinder availability zone. */
export const VOLUME_ZONE = 'nova';

const DELETABLE = new Set([
  'available',
  'error',
  'error_restoring',
  'error_extending',
  'error_managing',
]);

/** A volume or CloudNotFound. */
export function needVolume(world: FakeWorld, id: string): Doc {
  return world.need(K.volume, id, `Volume ${id} could not be found.`);
}

function volumeTypeName(world: FakeWorld, requested: string | undefined): string {
  if (requested === undefined) {
    const def = world.store.list(K.volumeType).find((d) => d.x.default === true);
    return String(def?.r.name ?? 'lvmdriver-1');
  }
  const type = findDoc(world.store, K.volumeType, requested, 'volume type');
  if (!type) throw notFound(`Volume type with name ${requested} could not be found.`);
  return String(type.r.name);
}

/** Sizes and sources of a new volume, checked. */
function resolveSource(world: FakeWorld, body: Record<string, unknown>) {
  let size = typeof body.size === 'number' ? body.size : Number(body.size ?? Number.NaN);
  let imageMeta: Record<string, unknown> | null = null;
  const snapshotId = str(body, 'snapshot_id') ?? null;
  const sourceId = str(body, 'source_volid') ?? null;
  const imageRef = str(body, 'imageRef') ?? str(body, 'image_id');
  if (snapshotId) {
    const snap = world.need(K.snapshot, snapshotId, `Snapshot ${snapshotId} could not be found.`);
    if (snap.r.status !== 'available')
      throw badRequest(
        `Invalid snapshot: Originating snapshot status must be one of 'available' values`,
      );
    if (Number.isNaN(size)) size = Number(snap.r.size);
    if (size < Number(snap.r.size))
      throw badRequest(
        'Invalid input received: Volume size cannot be lesser than the snapshot size.',
      );
  }
  if (sourceId) {
    const src = needVolume(world, sourceId);
    if (Number.isNaN(size)) size = Number(src.r.size);
  }
  if (imageRef) {
    const image = world.store.get(K.image, imageRef);
    if (!image) throw badRequest(`Invalid image identifier or unable to access requested image.`);
    if (image.r.status !== 'active') throw badRequest(`Image ${imageRef} is not active.`);
    const minDisk = Math.max(
      Number(image.r.min_disk ?? 0),
      Math.ceil(Number(image.r.size ?? 0) / 2 ** 30),
    );
    if (!Number.isNaN(size) && size < minDisk)
      throw badRequest(
        `Invalid input received: Image minDisk size ${minDisk} is larger than the volume size ${size}.`,
      );
    imageMeta = { image_id: image.r.id, image_name: image.r.name, min_disk: image.r.min_disk };
  }
  if (!Number.isInteger(size) || size < 1)
    throw badRequest(
      `Invalid input received: Volume size '${String(body.size)}' must be an integer and greater than 0.`,
    );
  return { size, snapshotId, sourceId, imageMeta };
}

/** Creates a volume: `creating`, then `available` (or `error` with `simulated_fail: create`). */
export function createVolumeDoc(
  world: FakeWorld,
  caller: Caller,
  body: Record<string, unknown>,
): Doc {
  const metadata = (obj(body, 'metadata') ?? {}) as Record<string, string>;
  const zone = str(body, 'availability_zone') ?? VOLUME_ZONE;
  if (zone !== VOLUME_ZONE)
    throw badRequest(`Invalid input received: Availability zone '${zone}' is invalid.`);
  const source = resolveSource(world, body);
  const typeName = volumeTypeName(world, str(body, 'volume_type'));
  const hints = hintsFromMap(metadata);
  const now = world.now();
  const id = newUuid();
  const doc: Doc = {
    r: {
      id,
      name: str(body, 'name') ?? null,
      description: str(body, 'description') ?? null,
      size: source.size,
      status: 'creating',
      volume_type: typeName,
      availability_zone: zone,
      bootable: source.imageMeta ? 'true' : 'false',
      encrypted: false,
      multiattach: false,
      attachments: [],
      metadata,
      snapshot_id: source.snapshotId,
      source_volid: source.sourceId,
      consistencygroup_id: null,
      replication_status: null,
      user_id: caller.userId,
      'os-vol-tenant-attr:tenant_id': caller.projectId,
      created_at: isoMicro(now),
      updated_at: null,
      ...(source.imageMeta ? { volume_image_metadata: source.imageMeta } : {}),
    },
    x: {},
    p: [],
  };
  const at = world.readyAt(hints);
  schedule(doc, {
    at,
    set: { status: hints.fail.has('create') ? 'error' : 'available', updated_at: isoMicro(at) },
  });
  world.save(K.volume, doc);
  return doc;
}

/** Attaches a volume to a server: `attaching` now, `in-use` at `at`. */
export function attachVolumeDoc(
  world: FakeWorld,
  vol: Doc,
  server: { id: string; host: string | null },
  device: string,
  at: number,
  options: { boot?: boolean; deleteOnTermination?: boolean } = {},
): Resource {
  const attachmentId = newUuid();
  const attachment = {
    id: vol.r.id,
    attachment_id: attachmentId,
    volume_id: vol.r.id,
    server_id: server.id,
    host_name: server.host,
    device,
    attached_at: isoMicro(world.now()),
  };
  Object.assign(vol.r, { status: 'attaching', attachments: [attachment] });
  vol.x.boot = options.boot === true;
  vol.x.deleteOnTermination = options.deleteOnTermination === true;
  schedule(vol, { at, set: { status: 'in-use', updated_at: isoMicro(at) } });
  world.save(K.volume, vol);
  return attachment;
}

/** Detaches a volume: `detaching` now, `available` at `at` (deleted when `remove`). */
export function detachVolumeDoc(world: FakeWorld, vol: Doc, at: number, remove = false): void {
  vol.r.status = 'detaching';
  if (remove) schedule(vol, { at, del: true });
  else
    schedule(vol, { at, set: { status: 'available', attachments: [], updated_at: isoMicro(at) } });
  vol.x.boot = false;
  world.save(K.volume, vol);
}

/** The volumes attached to a server. */
export function serverVolumes(world: FakeWorld, serverId: string): Doc[] {
  return world.store.byParent(K.volume, serverId);
}

/** Deletes a volume (`deleting`, then gone; `error_deleting` with `simulated_fail: delete`). */
export function deleteVolumeDoc(world: FakeWorld, id: string): void {
  world.store.tx(() => {
    const vol = needVolume(world, id);
    const status = String(vol.r.status);
    if (!DELETABLE.has(status))
      throw badRequest(
        `Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots or be disassociated from snapshots after volume transfer.`,
      );
    const snaps = world.store.byParent(K.snapshot, id).length;
    if (snaps > 0)
      throw badRequest(`Invalid volume: Volume ${id} still has ${snaps} dependent snapshots.`);
    const hints = hintsFromMap(vol.r.metadata);
    const at = world.readyAt(hints);
    vol.r.status = 'deleting';
    if (hints.fail.has('delete')) schedule(vol, { at, set: { status: 'error_deleting' } });
    else schedule(vol, { at, del: true });
    world.save(K.volume, vol);
  });
}

/** Grows a volume (`extending`, then back to its status with the new size). */
export function extendVolumeDoc(world: FakeWorld, id: string, size: number): void {
  world.change(K.volume, id, `Volume ${id} could not be found.`, (vol) => {
    const status = String(vol.r.status);
    if (status !== 'available' && status !== 'in-use')
      throw badRequest(
        `Invalid volume: Volume ${id} status must be available or in-use, but current status is: ${status}.`,
      );
    if (!Number.isInteger(size) || size <= Number(vol.r.size))
      throw badRequest(
        `Invalid input received: New size for extend must be greater than current size. (current: ${String(vol.r.size)}, extended: ${size}).`,
      );
    const hints = hintsFromMap(vol.r.metadata);
    const at = world.readyAt(hints);
    vol.r.status = 'extending';
    schedule(vol, {
      at,
      set: hints.fail.has('extend')
        ? { status: 'error_extending' }
        : { status, size, updated_at: isoMicro(at) },
    });
  });
}
