import { afterEach, describe, expect, it } from 'vitest';
import { InvalidSpec } from '../../src/common/errors.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import { CloudError } from '../../src/drivers/types.js';
import type { LbSession, LbSpec } from '../../src/policies/lb-driver.js';
import {
  addMember,
  createLb,
  deleteLb,
  healthMonitorBody,
  memberAddress,
  removeMember,
  sessionPersistence,
} from '../../src/policies/lb-driver.js';
import { validateLoadBalanceWithCloud } from '../../src/policies/load-balance-behaviour.js';

const cloud = createFakeCloud();
const drivers = cloud.drivers({ userId: 'u1', projectId: 'p1' });
const session: LbSession = { drivers, timeout: 5, signal: new AbortController().signal };
afterEach(() => cloud.faults.clear());

const SPEC: LbSpec = {
  vip: { subnet: 'public-subnet', protocol: 'HTTP', protocol_port: 80, admin_state_up: true },
  pool: {
    subnet: 'private-subnet',
    protocol: 'HTTP',
    protocol_port: 80,
    lb_method: 'ROUND_ROBIN',
    admin_state_up: true,
    session_persistence: {},
  },
  healthMonitor: null,
  availabilityZone: null,
  flavorId: null,
};

function lbsNamed(name: string) {
  return cloud.listAllLoadBalancers().filter((l) => l.name === name);
}

describe('load balancer steps', () => {
  it('creates the load balancer, listener and pool named after the cluster', async () => {
    const made = await createLb(session, SPEC, 'web');
    expect(made.ok).toBe(true);
    if (!made.ok) return;
    const lb = await drivers.loadBalancer.getLoadBalancer(made.value.loadbalancer);
    expect(lb).toMatchObject({ name: 'senlin-lb-web', provisioning_status: 'ACTIVE' });
    expect(made.value.vip_address).toBe(lb.vip_address);
    expect((await drivers.loadBalancer.getListener(String(made.value.listener))).name).toBe(
      'senlin-listener-web',
    );
    expect((await drivers.loadBalancer.getPool(String(made.value.pool))).name).toBe(
      'senlin-pool-web',
    );
    expect(made.value.healthmonitor).toBeUndefined();
  });

  it('deletes what it made when a later step fails', async () => {
    cloud.faults.add({ service: 'loadBalancer', call: 'createPool', times: 1 });
    const made = await createLb(session, SPEC, 'broken');
    expect(made).toEqual({
      ok: false,
      reason: 'Failed in creating lb pool: Injected fault in loadBalancer.createPool..',
    });
    expect(lbsNamed('senlin-lb-broken')).toEqual([]);
    expect(cloud.listAll('listener').some((l) => l.name === 'senlin-listener-broken')).toBe(false);
  });

  it('reports a VIP subnet that cannot be found', async () => {
    const made = await createLb(session, { ...SPEC, vip: { ...SPEC.vip, subnet: 'nowhere' } }, 'x');
    expect(made.ok).toBe(false);
    expect(made.ok ? '' : made.reason).toMatch(/^Failed in getting subnet: /);
  });

  it('deletes a load balancer with its children, and accepts one already gone', async () => {
    const made = await createLb(
      session,
      { ...SPEC, healthMonitor: { type: 'PING', delay: 5, timeout: 3, max_retries: 2 } },
      'gone',
    );
    if (!made.ok) throw new Error(made.reason);
    expect(made.value.healthmonitor).toBeDefined();
    expect(await deleteLb(session, made.value)).toEqual({ ok: true, value: null });
    expect(lbsNamed('senlin-lb-gone')).toEqual([]);
    expect(await deleteLb(session, made.value)).toEqual({ ok: true, value: null });
  });

  it('adds a member with the address of the pool subnet network and removes it again', async () => {
    const made = await createLb(session, SPEC, 'members');
    if (!made.ok) throw new Error(made.reason);
    const { loadbalancer, pool } = made.value;
    const source = {
      name: 'web-1',
      addresses: { private: [{ version: 4, addr: '10.0.0.77' }], public: [] },
    };
    const id = await addMember(session, source, loadbalancer, String(pool), 8080, 'private-subnet');
    expect(id).not.toBeNull();
    const member = await drivers.loadBalancer.getMember(String(pool), String(id));
    expect(member).toMatchObject({ name: 'web-1', address: '10.0.0.77', protocol_port: 8080 });
    expect(await removeMember(session, loadbalancer, String(pool), String(id))).toBe(true);
    expect(await drivers.loadBalancer.listMembers(String(pool))).toEqual([]);
    expect(await removeMember(session, loadbalancer, String(pool), String(id))).toBe(true);
  });

  it('adds no member for a server without an address on the pool network', async () => {
    const made = await createLb(session, SPEC, 'noaddr');
    if (!made.ok) throw new Error(made.reason);
    const source = { name: 'x', addresses: { public: [{ version: 4, addr: '172.24.4.9' }] } };
    const { loadbalancer, pool } = made.value;
    expect(await addMember(session, source, loadbalancer, String(pool), 80, 'private-subnet')).toBe(
      null,
    );
  });

  it('reports a member removal the cloud refuses', async () => {
    const made = await createLb(session, SPEC, 'refuse');
    if (!made.ok) throw new Error(made.reason);
    const { loadbalancer, pool } = made.value;
    const source = { name: 'y', addresses: { private: [{ version: 4, addr: '10.0.0.88' }] } };
    const id = String(
      await addMember(session, source, loadbalancer, String(pool), 80, 'private-subnet'),
    );
    cloud.faults.add({
      service: 'loadBalancer',
      call: 'deleteMember',
      error: new CloudError(500, 'no'),
      times: 1,
    });
    expect(await removeMember(session, loadbalancer, String(pool), id)).toBe(false);
  });
});

describe('load balancer request pieces', () => {
  it('takes the first address of the subnet IP version on the network', () => {
    const addresses = {
      private: [
        { version: 6, addr: 'fd00::5' },
        { version: 4, addr: '10.0.0.5' },
        { version: 4, addr: '10.0.0.6' },
      ],
    };
    expect(memberAddress(addresses, 'private', 4)).toBe('10.0.0.5');
    expect(memberAddress(addresses, 'private', 6)).toBe('fd00::5');
    expect(memberAddress(addresses, 'public', 4)).toBeNull();
  });

  it('sends session persistence only when it has a type, with a cookie only for APP_COOKIE', () => {
    expect(sessionPersistence({})).toBeNull();
    expect(sessionPersistence({ type: 'NONE' })).toBeNull();
    expect(sessionPersistence({ type: 'HTTP_COOKIE', cookie_name: 'c' })).toEqual({
      type: 'HTTP_COOKIE',
    });
    expect(sessionPersistence({ type: 'APP_COOKIE', cookie_name: 'c' })).toEqual({
      type: 'APP_COOKIE',
      cookie_name: 'c',
    });
  });

  it('sends HTTP probe details only for HTTP monitors', () => {
    const hm = { type: 'PING', delay: 1, timeout: 1, max_retries: 1, url_path: '/x' };
    expect(healthMonitorBody(hm, 'p')).not.toHaveProperty('url_path');
    expect(healthMonitorBody({ ...hm, type: 'HTTP' }, 'p')).toMatchObject({
      url_path: '/x',
      pool_id: 'p',
    });
  });
});

describe('load-balancing spec checks against the cloud', () => {
  const props = (extra: Record<string, unknown> = {}) => ({
    pool: { subnet: 'private-subnet' },
    vip: { subnet: 'public-subnet' },
    ...extra,
  });

  async function messageOf(p: Record<string, unknown>): Promise<string> {
    const err = await validateLoadBalanceWithCloud(p, drivers).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidSpec);
    return (err as Error).message;
  }

  it('accepts subnets, networks, flavors and zones that exist', async () => {
    await expect(
      validateLoadBalanceWithCloud(
        props({
          vip: { network: 'public' },
          flavor_id: 'lb.small',
          availability_zone: 'ZONE1',
        }),
        drivers,
      ),
    ).resolves.toBeUndefined();
  });

  it('names what could not be found', async () => {
    expect(await messageOf(props({ pool: { subnet: 'nope' } }))).toBe(
      "The specified subnet 'nope' could not be found.",
    );
    expect(await messageOf(props({ vip: { network: 'nonet' } }))).toBe(
      "The specified network 'nonet' could not be found.",
    );
    expect(await messageOf(props({ flavor_id: 'huge' }))).toBe(
      "The specified flavor_id 'huge' could not be found.",
    );
    expect(await messageOf(props({ loadbalancer: 'lb-x' }))).toBe(
      "The specified loadbalancer 'lb-x' could not be found.",
    );
    expect(await messageOf(props({ availability_zone: 'ZONE9' }))).toBe(
      "The specified availability_zone 'ZONE9' could not be found.",
    );
  });

  it('wants a VIP subnet or network', async () => {
    expect(await messageOf(props({ vip: {} }))).toBe(
      'At least one of VIP Subnet or Network must be defined.',
    );
  });
});
