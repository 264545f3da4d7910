/** Power, pause, rescue, reboot, rebuild and password actions of the fake Nova. */
import type { ServerSimpleAction } from '../../types.js';
import { badRequest, conflict, refId } from '../common.js';
import { K } from '../kinds.js';
import type { FakeWorld } from '../world.js';
import { newPassword } from './server-create.js';
import {
  backTo,
  checkServerFree,
  failIfSimulated,
  runTransition,
  serverMissing,
  type Transition,
} from './transition.js';

type Simple = Exclude<ServerSimpleAction, 'lock' | 'unlock'>;

const SIMPLE: Record<Simple, Omit<Transition, 'final'> & { to: string }> = {
  pause: { op: 'pause', allowed: ['ACTIVE'], task: 'pausing', to: 'PAUSED' },
  unpause: { op: 'unpause', allowed: ['PAUSED'], task: 'unpausing', to: 'ACTIVE' },
  suspend: { op: 'suspend', allowed: ['ACTIVE', 'PAUSED'], task: 'suspending', to: 'SUSPENDED' },
  resume: { op: 'resume', allowed: ['SUSPENDED'], task: 'resuming', to: 'ACTIVE' },
  start: { op: 'start', allowed: ['SHUTOFF'], task: 'powering-on', to: 'ACTIVE' },
  stop: { op: 'stop', allowed: ['ACTIVE', 'ERROR', 'RESCUE'], task: 'powering-off', to: 'SHUTOFF' },
  unrescue: { op: 'unrescue', allowed: ['RESCUE'], task: 'unrescuing', to: 'ACTIVE' },
};

/** pause, unpause, suspend, resume, start, stop, unrescue, lock, unlock. */
export function simpleServerAction(world: FakeWorld, id: string, action: ServerSimpleAction): void {
  if (action === 'lock' || action === 'unlock') {
    world.change(K.server, id, serverMissing(id), (doc) => {
      failIfSimulated(doc, action);
      doc.r.locked = action === 'lock';
      doc.r.locked_reason = null;
    });
    return;
  }
  const spec = SIMPLE[action];
  if (!spec) throw badRequest(`Unknown server action ${String(action)}.`);
  runTransition(world, id, { ...spec, final: (_doc, at) => backTo(spec.to, at) });
}

/** Soft or hard reboot; the server ends ACTIVE. */
export function rebootServer(world: FakeWorld, id: string, type: 'SOFT' | 'HARD'): void {
  if (type !== 'SOFT' && type !== 'HARD')
    throw badRequest(`Invalid input for field/attribute type. Value: ${String(type)}.`);
  runTransition(world, id, {
    op: 'reboot',
    allowed: type === 'SOFT' ? ['ACTIVE'] : ['ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED', 'ERROR'],
    status: type === 'SOFT' ? 'REBOOT' : 'HARD_REBOOT',
    task: type === 'SOFT' ? 'reboot_started' : 'reboot_started_hard',
    final: (_doc, at) => backTo('ACTIVE', at),
  });
}

/** Rebuilds with an image; a stopped server stays stopped, others end ACTIVE. */
export function rebuildServer(
  world: FakeWorld,
  id: string,
  options: { image: string; name?: string; adminPass?: string | null },
): void {
  const imageId = refId(options.image) ?? '';
  const image = world.store.get(K.image, imageId);
  if (!image) throw badRequest(`Image ${options.image} could not be found.`);
  if (image.r.status !== 'active') throw badRequest(`Image ${imageId} is not active.`);
  runTransition(world, id, {
    op: 'rebuild',
    allowed: ['ACTIVE', 'SHUTOFF', 'ERROR'],
    status: 'REBUILD',
    task: 'rebuilding',
    start(doc) {
      doc.r.image = { id: image.r.id, links: [] };
      if (options.name) doc.r.name = options.name;
      doc.x.adminPass = options.adminPass ?? newPassword();
    },
    final: (doc, at) => backTo(doc.r.status === 'SHUTOFF' ? 'SHUTOFF' : 'ACTIVE', at),
  });
}

/** Rescue mode (RESCUE until unrescued). */
export function rescueServer(
  world: FakeWorld,
  id: string,
  options: { adminPass?: string; imageRef?: string },
): void {
  if (options.imageRef && !world.store.get(K.image, refId(options.imageRef) ?? ''))
    throw badRequest(`Image ${options.imageRef} could not be found.`);
  runTransition(world, id, {
    op: 'rescue',
    allowed: ['ACTIVE', 'SHUTOFF', 'ERROR'],
    task: 'rescuing',
    start(doc) {
      doc.x.rescuePass = options.adminPass ?? newPassword();
    },
    final: (_doc, at) => backTo('RESCUE', at),
  });
}

/** Sets the admin password of a running server. */
export function changeServerPassword(world: FakeWorld, id: string, adminPass: string): void {
  if (typeof adminPass !== 'string')
    throw badRequest('Invalid input for field/attribute adminPass.');
  runTransition(world, id, {
    op: 'change_password',
    allowed: ['ACTIVE'],
    status: 'PASSWORD',
    task: 'updating_password',
    start(doc) {
      doc.x.adminPass = adminPass;
    },
    final: (_doc, at) => backTo('ACTIVE', at),
  });
}

/** Renames a server (and/or changes its description). */
export function updateServer(
  world: FakeWorld,
  id: string,
  changes: { name?: string; description?: string },
): void {
  world.change(K.server, id, serverMissing(id), (doc) => {
    failIfSimulated(doc, 'update');
    if (changes.name !== undefined) {
      if (typeof changes.name !== 'string' || changes.name === '')
        throw badRequest('Invalid input for field/attribute name.');
      doc.r.name = changes.name;
    }
    if (changes.description !== undefined) doc.r.description = changes.description;
  });
}

/** Replaces all metadata of a server. */
export function setServerMetadata(
  world: FakeWorld,
  id: string,
  metadata: Record<string, string>,
): void {
  world.change(K.server, id, serverMissing(id), (doc) => {
    checkServerFree(doc, 'update_metadata');
    failIfSimulated(doc, 'metadata');
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string')
        throw badRequest(`Invalid input for field/attribute metadata. Value: ${k}.`);
    doc.r.metadata = { ...metadata };
  });
}

/** Removes metadata keys (keys that are not set are ignored). */
export function deleteServerMetadata(world: FakeWorld, id: string, keys: readonly string[]): void {
  world.change(K.server, id, serverMissing(id), (doc) => {
    if (doc.r.locked === true) throw conflict(`Instance ${id} is locked`);
    failIfSimulated(doc, 'metadata');
    const md = { ...(doc.r.metadata as Record<string, string>) };
    for (const key of keys) delete md[key];
    doc.r.metadata = md;
  });
}
