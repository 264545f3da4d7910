/** The LoadBalancerDriver of the fake cloud (Octavia). */
import type { LoadBalancerDriver } from '../../types.js';
import { findDoc, notFound } from '../common.js';
import { K } from '../kinds.js';
import type { Caller, FakeWorld } from '../world.js';
import {
  createHealthMonitor,
  createListener,
  createMember,
  createPool,
  deleteChild,
  needPool,
} from './children.js';
import { lbView, memberView, needLb, poolView } from './lb-common.js';
import { createLoadBalancer, deleteLoadBalancer } from './load-balancers.js';

/** Octavia calls for one caller. */
export function createLoadBalancerDriver(world: FakeWorld, caller: Caller): LoadBalancerDriver {
  const store = world.store;
  return {
    async findLoadBalancer(nameOrId) {
      const doc = findDoc(
        store,
        K.loadBalancer,
        nameOrId,
        'load balancer',
        (d) => d.r.provisioning_status !== 'DELETED',
      );
      return doc ? lbView(world, doc) : null;
    },
    async getLoadBalancer(id) {
      return lbView(world, needLb(world, id));
    },
    async waitForLoadBalancer(id, status, options) {
      const doc = await world.waitStatus(
        {
          kind: K.loadBalancer,
          id,
          field: 'provisioning_status',
          target: status,
          label: 'Load balancer',
          missing: `Load Balancer ${id} could not be found.`,
          fails: (s) => s === 'ERROR',
        },
        options,
      );
      return lbView(world, doc);
    },
    async waitForLoadBalancerDelete(id, options) {
      await world.waitGone(K.loadBalancer, id, options, 'Load balancer', (d) =>
        d.r.provisioning_status === 'ERROR' ? 'provisioning status ERROR' : null,
      );
    },
    async createLoadBalancer(body) {
      return createLoadBalancer(world, caller, body);
    },
    async deleteLoadBalancer(id, options = {}) {
      deleteLoadBalancer(world, id, options.cascade === true);
    },
    async createListener(body) {
      return createListener(world, caller, body);
    },
    async getListener(id) {
      return world.need(K.listener, id, `Listener ${id} could not be found.`).r;
    },
    async deleteListener(id) {
      deleteChild(world, K.listener, id, 'Listener');
    },
    async createPool(body) {
      return createPool(world, caller, body);
    },
    async getPool(id) {
      return poolView(world, needPool(world, id));
    },
    async deletePool(id) {
      deleteChild(world, K.pool, id, 'Pool');
    },
    async createMember(poolId, body) {
      return createMember(world, caller, poolId, body);
    },
    async getMember(poolId, memberId) {
      const doc = store.get(K.member, memberId);
      if (!doc || doc.x.pool !== poolId) throw notFound(`Member ${memberId} could not be found.`);
      return memberView(world, doc);
    },
    async listMembers(poolId) {
      needPool(world, poolId);
      return store.byParent(K.member, poolId).map((d) => memberView(world, d));
    },
    async deleteMember(poolId, memberId) {
      const doc = store.get(K.member, memberId);
      if (!doc || doc.x.pool !== poolId) throw notFound(`Member ${memberId} could not be found.`);
      deleteChild(world, K.member, memberId, 'Member');
    },
    async createHealthMonitor(body) {
      return createHealthMonitor(world, caller, body);
    },
    async getHealthMonitor(id) {
      return world.need(K.healthMonitor, id, `Health Monitor ${id} could not be found.`).r;
    },
    async deleteHealthMonitor(id) {
      deleteChild(world, K.healthMonitor, id, 'Health Monitor');
    },
    async findFlavor(nameOrId) {
      return findDoc(store, K.lbFlavor, nameOrId, 'flavor')?.r ?? null;
    },
    async findAvailabilityZone(name) {
      return store.get(K.lbZone, name)?.r ?? null;
    },
  };
}
