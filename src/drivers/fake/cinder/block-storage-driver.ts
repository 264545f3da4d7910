/** The BlockStorageDriver of the fake cloud (Cinder). */
import type { BlockStorageDriver, Resource } from '../../types.js';
import { badRequest, findDoc, isoMicro, newUuid, obj, str } from '../common.js';
import { K } from '../kinds.js';
import { hintsFromMap } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { createVolumeDoc, deleteVolumeDoc, extendVolumeDoc, needVolume } from './volumes.js';

const VOLUME_FAILED = new Set(['error', 'error_deleting', 'error_extending', 'error_restoring']);

function createSnapshot(world: FakeWorld, caller: Caller, body: Record<string, unknown>): Resource {
  const volumeId = str(body, 'volume_id');
  if (!volumeId)
    throw badRequest(
      "Invalid input for field/attribute snapshot. Value: 'volume_id' is a required property",
    );
  return world.store.tx(() => {
    const vol = needVolume(world, volumeId);
    const force = body.force === true || body.force === 'true';
    const status = String(vol.r.status);
    if (status !== 'available' && !(force && status === 'in-use'))
      throw badRequest(
        `Invalid volume: Volume ${volumeId} status must be available, but current status is: ${status}.`,
      );
    const metadata = (obj(body, 'metadata') ?? {}) as Record<string, string>;
    const hints = hintsFromMap(metadata);
    const now = world.now();
    const doc: Doc = {
      r: {
        id: newUuid(),
        name: str(body, 'name') ?? null,
        description: str(body, 'description') ?? null,
        volume_id: volumeId,
        size: vol.r.size,
        status: 'creating',
        metadata,
        created_at: isoMicro(now),
        updated_at: null,
        'os-extended-snapshot-attributes:project_id': caller.projectId,
        'os-extended-snapshot-attributes:progress': '0%',
      },
      x: {},
      p: [],
    };
    const at = world.readyAt(hints);
    schedule(doc, {
      at,
      set: hints.fail.has('create')
        ? { status: 'error' }
        : {
            status: 'available',
            'os-extended-snapshot-attributes:progress': '100%',
            updated_at: isoMicro(at),
          },
    });
    world.save(K.snapshot, doc);
    return doc.r;
  });
}

function deleteSnapshot(world: FakeWorld, id: string): void {
  world.change(K.snapshot, id, `Snapshot ${id} could not be found.`, (doc) => {
    const status = String(doc.r.status);
    if (status !== 'available' && status !== 'error')
      throw badRequest(
        `Invalid snapshot: Snapshot status must be available or error and must not be part of a group.`,
      );
    const hints = hintsFromMap(doc.r.metadata);
    doc.r.status = 'deleting';
    const at = world.readyAt(hints);
    if (hints.fail.has('delete')) schedule(doc, { at, set: { status: 'error_deleting' } });
    else schedule(doc, { at, del: true });
  });
}

/** Cinder calls for one caller. */
export function createBlockStorageDriver(world: FakeWorld, caller: Caller): BlockStorageDriver {
  const store = world.store;
  return {
    async getVolume(id) {
      return needVolume(world, id).r;
    },
    async listVolumes(filter = {}) {
      return store
        .list(K.volume)
        .map((d) => d.r)
        .filter((v) => filter.status === undefined || v.status === filter.status)
        .filter((v) => filter.name === undefined || v.name === filter.name)
        .filter((v) => {
          const md = (v.metadata as Record<string, string>) ?? {};
          return Object.entries(filter.metadata ?? {}).every(([k, val]) => md[k] === val);
        });
    },
    async createVolume(body) {
      return store.tx(() => createVolumeDoc(world, caller, body).r);
    },
    async extendVolume(id, size) {
      extendVolumeDoc(world, id, size);
    },
    async deleteVolume(id) {
      deleteVolumeDoc(world, id);
    },
    async createSnapshot(body) {
      return createSnapshot(world, caller, body);
    },
    async getSnapshot(id) {
      return world.need(K.snapshot, id, `Snapshot ${id} could not be found.`).r;
    },
    async deleteSnapshot(id) {
      deleteSnapshot(world, id);
    },
    async findVolumeType(nameOrId) {
      return findDoc(store, K.volumeType, nameOrId, 'volume type')?.r ?? null;
    },
    async waitForVolume(id, status, options) {
      const doc = await world.waitStatus(
        { kind: K.volume, id, target: status, label: 'Volume', fails: (s) => VOLUME_FAILED.has(s) },
        options,
      );
      return doc.r;
    },
    async waitForVolumeDelete(id, options) {
      await world.waitGone(K.volume, id, options, 'Volume', (d) =>
        d.r.status === 'error_deleting' ? 'status error_deleting' : null,
      );
    },
    async waitForSnapshot(id, status, options) {
      const doc = await world.waitStatus(
        {
          kind: K.snapshot,
          id,
          target: status,
          label: 'Snapshot',
          fails: (s) => s.startsWith('error'),
        },
        options,
      );
      return doc.r;
    },
  };
}
