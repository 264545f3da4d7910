/** Reading Octavia objects: by id, by name, and which load balancer an object belongs to. */
import { CloudConflict, CloudNotFound, type Resource } from '../types.js';
import type { OpenStackSession } from './session.js';

/** The catalog type of Octavia. */
export const LB_SERVICE = 'load-balancer';

/** The Octavia v2 collection path of each object kind, and the key of one object in a body. */
export const LB_KINDS = {
  loadbalancer: { path: '/v2/lbaas/loadbalancers', label: 'Load Balancer' },
  listener: { path: '/v2/lbaas/listeners', label: 'Listener' },
  pool: { path: '/v2/lbaas/pools', label: 'Pool' },
  healthmonitor: { path: '/v2/lbaas/healthmonitors', label: 'Health Monitor' },
  flavor: { path: '/v2/lbaas/flavors', label: 'Flavor' },
} as const;

/** An Octavia object kind. */
export type LbKind = keyof typeof LB_KINDS;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Octavia's message for a missing object. */
export function lbNotFound(kind: LbKind | 'member', id: string): CloudNotFound {
  const label = kind === 'member' ? 'Member' : LB_KINDS[kind].label;
  return new CloudNotFound(`${label} ${id} could not be found.`);
}

/** One object by id; objects Octavia still shows as DELETED count as missing. */
export async function readLbObject(
  session: OpenStackSession,
  kind: LbKind,
  id: string,
): Promise<Resource> {
  const res = await session.request<Record<string, Resource | undefined>>(
    LB_SERVICE,
    `${LB_KINDS[kind].path}/${encodeURIComponent(id)}`,
  );
  const found = res.body?.[kind];
  if (!found || found.provisioning_status === 'DELETED') throw lbNotFound(kind, id);
  return found;
}

/** An object by id or by (unique) name, or null. */
export async function findLbObject(
  session: OpenStackSession,
  kind: LbKind,
  nameOrId: string,
): Promise<Resource | null> {
  if (UUID_RE.test(nameOrId)) {
    try {
      return await readLbObject(session, kind, nameOrId);
    } catch (err) {
      if (!(err instanceof CloudNotFound)) throw err;
    }
  }
  const key = `${kind}s`;
  const matches = (
    await session.list<Resource>(LB_SERVICE, LB_KINDS[kind].path, key, {
      query: { name: nameOrId },
    })
  ).filter((r) => r.name === nameOrId && r.provisioning_status !== 'DELETED');
  if (matches.length > 1)
    throw new CloudConflict(
      `More than one ${LB_KINDS[kind].label} exists with the name ${nameOrId}.`,
    );
  return matches[0] ?? null;
}

function firstId(list: unknown): string | null {
  if (!Array.isArray(list)) return null;
  const first = list[0] as { id?: unknown } | undefined;
  return typeof first?.id === 'string' ? first.id : null;
}

/** The id of the load balancer that owns a listener, pool or health monitor (null: unknown). */
export async function owningLoadBalancer(
  session: OpenStackSession,
  kind: 'listener' | 'pool' | 'healthmonitor',
  id: string,
): Promise<string | null> {
  try {
    const obj = await readLbObject(session, kind, id);
    const direct = firstId(obj.loadbalancers);
    if (direct) return direct;
    if (kind === 'healthmonitor') {
      const pool = firstId(obj.pools);
      return pool ? owningLoadBalancer(session, 'pool', pool) : null;
    }
    return null;
  } catch {
    return null;
  }
}

/** The load balancer a create request body hangs under (directly or through a parent). */
export async function loadBalancerOfBody(
  session: OpenStackSession,
  body: Readonly<Record<string, unknown>>,
): Promise<string | null> {
  if (typeof body.loadbalancer_id === 'string') return body.loadbalancer_id;
  if (typeof body.listener_id === 'string')
    return owningLoadBalancer(session, 'listener', body.listener_id);
  if (typeof body.pool_id === 'string') return owningLoadBalancer(session, 'pool', body.pool_id);
  return null;
}
