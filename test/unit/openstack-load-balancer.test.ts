import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLoadBalancerDriver } from '../../src/drivers/openstack/load-balancer.js';
import { CloudConflict, CloudNotFound, type LoadBalancerDriver } from '../../src/drivers/types.js';
import type { OpenStackStub } from '../support/openstack-stub.js';
import { FAST_OPTIONS, servicesStub } from './openstack-services-stub.js';

const LBAAS = '/octavia/v2/lbaas';
const LB = '11111111-1111-4111-8111-111111111111';
let stub: OpenStackStub;
let octavia: LoadBalancerDriver;

const immutable = {
  status: 409,
  body: {
    faultcode: 'Client',
    faultstring: `Load Balancer ${LB} is immutable and cannot be updated.`,
  },
};

beforeEach(async () => {
  const made = await servicesStub();
  stub = made.stub;
  octavia = createLoadBalancerDriver(made.session, FAST_OPTIONS);
  stub.on('GET', `${LBAAS}/pools/p-1`, {
    body: { pool: { id: 'p-1', loadbalancers: [{ id: LB }], provisioning_status: 'ACTIVE' } },
  });
});

afterEach(async () => {
  await stub.close();
});

describe('the Octavia driver', () => {
  it('waits for the load balancer to be ACTIVE and retries a change it refused as immutable', async () => {
    let posts = 0;
    stub.on('POST', `${LBAAS}/pools/p-1/members`, () => {
      posts += 1;
      return posts === 1 ? immutable : { status: 201, body: { member: { id: 'm-1' } } };
    });
    let reads = 0;
    stub.on('GET', `${LBAAS}/loadbalancers/${LB}`, () => {
      reads += 1;
      return {
        body: {
          loadbalancer: { id: LB, provisioning_status: reads < 2 ? 'PENDING_UPDATE' : 'ACTIVE' },
        },
      };
    });
    const member = await octavia.createMember('p-1', { address: '10.0.0.5', protocol_port: 80 });
    expect(member.id).toBe('m-1');
    expect(posts).toBe(2);
    expect(reads).toBeGreaterThanOrEqual(2);
    expect(stub.calls(`${LBAAS}/pools/p-1/members`, 'POST')[1]?.body).toEqual({
      member: { address: '10.0.0.5', protocol_port: 80 },
    });
  });

  it('gives up on an immutable load balancer when it ends in ERROR', async () => {
    stub.on('DELETE', `${LBAAS}/pools/p-1/members/m-1`, immutable);
    stub.on('GET', `${LBAAS}/loadbalancers/${LB}`, {
      body: { loadbalancer: { id: LB, provisioning_status: 'ERROR' } },
    });
    await expect(octavia.deleteMember('p-1', 'm-1')).rejects.toThrow(/ERROR/);
  });

  it('does not retry other conflicts', async () => {
    stub.on('POST', `${LBAAS}/pools/p-1/members`, {
      status: 409,
      body: {
        faultstring:
          'Another member on this pool is already using ip 10.0.0.5 on protocol_port 80.',
      },
    });
    await expect(octavia.createMember('p-1', { address: '10.0.0.5' })).rejects.toBeInstanceOf(
      CloudConflict,
    );
    expect(stub.calls(`${LBAAS}/pools/p-1/members`, 'POST')).toHaveLength(1);
  });

  it('finds a load balancer by name, refusing an ambiguous one', async () => {
    stub.on('GET', `${LBAAS}/loadbalancers`, (req) => ({
      body: {
        loadbalancers:
          req.query.get('name') === 'twice'
            ? [
                { id: 'a', name: 'twice', provisioning_status: 'ACTIVE' },
                { id: 'b', name: 'twice', provisioning_status: 'ACTIVE' },
              ]
            : [{ id: 'c', name: 'web', provisioning_status: 'ACTIVE' }],
      },
    }));
    expect((await octavia.findLoadBalancer('web'))?.id).toBe('c');
    expect(await octavia.findLoadBalancer('other')).toBeNull();
    await expect(octavia.findLoadBalancer('twice')).rejects.toBeInstanceOf(CloudConflict);
  });

  it('treats a DELETED load balancer as gone', async () => {
    stub.on('GET', `${LBAAS}/loadbalancers/${LB}`, {
      body: { loadbalancer: { id: LB, provisioning_status: 'DELETED' } },
    });
    await expect(octavia.getLoadBalancer(LB)).rejects.toBeInstanceOf(CloudNotFound);
    await octavia.waitForLoadBalancerDelete(LB, { timeout: 1 });
  });

  it('deletes with cascade when asked', async () => {
    stub.on('DELETE', `${LBAAS}/loadbalancers/${LB}`, { status: 204 });
    await octavia.deleteLoadBalancer(LB, { cascade: true });
    expect(stub.calls(`${LBAAS}/loadbalancers/${LB}`, 'DELETE')[0]?.query.get('cascade')).toBe(
      'true',
    );
  });
});
