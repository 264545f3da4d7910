/**
 * Server deletion of the fake Nova: the server shows task `deleting` until its transition time,
 * then disappears. Ports Nova made are deleted, other ports are unbound, volumes are detached
 * (or deleted when `delete_on_termination`), floating IPs are disassociated.
 */
import { CloudError } from '../../types.js';
import { detachVolumeDoc, serverVolumes } from '../cinder/volumes.js';
import { conflict } from '../common.js';
import { K } from '../kinds.js';
import { devicePorts, unbindPort } from '../neutron/ports.js';
import { hintsFromMap } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { FakeWorld } from '../world.js';
import { placeOnHost } from './scheduler.js';
import { serverMissing } from './transition.js';

/** Options of a deletion. */
export interface DeleteOptions {
  force?: boolean;
  /** Skip lock and `simulated_fail` checks and take no time (deletion behind senlin's back). */
  outOfBand?: boolean;
}

function releaseNetworking(world: FakeWorld, serverId: string, at: number): void {
  for (const port of devicePorts(world, serverId)) {
    for (const fip of world.store.byParent(K.floatingIp, port.r.id)) {
      schedule(fip, { at, set: { port_id: null, fixed_ip_address: null, status: 'DOWN' } });
      world.save(K.floatingIp, fip);
    }
    if (port.x.nova === true) {
      world.store.releaseIps(port.r.id);
      schedule(port, { at, del: true });
      world.save(K.port, port);
    } else unbindPort(world, port, at);
  }
}

function leaveGroup(world: FakeWorld, doc: Doc): void {
  const groupId = doc.x.group as string | null;
  placeOnHost(world, (doc.r['OS-EXT-SRV-ATTR:host'] as string | null) ?? null, groupId, -1);
  if (!groupId) return;
  const group = world.store.get(K.serverGroup, groupId);
  if (!group) return;
  group.r.members = ((group.r.members as string[]) ?? []).filter((m) => m !== doc.r.id);
  world.save(K.serverGroup, group);
}

/** Deletes a server (asynchronously, like Nova). */
export function deleteServer(world: FakeWorld, id: string, options: DeleteOptions = {}): void {
  world.store.tx(() => {
    const doc = world.need(K.server, id, serverMissing(id));
    if (doc.x.deleting === true) return;
    const hints = hintsFromMap(doc.r.metadata);
    if (!options.outOfBand) {
      if (doc.r.locked === true) throw conflict(`Instance ${id} is locked`);
      if (hints.fail.has('delete'))
        throw new CloudError(500, `Simulated failure of delete of server ${id}.`);
    }
    const at = options.outOfBand ? world.now() : world.readyAt(hints);
    releaseNetworking(world, id, at);
    for (const vol of serverVolumes(world, id))
      detachVolumeDoc(world, vol, at, vol.x.deleteOnTermination === true);
    leaveGroup(world, doc);
    doc.x.deleting = true;
    doc.r['OS-EXT-STS:task_state'] = 'deleting';
    doc.p = [];
    schedule(doc, { at, del: true });
    world.save(K.server, doc);
  });
}
