import { afterEach, describe, expect, it } from 'vitest';
import { CloudWaitFailed } from '../../../src/drivers/types.js';
import { ACCOUNTS, labDrivers, uniqueName } from '../support/lab.js';
import { runCleanups } from '../support/senlin.js';
import { LAB } from '../support/specs.js';

// The Heat, Octavia and Zaqar drivers against the real services, beyond the shared contract:
// Heat's failure reasons, Octavia's refusals while busy, Zaqar across two clients.
const demo = labDrivers(ACCOUNTS.demo);
const cleanups: (() => Promise<unknown>)[] = [];
const wait = { timeout: 300, interval: 1 };

afterEach(async () => {
  await runCleanups(cleanups);
});

describe('the Heat driver on Heat', () => {
  it('fails the wait of a failed create with the reason Heat gives', async () => {
    const heat = demo.orchestration;
    const made = await heat.createStack({
      stack_name: uniqueName('failing'),
      template: {
        heat_template_version: '2018-08-31',
        resources: { broken: { type: 'OS::Heat::TestResource', properties: { fail: true } } },
      },
    });
    cleanups.push(async () => {
      await heat.deleteStack(made.id);
      await heat.waitForStackDelete(made.id, wait);
    });
    const failure = heat.waitForStack(made.id, 'CREATE_COMPLETE', wait);
    await expect(failure).rejects.toBeInstanceOf(CloudWaitFailed);
    await expect(failure).rejects.toThrow(/CREATE_FAILED: .*broken/);
  });
});

describe('the Octavia driver on Octavia', () => {
  it('adds five members asked for at once, one after the other', async () => {
    const octavia = demo.loadBalancer;
    const subnet = await demo.network.findSubnet(LAB.subnet);
    const lb = await octavia.createLoadBalancer({
      name: uniqueName('busy'),
      vip_subnet_id: subnet?.id,
    });
    cleanups.push(async () => {
      await octavia.deleteLoadBalancer(lb.id, { cascade: true });
      await octavia.waitForLoadBalancerDelete(lb.id, wait);
    });
    await octavia.waitForLoadBalancer(lb.id, 'ACTIVE', wait);
    const listener = await octavia.createListener({
      loadbalancer_id: lb.id,
      protocol: 'TCP',
      protocol_port: 22,
    });
    // no wait here: the driver waits when Octavia refuses the pool while the LB is busy
    const pool = await octavia.createPool({
      listener_id: listener.id,
      protocol: 'TCP',
      lb_algorithm: 'LEAST_CONNECTIONS',
    });
    const addresses = ['10.0.0.211', '10.0.0.212', '10.0.0.213', '10.0.0.214', '10.0.0.215'];
    await Promise.all(
      addresses.map((address) =>
        octavia.createMember(pool.id, { address, protocol_port: 22, subnet_id: subnet?.id }),
      ),
    );
    await octavia.waitForLoadBalancer(lb.id, 'ACTIVE', wait);
    const members = await octavia.listMembers(pool.id);
    expect(members.map((m) => m.address).sort()).toEqual(addresses);
    await Promise.all(members.map((m) => octavia.deleteMember(pool.id, m.id)));
    await octavia.waitForLoadBalancer(lb.id, 'ACTIVE', wait);
    expect(await octavia.listMembers(pool.id)).toEqual([]);
  });
});

describe('the Zaqar driver on Zaqar', () => {
  it('lets one client claim what another client posted', async () => {
    const poster = labDrivers(ACCOUNTS.demo).message;
    const claimer = labDrivers(ACCOUNTS.demo).message;
    const queue = uniqueName('handover');
    await poster.createQueue(queue);
    cleanups.push(() => poster.deleteQueue(queue));
    const [id] = await poster.postMessages(queue, [{ body: { hello: 'there' }, ttl: 120 }]);
    const claim = await claimer.claimMessages(queue, { limit: 5, ttl: 60, grace: 60 });
    expect(claim.messages).toEqual([{ id, body: { hello: 'there' }, ttl: expect.any(Number) }]);
    await claimer.deleteMessage(queue, String(id), claim.claimId);
    expect((await poster.claimMessages(queue)).messages).toEqual([]);
  });
});
