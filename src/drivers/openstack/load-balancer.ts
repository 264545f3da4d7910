/**
 * The LoadBalancerDriver over Octavia's v2 REST API. Octavia refuses (409, "immutable") any
 * change to a load balancer that is not ACTIVE; every create and delete of this driver then
 * waits for the load balancer to be ACTIVE again and retries, until the action timeout, so that
 * changes made at the same time for several nodes go through one after the other.
 */
import {
  CloudConflict,
  CloudError,
  CloudNotFound,
  type LoadBalancerDriver,
  type Resource,
} from '../types.js';
import { pause } from './http.js';
import {
  findLbObject,
  LB_KINDS,
  LB_SERVICE,
  type LbKind,
  lbNotFound,
  loadBalancerOfBody,
  owningLoadBalancer,
  readLbObject,
} from './load-balancer-lookup.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';
import { waitForStatus, waitTiming } from './wait.js';

const IMMUTABLE_RE = /immutable|PENDING_/i;

const provisioning = (r: Resource): string => String(r.provisioning_status ?? '');

/** Octavia calls over one session. */
export function createLoadBalancerDriver(
  session: OpenStackSession,
  options: OpenStackDriverOptions,
): LoadBalancerDriver {
  const timing = { timeoutSeconds: options.actionTimeout, intervalMs: options.waitIntervalMs };

  const waitActive = (lbId: string, deadline: number): Promise<Resource> =>
    waitForStatus(() => readLbObject(session, 'loadbalancer', lbId), provisioning, {
      until: ['ACTIVE'],
      failOn: ['ERROR'],
      timeoutMs: Math.max(0, deadline - Date.now()),
      intervalMs: Math.min(1000, options.waitIntervalMs),
      what: `Load balancer ${lbId}`,
    });

  /**
   * Runs `call`; while Octavia answers that the load balancer is immutable, waits for it to be
   * ACTIVE and runs it again.
   */
  async function whenMutable<T>(lbId: () => Promise<string | null>, call: () => Promise<T>) {
    const deadline = Date.now() + options.actionTimeout * 1000;
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof CloudConflict) || !IMMUTABLE_RE.test(err.message)) throw err;
        const id = await lbId();
        if (id === null || Date.now() >= deadline) throw err;
        await waitActive(id, deadline);
        // callers racing for the same load balancer: let them take turns
        await pause(100 + Math.floor(Math.random() * 400));
      }
    }
  }

  async function create(kind: LbKind, path: string, body: Record<string, unknown>) {
    return whenMutable(
      () => loadBalancerOfBody(session, body),
      async () => {
        const res = await session.request<Record<string, Resource>>(LB_SERVICE, path, {
          method: 'POST',
          body: { [kind]: body },
        });
        const created = res.body?.[kind];
        if (!created) throw new CloudError(502, `Octavia answered a ${kind} create without it.`);
        return created;
      },
    );
  }

  async function remove(kind: 'listener' | 'pool' | 'healthmonitor', id: string) {
    const lb = await owningLoadBalancer(session, kind, id);
    await whenMutable(
      async () => lb,
      () =>
        session.request(LB_SERVICE, `${LB_KINDS[kind].path}/${encodeURIComponent(id)}`, {
          method: 'DELETE',
        }),
    );
  }

  const poolLb = (poolId: string) => owningLoadBalancer(session, 'pool', poolId);
  const memberPath = (poolId: string, memberId?: string) =>
    `${LB_KINDS.pool.path}/${encodeURIComponent(poolId)}/members${
      memberId === undefined ? '' : `/${encodeURIComponent(memberId)}`
    }`;

  return {
    findLoadBalancer: (nameOrId) => findLbObject(session, 'loadbalancer', nameOrId),
    getLoadBalancer: (id) => readLbObject(session, 'loadbalancer', id),
    async waitForLoadBalancer(id, status, waitOptions) {
      return waitForStatus(() => readLbObject(session, 'loadbalancer', id), provisioning, {
        ...waitTiming(waitOptions, timing),
        until: [status],
        failOn: ['ERROR', ...(waitOptions.failures ?? [])].filter((s) => s !== status),
        what: `Load balancer ${id}`,
      });
    },
    async waitForLoadBalancerDelete(id, waitOptions) {
      await waitForStatus(() => readLbObject(session, 'loadbalancer', id), provisioning, {
        ...waitTiming(waitOptions, timing),
        until: ['DELETED'],
        failOn: ['ERROR', ...(waitOptions.failures ?? [])],
        what: `Deletion of load balancer ${id}`,
        notFoundIsDone: true,
      });
    },
    getListener: (id) => readLbObject(session, 'listener', id),
    getPool: (id) => readLbObject(session, 'pool', id),
    async getMember(poolId, memberId) {
      const res = await session.request<{ member?: Resource }>(
        LB_SERVICE,
        memberPath(poolId, memberId),
      );
      const member = res.body?.member;
      if (!member || member.provisioning_status === 'DELETED') throw lbNotFound('member', memberId);
      return member;
    },
    getHealthMonitor: (id) => readLbObject(session, 'healthmonitor', id),
    createLoadBalancer: (body) => create('loadbalancer', LB_KINDS.loadbalancer.path, body),
    async deleteLoadBalancer(id, deleteOptions = {}) {
      await whenMutable(
        async () => id,
        () =>
          session.request(LB_SERVICE, `${LB_KINDS.loadbalancer.path}/${encodeURIComponent(id)}`, {
            method: 'DELETE',
            query: deleteOptions.cascade ? { cascade: true } : undefined,
          }),
      );
    },
    createListener: (body) => create('listener', LB_KINDS.listener.path, body),
    deleteListener: (id) => remove('listener', id),
    createPool: (body) => create('pool', LB_KINDS.pool.path, body),
    deletePool: (id) => remove('pool', id),
    async createMember(poolId, body) {
      return whenMutable(
        () => poolLb(poolId),
        async () => {
          const res = await session.request<{ member?: Resource }>(LB_SERVICE, memberPath(poolId), {
            method: 'POST',
            body: { member: body },
          });
          if (!res.body?.member)
            throw new CloudError(502, 'Octavia answered a member create without it.');
          return res.body.member;
        },
      );
    },
    async listMembers(poolId) {
      return (await session.list<Resource>(LB_SERVICE, memberPath(poolId), 'members')).filter(
        (m) => m.provisioning_status !== 'DELETED',
      );
    },
    async deleteMember(poolId, memberId) {
      const lb = await poolLb(poolId);
      await whenMutable(
        async () => lb,
        () => session.request(LB_SERVICE, memberPath(poolId, memberId), { method: 'DELETE' }),
      );
    },
    createHealthMonitor: (body) => create('healthmonitor', LB_KINDS.healthmonitor.path, body),
    deleteHealthMonitor: (id) => remove('healthmonitor', id),
    findFlavor: (nameOrId) => findLbObject(session, 'flavor', nameOrId),
    async findAvailabilityZone(name) {
      try {
        const res = await session.request<{ availability_zone?: Resource }>(
          LB_SERVICE,
          `/v2/lbaas/availabilityzones/${encodeURIComponent(name)}`,
        );
        const zone = res.body?.availability_zone;
        return zone ? { ...zone, id: String(zone.name ?? name) } : null;
      } catch (err) {
        if (err instanceof CloudNotFound) return null;
        throw err;
      }
    },
  };
}
