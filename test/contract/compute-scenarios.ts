/** The compute part of the driver contract: a server's life, server groups, hosts. */
import { afterEach, expect, it } from 'vitest';
import { CloudNotFound, CloudWaitFailed, type Resource } from '../../src/drivers/types.js';
import { Cleanup, rejection, type TargetRef, uniqueName } from './target.js';

function flavorName(server: Resource): unknown {
  const flavor = server.flavor as { original_name?: unknown; name?: unknown } | undefined;
  return flavor?.original_name ?? flavor?.name;
}

function fixedAddresses(server: Resource, network: string): string[] {
  const addresses = (server.addresses ?? {}) as Record<string, { addr: string }[]>;
  return (addresses[network] ?? []).map((a) => a.addr);
}

/** Registers the compute scenarios. */
export function computeScenarios(target: TargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('runs a server on a port: create, metadata, rebuild, resize, delete', async () => {
    const t = target();
    const { compute, network, image } = t.drivers;
    const net = await network.findNetwork(t.network);
    const flavor = await compute.findFlavor(t.flavor);
    const bigger = await compute.findFlavor(t.otherFlavor);
    const img = await image.findImage(t.image);
    expect([net?.name, flavor?.name, bigger?.name, img?.status]).toEqual([
      t.network,
      t.flavor,
      t.otherFlavor,
      'active',
    ]);
    expect((await compute.findImage(t.image))?.id).toBe(img?.id);

    const port = await network.createPort({ network_id: net?.id, name: uniqueName(t, 'port') });
    cleanup.add(() => network.deletePort(port.id));
    const name = uniqueName(t, 'server');
    const made = await compute.createServer({
      name,
      flavorRef: flavor?.id,
      imageRef: img?.id,
      networks: [{ port: port.id }],
      metadata: { contract: t.prefix },
    });
    cleanup.add(async () => {
      await compute.deleteServer(made.id);
      await compute.waitForServerDelete(made.id, t.wait);
    });
    expect(made.name).toBe(name);

    const active = await compute.waitForServer(made.id, 'ACTIVE', t.wait);
    expect(active.status).toBe('ACTIVE');
    expect(typeof active['OS-EXT-AZ:availability_zone']).toBe('string');
    const ip = (port.fixed_ips as { ip_address: string }[])[0]?.ip_address;
    expect(fixedAddresses(active, t.network)).toContain(ip);
    expect(flavorName(active)).toBe(t.flavor);

    const listed = await compute.listServers({ metadata: { contract: t.prefix } });
    expect(listed.map((s) => s.id)).toContain(made.id);
    const interfaces = await compute.listServerInterfaces(made.id);
    expect(interfaces.map((i) => [i.id, i.port_id])).toEqual([[port.id, port.id]]);

    expect(await compute.getServerMetadata(made.id)).toEqual({ contract: t.prefix });
    await compute.setServerMetadata(made.id, { a: '1', b: '2' });
    expect(await compute.getServerMetadata(made.id)).toEqual({ a: '1', b: '2' });
    await compute.deleteServerMetadata(made.id, ['a', 'not-there']);
    expect(await compute.getServerMetadata(made.id)).toEqual({ b: '2' });

    const renamed = await compute.updateServer(made.id, { name: `${name}-renamed` });
    expect(renamed.name).toBe(`${name}-renamed`);

    await compute.rebuildServer(made.id, { image: String(img?.id) });
    const rebuilt = await compute.waitForServer(made.id, 'ACTIVE', t.wait);
    expect((rebuilt.image as { id?: string }).id).toBe(img?.id);

    await compute.resizeServer(made.id, String(bigger?.id));
    await compute.waitForServer(made.id, 'VERIFY_RESIZE', t.wait);
    await compute.confirmServerResize(made.id);
    const resized = await compute.waitForServer(made.id, 'ACTIVE', t.wait);
    expect(flavorName(resized)).toBe(t.otherFlavor);

    await compute.deleteServer(made.id);
    await compute.waitForServerDelete(made.id, t.wait);
    await expect(compute.getServer(made.id)).rejects.toBeInstanceOf(CloudNotFound);
    const kept = await network.getPort(port.id);
    expect(kept.device_id).toBe('');
  });

  it('refuses a server with an unknown flavor and does not find unknown servers', async () => {
    const t = target();
    const { compute, image } = t.drivers;
    const img = await image.findImage(t.image);
    const error = await rejection(
      compute.createServer({
        name: uniqueName(t, 'bad'),
        flavorRef: 'no-such-flavor',
        imageRef: img?.id,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('no-such-flavor');
    await expect(compute.getServer('00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(
      CloudNotFound,
    );
    expect(await compute.findFlavor('no-such-flavor')).toBeNull();
    expect(await compute.findKeypair('no-such-keypair')).toBeNull();
  });

  it('makes, finds and deletes a server group', async () => {
    const t = target();
    const { compute } = t.drivers;
    const name = uniqueName(t, 'group');
    const group = await compute.createServerGroup(name, 'anti-affinity');
    cleanup.add(() => compute.deleteServerGroup(group.id));
    expect([group.name, group.policy, group.policies, group.members]).toEqual([
      name,
      'anti-affinity',
      ['anti-affinity'],
      [],
    ]);
    expect((await compute.findServerGroup(name))?.id).toBe(group.id);
    expect((await compute.getServerGroup(group.id)).members).toEqual([]);
    await compute.deleteServerGroup(group.id);
    expect(await compute.findServerGroup(name)).toBeNull();
  });

  it('places servers of an anti-affinity group on different hosts until none is left', async () => {
    const t = target();
    const { compute, network, image } = t.drivers;
    const hosts = (await t.admin.compute.listServices({ binary: 'nova-compute' })).filter(
      (s) => s.state === 'up' && s.status === 'enabled',
    );
    const group = await compute.createServerGroup(uniqueName(t, 'spread'), 'anti-affinity');
    cleanup.add(() => compute.deleteServerGroup(group.id));
    const body = {
      flavorRef: (await compute.findFlavor(t.flavor))?.id,
      imageRef: (await image.findImage(t.image))?.id,
      networks: [{ uuid: (await network.findNetwork(t.network))?.id }],
      scheduler_hints: { group: group.id },
    };
    const boot = async (i: number) => {
      const server = await compute.createServer({ ...body, name: uniqueName(t, `spread${i}`) });
      cleanup.add(async () => {
        await compute.deleteServer(server.id);
        await compute.waitForServerDelete(server.id, t.wait);
      });
      return server;
    };
    const fitting = await Promise.all(hosts.map((_, i) => boot(i)));
    const placed = await Promise.all(
      fitting.map((s) => compute.waitForServer(s.id, 'ACTIVE', t.wait)),
    );
    const used = await Promise.all(placed.map((s) => t.admin.compute.getServer(s.id)));
    const usedHosts = new Set(used.map((s) => s['OS-EXT-SRV-ATTR:host']));
    expect(usedHosts.size).toBe(hosts.length);
    expect([...((await compute.getServerGroup(group.id)).members as string[])].sort()).toEqual(
      fitting.map((s) => s.id).sort(),
    );

    const extra = await boot(hosts.length);
    const error = await rejection(compute.waitForServer(extra.id, 'ACTIVE', t.wait));
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect(error.message).toContain('No valid host was found');
  });

  it('shows hypervisors, compute services and availability zones to an administrator', async () => {
    const { compute } = target().admin;
    const hypervisors = await compute.listHypervisors();
    expect(hypervisors.length).toBeGreaterThan(0);
    const first = hypervisors[0] as Resource;
    expect(['up', 'down']).toContain(first.state);
    expect(['enabled', 'disabled']).toContain(first.status);
    const one = await compute.getHypervisor(first.id);
    expect(one.hypervisor_hostname).toBe(first.hypervisor_hostname);
    expect((one.service as { host?: unknown }).host).toBe(first.hypervisor_hostname);
    const named = await compute.listHypervisors({
      hostnamePattern: String(first.hypervisor_hostname),
    });
    expect(named.map((h) => h.id)).toContain(first.id);
    expect(await compute.listHypervisors({ hostnamePattern: 'no-such-host-anywhere' })).toEqual([]);
    const services = await compute.listServices({ binary: 'nova-compute' });
    expect(services.map((s) => s.host)).toContain(first.hypervisor_hostname);
    expect(services.every((s) => s.binary === 'nova-compute')).toBe(true);
    const zones = await compute.availabilityZones();
    expect(zones.some((z) => z.available)).toBe(true);
  });
}
