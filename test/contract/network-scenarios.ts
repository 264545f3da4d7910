/** The network part of the driver contract: ports, floating IPs, security groups. */
import { afterEach, expect, it } from 'vitest';
import { CloudNotFound } from '../../src/drivers/types.js';
import { Cleanup, type TargetRef, uniqueName } from './target.js';

/** Registers the network scenarios. */
export function networkScenarios(target: TargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('creates, finds, updates and deletes a port', async () => {
    const t = target();
    const { network } = t.drivers;
    const net = await network.findNetwork(t.network);
    const name = uniqueName(t, 'port');
    const port = await network.createPort({ network_id: net?.id, name });
    cleanup.add(() => network.deletePort(port.id));
    expect([port.name, port.network_id, port.device_id, port.status]).toEqual([
      name,
      net?.id,
      '',
      'DOWN',
    ]);
    const fixed = port.fixed_ips as { ip_address: string; subnet_id: string }[];
    expect(fixed).toHaveLength(1);
    expect(Array.isArray(port.security_groups)).toBe(true);

    expect((await network.findPort(name))?.id).toBe(port.id);
    expect((await network.getPort(port.id)).name).toBe(name);
    const byAddress = await network.listPorts({ ip_address: String(fixed[0]?.ip_address) });
    expect(byAddress.map((p) => p.id)).toEqual([port.id]);
    const byName = await network.listPorts({ name, network_id: String(net?.id) });
    expect(byName.map((p) => p.id)).toEqual([port.id]);

    const updated = await network.updatePort(port.id, { name: `${name}-2` });
    expect(updated.name).toBe(`${name}-2`);

    await network.deletePort(port.id);
    await expect(network.getPort(port.id)).rejects.toBeInstanceOf(CloudNotFound);
    expect(await network.findPort(port.id)).toBeNull();
  });

  it('allocates a floating IP for a port, moves it off and releases it', async () => {
    const t = target();
    const { network } = t.drivers;
    const net = await network.findNetwork(t.network);
    const external = await network.findNetwork(t.externalNetwork);
    expect(external?.['router:external']).toBe(true);
    const port = await network.createPort({ network_id: net?.id, name: uniqueName(t, 'fip-port') });
    cleanup.add(() => network.deletePort(port.id));
    const fixed = (port.fixed_ips as { ip_address: string }[])[0]?.ip_address;

    const fip = await network.createFloatingIp({
      floating_network_id: external?.id,
      port_id: port.id,
    });
    cleanup.add(() => network.deleteFloatingIp(fip.id));
    expect([fip.floating_network_id, fip.port_id, fip.fixed_ip_address]).toEqual([
      external?.id,
      port.id,
      fixed,
    ]);
    const address = String(fip.floating_ip_address);
    expect((await network.findFloatingIp(address))?.id).toBe(fip.id);
    expect((await network.findFloatingIp(fip.id))?.floating_ip_address).toBe(address);
    expect((await network.listFloatingIps({ port_id: port.id })).map((f) => f.id)).toEqual([
      fip.id,
    ]);

    const off = await network.updateFloatingIp(fip.id, { port_id: null });
    expect([off.port_id, off.fixed_ip_address]).toEqual([null, null]);
    await network.deleteFloatingIp(fip.id);
    expect(await network.findFloatingIp(address)).toBeNull();
  });

  it('finds networks, subnets and the default security group, and nothing for unknown names', async () => {
    const t = target();
    const { network } = t.drivers;
    const net = await network.findNetwork(t.network);
    const subnetId = (net?.subnets as string[] | undefined)?.[0];
    const subnet = await network.findSubnet(String(subnetId));
    expect(subnet?.network_id).toBe(net?.id);
    expect((await network.findSubnet(String(subnet?.name)))?.id).toBe(subnet?.id);
    const group = await network.findSecurityGroup('default');
    expect(group?.name).toBe('default');
    expect(await network.findNetwork('no-such-network')).toBeNull();
    expect(await network.findSecurityGroup('no-such-group')).toBeNull();
  });
}
