/**
 * Shared rules of the fake Octavia: a load balancer is immutable unless ACTIVE; changing one
 * of its children puts it in PENDING_UPDATE until the transition time; views compute the
 * id lists (listeners, pools, members) and member health from the current state.
 */
import type { Resource } from '../../types.js';
import { conflict, isoZ, notFound } from '../common.js';
import { K } from '../kinds.js';
import { addressState } from '../neutron/liveness.js';
import { type Hints, hintsFromTags } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { FakeWorld } from '../world.js';

/** A load balancer or CloudNotFound. */
export function needLb(world: FakeWorld, id: string): Doc {
  const doc = world.store.get(K.loadBalancer, id);
  if (!doc || doc.r.provisioning_status === 'DELETED')
    throw notFound(`Load Balancer ${id} could not be found.`);
  return doc;
}

/** Refuses changes to a load balancer that is not ACTIVE. */
export function requireMutable(lb: Doc): void {
  if (lb.r.provisioning_status !== 'ACTIVE')
    throw conflict(`Load Balancer ${lb.r.id} is immutable and cannot be updated.`);
}

/** Hints of an Octavia object (from its tags). */
export function octaviaHints(doc: Doc | Record<string, unknown>): Hints {
  const r = 'r' in doc ? (doc as Doc).r : doc;
  return hintsFromTags((r as Record<string, unknown>).tags);
}

/** Puts the load balancer in PENDING_UPDATE until `at`. */
export function touchLb(world: FakeWorld, lb: Doc, at: number): void {
  lb.r.provisioning_status = 'PENDING_UPDATE';
  lb.r.updated_at = isoZ(world.now());
  schedule(lb, { at, set: { provisioning_status: 'ACTIVE', updated_at: isoZ(at) } });
  world.save(K.loadBalancer, lb);
}

/** A new child object: PENDING_CREATE, then ACTIVE (ERROR with `simulated_fail=create`). */
export function startChild(world: FakeWorld, lb: Doc, child: Doc, kind: string): void {
  const hints = octaviaHints(child);
  const at = world.readyAt(hints);
  const fails = hints.fail.has('create');
  child.r.provisioning_status = 'PENDING_CREATE';
  schedule(child, {
    at,
    set: fails
      ? { provisioning_status: 'ERROR', operating_status: 'ERROR' }
      : {
          provisioning_status: 'ACTIVE',
          operating_status:
            child.r.operating_status === 'OFFLINE' ? 'ONLINE' : child.r.operating_status,
          updated_at: isoZ(at),
        },
  });
  touchLb(world, lb, at);
  world.save(kind, child);
}

/** Deletes a child: PENDING_DELETE, then gone (ERROR with `simulated_fail=delete`). */
export function endChild(
  world: FakeWorld,
  lb: Doc,
  child: Doc,
  kind: string,
  cascade: readonly (readonly [string, Doc])[] = [],
): void {
  const hints = octaviaHints(child);
  const at = world.readyAt(hints);
  child.r.provisioning_status = 'PENDING_DELETE';
  if (hints.fail.has('delete')) schedule(child, { at, set: { provisioning_status: 'ERROR' } });
  else {
    schedule(child, { at, del: true });
    for (const [k, d] of cascade) {
      schedule(d, { at, del: true });
      world.save(k, d);
    }
  }
  touchLb(world, lb, at);
  world.save(kind, child);
}

const ids = (docs: Doc[]): { id: string }[] => docs.map((d) => ({ id: d.r.id }));

/** The children of a load balancer. */
export function lbChildren(world: FakeWorld, lbId: string, kind: string): Doc[] {
  return world.store.byParent(kind, lbId);
}

/** A load balancer as Octavia shows it. */
export function lbView(world: FakeWorld, doc: Doc): Resource {
  return {
    ...doc.r,
    listeners: ids(lbChildren(world, doc.r.id, K.listener)),
    pools: ids(lbChildren(world, doc.r.id, K.pool)),
  };
}

/** The health monitor of a pool, or null. */
export function poolMonitor(world: FakeWorld, pool: Doc): Doc | null {
  return (
    lbChildren(world, String(pool.x.lb), K.healthMonitor).find((h) => h.x.pool === pool.r.id) ??
    null
  );
}

/** A pool as Octavia shows it. */
export function poolView(world: FakeWorld, doc: Doc): Resource {
  const listeners = lbChildren(world, String(doc.x.lb), K.listener).filter(
    (l) => l.r.default_pool_id === doc.r.id,
  );
  return {
    ...doc.r,
    listeners: ids(listeners),
    members: ids(world.store.byParent(K.member, doc.r.id)),
    healthmonitor_id: poolMonitor(world, doc)?.r.id ?? null,
  };
}

/** A member as Octavia shows it (health from whether its address answers). */
export function memberView(world: FakeWorld, doc: Doc): Resource {
  let operating = 'NO_MONITOR';
  const pool = world.store.get(K.pool, String(doc.x.pool));
  if (doc.r.provisioning_status !== 'ACTIVE') operating = 'OFFLINE';
  else if (pool && poolMonitor(world, pool))
    operating = addressState(world, String(doc.r.address)) === 'live' ? 'ONLINE' : 'ERROR';
  return { ...doc.r, operating_status: operating };
}
