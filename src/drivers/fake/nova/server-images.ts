/** Server snapshots (images made from servers) and server groups of the fake Nova. */
import type { Resource } from '../../types.js';
import { badRequest, findDoc, isoZ, newUuid, notFound } from '../common.js';
import { K } from '../kinds.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';
import { checkMetadata } from './server-request.js';
import { backTo, runTransition, serverFails } from './transition.js';

/** Creates an image of a server; returns the image id (`queued`, then `active`). */
export function createServerImage(
  world: FakeWorld,
  caller: Caller,
  id: string,
  name: string,
  metadata: Record<string, string> = {},
): string {
  if (typeof name !== 'string' || name === '')
    throw badRequest('Invalid input for field/attribute name.');
  const props = checkMetadata(metadata);
  const imageId = newUuid();
  return world.store.tx(() => {
    runTransition(world, id, {
      op: 'snapshot',
      allowed: ['ACTIVE', 'SHUTOFF', 'PAUSED', 'SUSPENDED'],
      task: 'image_snapshot',
      final: (doc, at) => backTo(String(doc.r.status), at),
      failed: (doc, at) => backTo(String(doc.r.status), at),
      start() {},
    });
    const server = world.need(K.server, id, `Instance ${id} could not be found.`);
    const now = world.now();
    const flavor = server.r.flavor as { disk?: number; ram?: number };
    const base = server.r.image as { id?: string } | '';
    const image: Doc = {
      r: {
        ...props,
        id: imageId,
        name,
        status: 'queued',
        visibility: 'private',
        protected: false,
        disk_format: 'qcow2',
        container_format: 'bare',
        min_disk: flavor.disk ?? 0,
        min_ram: 0,
        size: null,
        owner: caller.projectId,
        user_id: caller.userId,
        image_type: 'snapshot',
        instance_uuid: id,
        base_image_ref: base ? (base.id ?? '') : '',
        tags: [],
        created_at: isoZ(now),
        updated_at: isoZ(now),
      },
      x: {},
      p: [],
    };
    const at = Math.max(now, ...server.p.map((p) => p.at));
    const fails = serverFails(server, 'snapshot');
    schedule(image, {
      at,
      set: fails ? { status: 'killed' } : { status: 'active', size: 21_233_664 },
    });
    world.save(K.image, image);
    return imageId;
  });
}

const GROUP_POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];

/** Creates a server group with one policy. */
export function createServerGroup(
  world: FakeWorld,
  caller: Caller,
  name: string,
  policy: string,
): Resource {
  if (typeof name !== 'string' || name === '' || name.length > 255)
    throw badRequest('Invalid input for field/attribute name.');
  if (!GROUP_POLICIES.includes(policy))
    throw badRequest(
      `Invalid input for field/attribute policy. Value: ${policy}. '${policy}' is not one of ${JSON.stringify(GROUP_POLICIES)}`,
    );
  const doc: Doc = {
    r: {
      id: newUuid(),
      name,
      policy,
      policies: [policy],
      rules: {},
      members: [],
      metadata: {},
      project_id: caller.projectId,
      user_id: caller.userId,
    },
    x: { hosts: {} },
    p: [],
  };
  world.save(K.serverGroup, doc);
  return doc.r;
}

/** A server group by name or id, or null. */
export function findServerGroup(world: FakeWorld, nameOrId: string): Resource | null {
  return findDoc(world.store, K.serverGroup, nameOrId, 'server group')?.r ?? null;
}

/** A server group or CloudNotFound. */
export function getServerGroup(world: FakeWorld, id: string): Resource {
  return world.need(K.serverGroup, id, `Instance group ${id} could not be found.`).r;
}

/** Deletes a server group (its servers stay). */
export function deleteServerGroup(world: FakeWorld, id: string): void {
  world.store.tx(() => {
    if (!world.store.get(K.serverGroup, id))
      throw notFound(`Instance group ${id} could not be found.`);
    world.store.remove(K.serverGroup, id);
    world.touch(K.serverGroup, id);
  });
}
