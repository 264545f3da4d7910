import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  CloudWaitFailed,
  type Resource,
} from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let cloud: FakeCloud;
let d: CloudDrivers;

beforeEach(() => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
});
afterEach(() => cloud.close());

async function imageId(name = 'cirros'): Promise<string> {
  const image = await d.compute.findImage(name);
  return String(image?.id);
}

async function boot(extra: Record<string, unknown> = {}): Promise<Resource> {
  return d.compute.createServer({
    name: 'srv',
    flavorRef: '1',
    imageRef: await imageId(),
    ...extra,
  });
}

async function active(extra: Record<string, unknown> = {}): Promise<Resource> {
  const server = await boot(extra);
  return d.compute.waitForServer(server.id, 'ACTIVE', wait);
}

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

describe('fake Nova catalogue', () => {
  it('finds flavors by name and by id', async () => {
    expect((await d.compute.findFlavor('m1.small'))?.id).toBe('2');
    expect((await d.compute.findFlavor('3'))?.name).toBe('m1.medium');
    expect(await d.compute.findFlavor('m9.huge')).toBeNull();
  });

  it('marks the retired flavor as disabled', async () => {
    const flavor = await d.compute.findFlavor('m1.retired');
    expect(flavor?.['OS-FLV-DISABLED:disabled']).toBe(true);
  });

  it('finds both cirros images and the oskey keypair', async () => {
    expect((await d.compute.findImage('cirros-0.4.0-x86_64-disk'))?.status).toBe('active');
    expect(await d.compute.findImage('cirros')).not.toBeNull();
    expect((await d.compute.findKeypair('oskey'))?.name).toBe('oskey');
    expect(await d.compute.findKeypair('nokey')).toBeNull();
  });

  it('has the flavor and image senlin-tempest-plugin updates profiles to, and no other name', async () => {
    expect((await d.compute.findFlavor('new_flavor'))?.id).toBe('7');
    expect((await d.compute.findImage('new_image'))?.status).toBe('active');
    expect(await d.compute.findFlavor('old_flavor')).toBeNull();
    expect(await d.compute.findImage('old_image')).toBeNull();
  });

  it('lists the zones nova, ZONE1 and ZONE2 as available', async () => {
    expect(await d.compute.availabilityZones()).toEqual([
      { zoneName: 'nova', available: true },
      { zoneName: 'ZONE1', available: true },
      { zoneName: 'ZONE2', available: true },
    ]);
  });

  it('lists two up and enabled hypervisors', async () => {
    const hypervisors = await d.compute.listHypervisors();
    expect(hypervisors.map((h) => [h.hypervisor_hostname, h.state, h.status])).toEqual([
      ['host1', 'up', 'enabled'],
      ['host2', 'up', 'enabled'],
    ]);
    expect((await d.compute.getHypervisor(String(hypervisors[0]?.id))).hypervisor_hostname).toBe(
      'host1',
    );
  });
});

describe('fake Nova server lifecycle', () => {
  it('creates a server in BUILD that becomes ACTIVE', async () => {
    const server = await boot({ metadata: { role: 'web' } });
    expect(server.status).toBe('BUILD');
    expect(server.adminPass).toEqual(expect.any(String));
    const ready = await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    expect(ready.status).toBe('ACTIVE');
    expect(ready['OS-EXT-STS:vm_state']).toBe('active');
    expect(ready['OS-EXT-STS:power_state']).toBe(1);
    expect(ready.metadata).toEqual({ role: 'web' });
  });

  it('records the project and user of the credentials', async () => {
    const server = await active();
    expect(server.tenant_id).toBe('project-1');
    expect(server.user_id).toBe('user-1');
  });

  it('gives the server an address on the private network', async () => {
    const server = await active();
    const addresses = server.addresses as Record<string, { addr: string }[]>;
    expect(addresses.private?.[0]?.addr).toMatch(/^10\.0\.\d+\.\d+$/);
  });

  it('places the server on a host of its zone', async () => {
    const server = await active({ availability_zone: 'ZONE2' });
    expect(server['OS-EXT-AZ:availability_zone']).toBe('ZONE2');
    expect(server['OS-EXT-SRV-ATTR:host']).toBe('host2');
    expect(server['OS-EXT-SRV-ATTR:hypervisor_hostname']).toBe('host2');
  });

  it('honours a forced host in the zone', async () => {
    const server = await active({ availability_zone: 'nova:host2' });
    expect(server['OS-EXT-SRV-ATTR:host']).toBe('host2');
  });

  it('stays in BUILD for simulated_wait_time seconds', async () => {
    const server = await boot({ metadata: { simulated_wait_time: '0.2' } });
    const started = Date.now();
    expect((await d.compute.getServer(server.id)).status).toBe('BUILD');
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('fails a wait with CloudWaitFailed on timeout', async () => {
    const server = await boot({ metadata: { simulated_wait_time: '5' } });
    await expect(
      d.compute.waitForServer(server.id, 'ACTIVE', { timeout: 0.05 }),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
  });

  it('ends a wait promptly when the signal aborts', async () => {
    const server = await boot({ metadata: { simulated_wait_time: '5' } });
    const controller = new AbortController();
    const waiting = d.compute.waitForServer(server.id, 'ACTIVE', {
      timeout: 60,
      signal: controller.signal,
    });
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(waiting).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('rejects a wait on an already aborted signal', async () => {
    const server = await boot();
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(
      d.compute.waitForServer(server.id, 'ACTIVE', { timeout: 5, signal: controller.signal }),
    ).rejects.toThrow('gone');
  });

  it('fails a wait for a server that does not exist with CloudNotFound', async () => {
    await expect(d.compute.waitForServer('nope', 'ACTIVE', wait)).rejects.toBeInstanceOf(
      CloudNotFound,
    );
  });

  it('deletes a server and reports 404 afterwards', async () => {
    const server = await active();
    await d.compute.deleteServer(server.id);
    await d.compute.waitForServerDelete(server.id, wait);
    await expect(d.compute.getServer(server.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('shows task deleting while a delete takes time', async () => {
    const server = await active();
    cloud.defaultDelay = 0.2;
    await d.compute.deleteServer(server.id);
    expect((await d.compute.getServer(server.id))['OS-EXT-STS:task_state']).toBe('deleting');
    await d.compute.waitForServerDelete(server.id, wait);
  });

  it('renames a server', async () => {
    const server = await active();
    const renamed = await d.compute.updateServer(server.id, { name: 'renamed' });
    expect(renamed.name).toBe('renamed');
  });

  it('lists servers by metadata, name and project', async () => {
    await active({ name: 'a1', metadata: { cluster_id: 'c1' } });
    await active({ name: 'b1', metadata: { cluster_id: 'c2' } });
    const other = cloud.drivers({ userId: 'user-2', projectId: 'project-2' });
    await other.compute.createServer({ name: 'a2', flavorRef: '1', imageRef: await imageId() });
    const c1 = await d.compute.listServers({ metadata: { cluster_id: 'c1' } });
    expect(c1.map((s) => s.name)).toEqual(['a1']);
    expect((await d.compute.listServers({ name: '^a' })).map((s) => s.name).sort()).toEqual([
      'a1',
      'a2',
    ]);
    expect((await d.compute.listServers({ projectId: 'project-2' })).map((s) => s.name)).toEqual([
      'a2',
    ]);
  });
});

describe('fake Nova create request checks', () => {
  const failures: [string, Record<string, unknown>, number][] = [
    ['an unknown flavor', { flavorRef: '99' }, 400],
    ['a disabled flavor', { flavorRef: '6' }, 400],
    ['an unknown image', { imageRef: 'no-such-image' }, 400],
    ['a missing name', { name: '' }, 400],
    ['an unknown keypair', { key_name: 'nokey' }, 400],
    ['an unknown zone', { availability_zone: 'ZONE9' }, 400],
    ['an unknown network', { networks: [{ uuid: 'no-net' }] }, 400],
    ['an unknown security group', { security_groups: [{ name: 'nosuch' }] }, 400],
    ['an unknown server group', { scheduler_hints: { group: 'nogroup' } }, 400],
  ];
  for (const [what, body, status] of failures) {
    it(`refuses ${what}`, async () => {
      const error = await boot(body).catch((e: unknown) => e);
      expect(statusOf(error)).toBe(status);
    });
  }

  it('refuses a flavor whose disk is smaller than the image needs', async () => {
    const error = await d.compute
      .createServer({ name: 's', flavorRef: '1', imageRef: await imageId('ubuntu-22.04') })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
    expect(String(error)).toContain("Flavor's disk is too small");
  });

  it('accepts the request wrapped in a server key with top-level scheduler hints', async () => {
    const group = await d.compute.createServerGroup('g', 'affinity');
    const server = await d.compute.createServer({
      server: { name: 'wrapped', flavorRef: '1', imageRef: await imageId() },
      'os:scheduler_hints': { group: group.id },
    });
    expect(server.server_groups).toEqual([group.id]);
  });
});

describe('fake Nova server actions', () => {
  it('stops and starts a server', async () => {
    const server = await active();
    await d.compute.serverAction(server.id, 'stop');
    const stopped = await d.compute.waitForServer(server.id, 'SHUTOFF', wait);
    expect(stopped['OS-EXT-STS:power_state']).toBe(4);
    await d.compute.serverAction(server.id, 'start');
    expect((await d.compute.waitForServer(server.id, 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('pauses and unpauses, suspends and resumes', async () => {
    const server = await active();
    await d.compute.serverAction(server.id, 'pause');
    await d.compute.waitForServer(server.id, 'PAUSED', wait);
    await d.compute.serverAction(server.id, 'unpause');
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await d.compute.serverAction(server.id, 'suspend');
    await d.compute.waitForServer(server.id, 'SUSPENDED', wait);
    await d.compute.serverAction(server.id, 'resume');
    expect((await d.compute.waitForServer(server.id, 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('rescues and unrescues', async () => {
    const server = await active();
    await d.compute.rescueServer(server.id, { adminPass: 'secret' });
    await d.compute.waitForServer(server.id, 'RESCUE', wait);
    await d.compute.serverAction(server.id, 'unrescue');
    expect((await d.compute.waitForServer(server.id, 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('refuses to start a running server with 409', async () => {
    const server = await active();
    const error = await d.compute.serverAction(server.id, 'start').catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
    expect(String(error)).toContain("Cannot 'start' instance");
  });

  it('refuses a second action while a transition is running', async () => {
    const server = await active();
    cloud.defaultDelay = 0.3;
    await d.compute.serverAction(server.id, 'stop');
    const error = await d.compute.rebootServer(server.id, 'HARD').catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
    expect(String(error)).toContain('task_state powering-off');
  });

  it('refuses actions and deletion of a locked server until it is unlocked', async () => {
    const server = await active();
    await d.compute.serverAction(server.id, 'lock');
    expect((await d.compute.getServer(server.id)).locked).toBe(true);
    expect(statusOf(await d.compute.serverAction(server.id, 'stop').catch((e: unknown) => e))).toBe(
      409,
    );
    expect(statusOf(await d.compute.deleteServer(server.id).catch((e: unknown) => e))).toBe(409);
    await d.compute.serverAction(server.id, 'unlock');
    await d.compute.serverAction(server.id, 'stop');
    expect((await d.compute.waitForServer(server.id, 'SHUTOFF', wait)).locked).toBe(false);
  });

  it('reboots soft and hard back to ACTIVE, and refuses a soft reboot when stopped', async () => {
    const server = await active();
    await d.compute.rebootServer(server.id, 'SOFT');
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await d.compute.serverAction(server.id, 'stop');
    await d.compute.waitForServer(server.id, 'SHUTOFF', wait);
    expect(statusOf(await d.compute.rebootServer(server.id, 'SOFT').catch((e: unknown) => e))).toBe(
      409,
    );
    await d.compute.rebootServer(server.id, 'HARD');
    expect((await d.compute.waitForServer(server.id, 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('shows REBUILD during a rebuild and keeps a stopped server stopped', async () => {
    const server = await active();
    await d.compute.serverAction(server.id, 'stop');
    await d.compute.waitForServer(server.id, 'SHUTOFF', wait);
    cloud.defaultDelay = 0.1;
    const other = await imageId('cirros-0.4.0-x86_64-disk');
    await d.compute.rebuildServer(server.id, { image: other, name: 'rebuilt' });
    expect((await d.compute.getServer(server.id)).status).toBe('REBUILD');
    const done = await d.compute.waitForServer(server.id, 'SHUTOFF', wait);
    expect(done.name).toBe('rebuilt');
    expect((done.image as { id: string }).id).toBe(other);
  });

  it('changes the password of a running server', async () => {
    const server = await active();
    await d.compute.changeServerPassword(server.id, 'new-secret');
    expect((await d.compute.waitForServer(server.id, 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('resizes to VERIFY_RESIZE on the other host and confirms to ACTIVE', async () => {
    const server = await active();
    const from = server['OS-EXT-SRV-ATTR:host'];
    await d.compute.resizeServer(server.id, '2');
    const resized = await d.compute.waitForServer(server.id, 'VERIFY_RESIZE', wait);
    expect((resized.flavor as { original_name: string }).original_name).toBe('m1.small');
    expect(resized['OS-EXT-SRV-ATTR:host']).not.toBe(from);
    await d.compute.confirmServerResize(server.id);
    expect((await d.compute.waitForServer(server.id, 'ACTIVE', wait)).status).toBe('ACTIVE');
  });

  it('confirms the resize of a stopped server back to SHUTOFF', async () => {
    const server = await active();
    await d.compute.serverAction(server.id, 'stop');
    await d.compute.waitForServer(server.id, 'SHUTOFF', wait);
    await d.compute.resizeServer(server.id, '2');
    await d.compute.waitForServer(server.id, 'VERIFY_RESIZE', wait);
    await d.compute.confirmServerResize(server.id);
    expect((await d.compute.waitForServer(server.id, 'SHUTOFF', wait)).status).toBe('SHUTOFF');
  });

  it('reverts a resize to the old flavor and host', async () => {
    const server = await active();
    await d.compute.resizeServer(server.id, '3');
    await d.compute.waitForServer(server.id, 'VERIFY_RESIZE', wait);
    await d.compute.revertServerResize(server.id);
    const back = await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    expect((back.flavor as { id: string }).id).toBe('1');
    expect(back['OS-EXT-SRV-ATTR:host']).toBe(server['OS-EXT-SRV-ATTR:host']);
  });

  it('refuses a resize to the same flavor', async () => {
    const server = await active();
    expect(statusOf(await d.compute.resizeServer(server.id, '1').catch((e: unknown) => e))).toBe(
      400,
    );
  });

  it('migrates a server to the other host', async () => {
    const server = await active();
    await d.compute.migrateServer(server.id);
    const moved = await d.compute.waitForServer(server.id, 'VERIFY_RESIZE', wait);
    expect(moved['OS-EXT-SRV-ATTR:host']).not.toBe(server['OS-EXT-SRV-ATTR:host']);
    await d.compute.confirmServerResize(server.id);
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
  });

  it('live-migrates a server that stays ACTIVE on the other host', async () => {
    const server = await active({ availability_zone: 'nova:host1' });
    await d.compute.liveMigrateServer(server.id, { host: 'host2' });
    const moved = await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    expect(moved['OS-EXT-SRV-ATTR:host']).toBe('host2');
  });

  it('refuses to evacuate from a host that is up', async () => {
    const server = await active();
    expect(statusOf(await d.compute.evacuateServer(server.id, {}).catch((e: unknown) => e))).toBe(
      409,
    );
  });

  it('evacuates from a host that is down to the other host', async () => {
    const server = await active({ availability_zone: 'nova:host1' });
    cloud.setHypervisorState('host1', 'down');
    expect((await d.compute.getServer(server.id)).host_status).toBe('DOWN');
    await d.compute.evacuateServer(server.id, {});
    const moved = await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    expect(moved['OS-EXT-SRV-ATTR:host']).toBe('host2');
    expect(moved.host_status).toBe('UP');
  });

  it('creates an image of a server that becomes active', async () => {
    const server = await active();
    const id = await d.compute.createServerImage(server.id, 'snap', { purpose: 'backup' });
    const image = await d.image.waitForImage(id, 'active', wait);
    expect(image).toMatchObject({
      name: 'snap',
      image_type: 'snapshot',
      instance_uuid: server.id,
      purpose: 'backup',
    });
    expect(await d.compute.findImage('snap')).not.toBeNull();
  });
});

describe('fake Nova metadata', () => {
  it('replaces and deletes metadata', async () => {
    const server = await active({ metadata: { a: '1', b: '2' } });
    await d.compute.setServerMetadata(server.id, { c: '3', d: '4' });
    expect(await d.compute.getServerMetadata(server.id)).toEqual({ c: '3', d: '4' });
    await d.compute.deleteServerMetadata(server.id, ['c', 'missing']);
    expect(await d.compute.getServerMetadata(server.id)).toEqual({ d: '4' });
  });

  it('refuses metadata values that are not strings', async () => {
    const server = await active();
    const error = await d.compute
      .setServerMetadata(server.id, { n: 1 as unknown as string })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });
});

describe('fake Nova server groups', () => {
  it('places anti-affinity members on different hosts and fails a third', async () => {
    const group = await d.compute.createServerGroup('anti', 'anti-affinity');
    const hints = { scheduler_hints: { group: group.id } };
    const a = await active(hints);
    const b = await active(hints);
    expect(a['OS-EXT-SRV-ATTR:host']).not.toBe(b['OS-EXT-SRV-ATTR:host']);
    const c = await boot(hints);
    const error = await d.compute.waitForServer(c.id, 'ACTIVE', wait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect(String(error)).toContain('No valid host was found');
    expect((await d.compute.getServerGroup(group.id)).members).toEqual([a.id, b.id, c.id]);
  });

  it('places affinity members on the same host', async () => {
    const group = await d.compute.createServerGroup('aff', 'affinity');
    const hints = { scheduler_hints: { group: group.id } };
    const hosts = new Set<unknown>();
    for (let i = 0; i < 3; i += 1) hosts.add((await active(hints))['OS-EXT-SRV-ATTR:host']);
    expect(hosts.size).toBe(1);
  });

  it('spreads soft-anti-affinity members without failing', async () => {
    const group = await d.compute.createServerGroup('soft', 'soft-anti-affinity');
    const hints = { scheduler_hints: { group: group.id } };
    const servers = [await active(hints), await active(hints), await active(hints)];
    expect(servers.every((s) => s.status === 'ACTIVE')).toBe(true);
    expect(new Set(servers.map((s) => s['OS-EXT-SRV-ATTR:host'])).size).toBe(2);
  });

  it('finds, shows and deletes a group', async () => {
    const group = await d.compute.createServerGroup('finder', 'soft-affinity');
    expect(group.policies).toEqual(['soft-affinity']);
    expect((await d.compute.findServerGroup('finder'))?.id).toBe(group.id);
    await d.compute.deleteServerGroup(group.id);
    expect(await d.compute.findServerGroup(group.id)).toBeNull();
    await expect(d.compute.deleteServerGroup(group.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('refuses an unknown policy', async () => {
    const error = await d.compute.createServerGroup('bad', 'spread').catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('removes a deleted server from its group', async () => {
    const group = await d.compute.createServerGroup('members', 'affinity');
    const server = await active({ scheduler_hints: { group: group.id } });
    await d.compute.deleteServer(server.id);
    await d.compute.waitForServerDelete(server.id, wait);
    expect((await d.compute.getServerGroup(group.id)).members).toEqual([]);
  });
});

describe('fake Nova hosts and services', () => {
  it('counts running servers per hypervisor', async () => {
    await active({ availability_zone: 'nova:host1' });
    await active({ availability_zone: 'nova:host1' });
    const [host1] = await d.compute.listHypervisors({ hostnamePattern: 'host1' });
    expect(host1?.running_vms).toBe(2);
  });

  it('shows a host taken down by a test as down, and its zone as unavailable', async () => {
    cloud.setHypervisorState('host2', 'down');
    const [host2] = await d.compute.listHypervisors({ hostnamePattern: 'host2' });
    expect(host2?.state).toBe('down');
    const zones = await d.compute.availabilityZones();
    expect(zones.find((z) => z.zoneName === 'ZONE2')?.available).toBe(false);
    expect(zones.find((z) => z.zoneName === 'nova')?.available).toBe(true);
  });

  it('does not schedule on a disabled host', async () => {
    cloud.setHypervisorState('host1', 'up', 'disabled');
    for (let i = 0; i < 3; i += 1) expect((await active())['OS-EXT-SRV-ATTR:host']).toBe('host2');
    expect((await d.compute.listHypervisors({ hostnamePattern: 'host1' }))[0]?.status).toBe(
      'disabled',
    );
  });

  it('lists compute services and forces one down', async () => {
    const services = await d.compute.listServices({ binary: 'nova-compute' });
    expect(services.map((s) => s.host)).toEqual(['host1', 'host2']);
    const host1 = services[0] as Resource;
    await d.compute.forceServiceDown(host1.id, 'host1', 'nova-compute');
    const [after] = await d.compute.listServices({ binary: 'nova-compute', host: 'host1' });
    expect(after).toMatchObject({ forced_down: true, state: 'down' });
    expect((await d.compute.listHypervisors({ hostnamePattern: 'host1' }))[0]?.state).toBe('down');
  });
});

describe('fake Nova inspection helpers', () => {
  it('sets a server status behind the driver', async () => {
    const server = await active();
    cloud.setServerStatus(server.id, 'ERROR', 'disk on fire');
    const broken = await d.compute.getServer(server.id);
    expect(broken.status).toBe('ERROR');
    expect((broken.fault as { message: string }).message).toBe('disk on fire');
  });

  it('destroys a server behind the driver', async () => {
    const server = await active();
    cloud.destroyServer(server.id);
    await expect(d.compute.getServer(server.id)).rejects.toBeInstanceOf(CloudNotFound);
    expect(cloud.listAllServers()).toEqual([]);
  });

  it('lists every server of every project', async () => {
    await active();
    await cloud.drivers({ userId: 'u', projectId: 'p9' }).compute.createServer({
      name: 'other',
      flavorRef: '1',
      imageRef: await imageId(),
    });
    expect(cloud.listAllServers()).toHaveLength(2);
    expect(cloud.listAllServers({ projectId: 'p9' }).map((s) => s.name)).toEqual(['other']);
  });
});

describe('closing the fake cloud', () => {
  it('ends pending waits at once', async () => {
    const server = await boot({ metadata: { simulated_wait_time: '10' } });
    const waiting = d.compute.waitForServer(server.id, 'ACTIVE', { timeout: 60 });
    const started = Date.now();
    await cloud.close();
    await expect(waiting).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
