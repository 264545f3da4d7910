import { afterEach, describe, expect, it } from 'vitest';
import { EResourceCreation, EResourceDeletion, ResourceNotFound } from '../../src/common/errors.js';
import { catalogueId } from '../../src/drivers/fake/index.js';
import { CloudError } from '../../src/drivers/types.js';
import { novaServerBehaviour as nova } from '../../src/profiles/index.js';
import {
  makeNode,
  makeRig,
  novaProfile,
  type Rig,
  rejectionOf,
} from './profile-behaviour-context.js';

let rig: Rig;
afterEach(async () => {
  await rig.cloud.close();
});

const servers = () => rig.cloud.listAllServers();
const ports = () => rig.cloud.listAllPorts();

describe('nova server create', () => {
  it('creates an ACTIVE server and returns its id', async () => {
    rig = makeRig();
    const id = await nova.create(makeNode(), novaProfile(), rig.ctx);
    const server = await rig.ctx.drivers.compute.getServer(id);
    expect(server.status).toBe('ACTIVE');
  });

  it('resolves the image and flavor names into references', async () => {
    rig = makeRig();
    const id = await nova.create(makeNode(), novaProfile({ flavor: 'm1.small' }), rig.ctx);
    const server = await rig.ctx.drivers.compute.getServer(id);
    expect((server.flavor as { id: string }).id).toBe('2');
    expect((server.image as { id: string }).id).toBe(catalogueId('image', 'cirros'));
  });

  it('names the server after the node unless the profile names it', async () => {
    rig = makeRig();
    const a = await nova.create(makeNode({ name: 'web-1' }), novaProfile(), rig.ctx);
    const b = await nova.create(makeNode(), novaProfile({ name: 'fixed' }), rig.ctx);
    expect((await rig.ctx.drivers.compute.getServer(a)).name).toBe('web-1');
    expect((await rig.ctx.drivers.compute.getServer(b)).name).toBe('fixed');
  });

  it('tags the server with the node id, cluster id and index', async () => {
    rig = makeRig();
    const node = makeNode({ clusterId: 'cluster-1', index: 3 });
    const id = await nova.create(node, novaProfile({ metadata: { role: 'web' } }), rig.ctx);
    expect((await rig.ctx.drivers.compute.getServer(id)).metadata).toEqual({
      role: 'web',
      cluster_node_id: node.id,
      cluster_id: 'cluster-1',
      cluster_node_index: '3',
    });
  });

  it('tags an orphan server with the node id only', async () => {
    rig = makeRig();
    const node = makeNode();
    const id = await nova.create(node, novaProfile(), rig.ctx);
    expect((await rig.ctx.drivers.compute.getServer(id)).metadata).toEqual({
      cluster_node_id: node.id,
    });
  });

  it('sends the disk config, key pair, security groups and base64 user data', async () => {
    rig = makeRig();
    const bodies: Record<string, unknown>[] = [];
    rig.cloud.faults.add({
      service: 'compute',
      call: 'createServer',
      match: (args) => {
        bodies.push(args[0] as Record<string, unknown>);
        return false;
      },
    });
    const profile = novaProfile({
      auto_disk_config: false,
      key_name: 'oskey',
      security_groups: ['default'],
      user_data: 'echo hi',
      admin_pass: 's3cret',
    });
    await nova.create(makeNode(), profile, rig.ctx);
    expect(bodies[0]).toMatchObject({
      'OS-DCF:diskConfig': 'MANUAL',
      key_name: 'oskey',
      security_groups: [{ name: 'default' }],
      user_data: Buffer.from('echo hi').toString('base64'),
      adminPass: 's3cret',
    });
    expect(bodies[0]).not.toHaveProperty('admin_pass');
  });

  it('places the server in the zone and server group of the node placement', async () => {
    rig = makeRig();
    const group = await rig.ctx.drivers.compute.createServerGroup('g', 'anti-affinity');
    const node = makeNode({ data: { placement: { zone: 'ZONE2', servergroup: group.id } } });
    const id = await nova.create(node, novaProfile(), rig.ctx);
    const server = await rig.ctx.drivers.compute.getServer(id);
    expect(server['OS-EXT-AZ:availability_zone']).toBe('ZONE2');
    expect(server.server_groups).toEqual([group.id]);
  });

  it('records the availability zone of the new server in the node data', async () => {
    rig = makeRig();
    await nova.create(makeNode(), novaProfile({ availability_zone: 'ZONE1' }), rig.ctx);
    expect(rig.lastData().placement).toEqual({ zone: 'ZONE1' });
  });

  it('creates a port per network and records it at once', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private', fixed_ip: '10.0.0.50' }] });
    const id = await nova.create(makeNode(), profile, rig.ctx);
    const recorded = rig.saved[0]?.internal_ports as Record<string, unknown>[];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      network_id: catalogueId('network', 'private'),
      remove: true,
      fixed_ips: [expect.objectContaining({ ip_address: '10.0.0.50' })],
    });
    const port = ports().find((p) => p.id === recorded[0]?.id);
    expect(port?.device_id).toBe(id);
  });

  it('uses an existing port without marking it for removal', async () => {
    rig = makeRig();
    const port = await rig.ctx.drivers.network.createPort({
      network_id: catalogueId('network', 'private'),
    });
    const id = await nova.create(
      makeNode(),
      novaProfile({ networks: [{ port: port.id }] }),
      rig.ctx,
    );
    const recorded = rig.lastData().internal_ports as Record<string, unknown>[];
    expect(recorded[0]).toMatchObject({ id: port.id });
    expect(recorded[0]).not.toHaveProperty('remove');
    expect(ports().find((p) => p.id === port.id)?.device_id).toBe(id);
  });

  it('creates a floating IP on the floating network and marks it for removal', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private', floating_network: 'public' }] });
    await nova.create(makeNode(), profile, rig.ctx);
    const recorded = rig.lastData().internal_ports as { floating: Record<string, unknown> }[];
    expect(recorded[0]?.floating).toMatchObject({
      floating_network_id: catalogueId('network', 'public'),
      remove: true,
    });
    expect(rig.cloud.listAll('floating_ip')).toHaveLength(1);
  });

  it('reuses a free floating IP with the requested address and keeps it on delete', async () => {
    rig = makeRig();
    const fip = await rig.ctx.drivers.network.createFloatingIp({
      floating_network_id: catalogueId('network', 'public'),
    });
    const address = String(fip.floating_ip_address);
    const profile = novaProfile({
      networks: [{ network: 'private', floating_network: 'public', floating_ip: address }],
    });
    const node = makeNode();
    const id = await nova.create(node, profile, rig.ctx);
    const recorded = rig.lastData().internal_ports as { floating: Record<string, unknown> }[];
    expect(recorded[0]?.floating).toMatchObject({ id: fip.id });
    expect(recorded[0]?.floating).not.toHaveProperty('remove');
    await nova.delete({ ...node, physicalId: id, data: rig.lastData() }, profile, rig.ctx);
    expect(rig.cloud.listAll('floating_ip').map((f) => f.id)).toEqual([fip.id]);
  });

  it('refuses a floating IP address that is in use', async () => {
    rig = makeRig();
    const first = novaProfile({ networks: [{ network: 'private', floating_network: 'public' }] });
    await nova.create(makeNode(), first, rig.ctx);
    const used = String(rig.cloud.listAll('floating_ip')[0]?.floating_ip_address);
    const second = novaProfile({
      networks: [{ network: 'private', floating_network: 'public', floating_ip: used }],
    });
    const err = await rejectionOf(nova.create(makeNode(), second, rig.ctx));
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.message).toContain(`the floating IP ${used} has been used`);
  });

  it('fails with EResourceCreation for an unknown flavor without creating anything', async () => {
    rig = makeRig();
    const err = await rejectionOf(
      nova.create(
        makeNode(),
        novaProfile({ flavor: 'huge', networks: [{ network: 'private' }] }),
        rig.ctx,
      ),
    );
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.message).toContain("The specified flavor 'huge' could not be found");
    expect(servers()).toHaveLength(0);
    expect(ports()).toHaveLength(0);
  });

  it('fails for a disabled flavor', async () => {
    rig = makeRig();
    const err = await rejectionOf(
      nova.create(makeNode(), novaProfile({ flavor: 'm1.retired' }), rig.ctx),
    );
    expect(err.message).toContain("The specified flavor 'm1.retired' is disabled");
  });

  it('fails for an unknown network and deletes the ports made before it', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private' }, { network: 'nowhere' }] });
    const err = await rejectionOf(nova.create(makeNode(), profile, rig.ctx));
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.message).toContain('The specified network nowhere could not be found');
    expect(ports()).toHaveLength(0);
    expect(rig.lastData().internal_ports).toEqual([]);
  });

  it('deletes the server and its ports when the server goes to ERROR', async () => {
    rig = makeRig();
    const profile = novaProfile({
      metadata: { simulated_fail: 'create' },
      networks: [{ network: 'private', floating_network: 'public' }],
    });
    const err = (await rejectionOf(nova.create(makeNode(), profile, rig.ctx))) as EResourceCreation;
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.resourceId).toEqual(expect.any(String));
    expect(servers()).toHaveLength(0);
    expect(ports()).toHaveLength(0);
    expect(rig.cloud.listAll('floating_ip')).toHaveLength(0);
  });

  it('deletes its ports when the server create request fails', async () => {
    rig = makeRig();
    rig.cloud.faults.add({ service: 'compute', call: 'createServer', times: 1 });
    const profile = novaProfile({ networks: [{ network: 'private' }] });
    const err = (await rejectionOf(nova.create(makeNode(), profile, rig.ctx))) as EResourceCreation;
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.resourceId).toBeNull();
    expect(ports()).toHaveLength(0);
  });

  it('gives up waiting when the signal aborts, starts the cleanup and raises the reason', async () => {
    rig = makeRig();
    const profile = novaProfile({
      metadata: { simulated_wait_time: '60' },
      networks: [{ network: 'private' }],
    });
    const reason = new Error('action cancelled');
    const pending = nova.create(makeNode(), profile, rig.ctx);
    setTimeout(() => rig.controller.abort(reason), 20);
    expect(await rejectionOf(pending)).toBe(reason);
    expect(ports()).toHaveLength(0);
    expect(servers().map((s) => s['OS-EXT-STS:task_state'])).toEqual(['deleting']);
  });

  it('deletes the server and ports when the node disappears while it is created', async () => {
    rig = makeRig();
    const node = makeNode();
    const gone = new ResourceNotFound('node', node.id);
    const ctx = {
      ...rig.ctx,
      async saveNodeData(data: Record<string, unknown>) {
        if ('placement' in data) throw gone;
        rig.saved.push(structuredClone(data));
      },
    };
    const profile = novaProfile({ networks: [{ network: 'private' }] });
    expect(await rejectionOf(nova.create(node, profile, ctx))).toBe(gone);
    expect(ports()).toHaveLength(0);
    expect(servers()).toHaveLength(0);
  });
});

describe('nova server delete', () => {
  it('deletes the server and the ports senlin made for it', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private', floating_network: 'public' }] });
    const node = makeNode();
    const id = await nova.create(node, profile, rig.ctx);
    await nova.delete({ ...node, physicalId: id, data: rig.lastData() }, profile, rig.ctx);
    expect(servers()).toHaveLength(0);
    expect(ports()).toHaveLength(0);
    expect(rig.cloud.listAll('floating_ip')).toHaveLength(0);
    expect(rig.lastData().internal_ports).toEqual([]);
  });

  it('keeps a port it did not create', async () => {
    rig = makeRig();
    const port = await rig.ctx.drivers.network.createPort({
      network_id: catalogueId('network', 'private'),
    });
    const profile = novaProfile({ networks: [{ port: port.id }] });
    const node = makeNode();
    const id = await nova.create(node, profile, rig.ctx);
    await nova.delete({ ...node, physicalId: id, data: rig.lastData() }, profile, rig.ctx);
    expect(ports().map((p) => p.id)).toEqual([port.id]);
  });

  it('finds and deletes the server of a node whose create was interrupted', async () => {
    rig = makeRig();
    const node = makeNode();
    await rig.ctx.drivers.compute.createServer({
      name: 'orphaned',
      flavorRef: '1',
      imageRef: catalogueId('image', 'cirros'),
      metadata: { cluster_node_id: node.id },
    });
    await rig.ctx.drivers.compute.createServer({
      name: 'other',
      flavorRef: '1',
      imageRef: catalogueId('image', 'cirros'),
      metadata: { cluster_node_id: 'someone-else' },
    });
    await nova.delete(node, novaProfile(), rig.ctx);
    expect(servers().map((s) => s.name)).toEqual(['other']);
  });

  it('succeeds when the server is already gone', async () => {
    rig = makeRig();
    const node = makeNode();
    const id = await nova.create(node, novaProfile(), rig.ctx);
    rig.cloud.destroyServer(id);
    await expect(
      nova.delete({ ...node, physicalId: id }, novaProfile(), rig.ctx),
    ).resolves.toBeUndefined();
  });

  it('force-deletes when asked to', async () => {
    rig = makeRig();
    const node = makeNode();
    const id = await nova.create(node, novaProfile(), rig.ctx);
    const calls: unknown[][] = [];
    rig.cloud.faults.add({
      service: 'compute',
      call: 'deleteServer',
      match: (args) => {
        calls.push([...args]);
        return false;
      },
    });
    await nova.delete({ ...node, physicalId: id }, novaProfile(), rig.ctx, { force: true });
    expect(calls[0]).toEqual([id, { force: true }]);
  });

  it('raises EResourceDeletion when the cloud refuses, still deleting the ports', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private' }] });
    const node = makeNode();
    const id = await nova.create(node, profile, rig.ctx);
    rig.cloud.faults.add({
      service: 'compute',
      call: 'deleteServer',
      error: new CloudError(409, 'Cannot delete a locked server'),
    });
    const err = await rejectionOf(
      nova.delete({ ...node, physicalId: id, data: rig.lastData() }, profile, rig.ctx),
    );
    expect(err).toBeInstanceOf(EResourceDeletion);
    expect(err.message).toBe(`Failed in deleting server '${id}': Cannot delete a locked server.`);
    expect(rig.lastData().internal_ports).toEqual([]);
  });

  it('raises the abort reason when the signal aborts the wait, still deleting the ports', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private' }] });
    const node = makeNode();
    const id = await nova.create(node, profile, rig.ctx);
    await rig.ctx.drivers.compute.setServerMetadata(id, { simulated_wait_time: '60' });
    const reason = new Error('timed out');
    const pending = nova.delete(
      { ...node, physicalId: id, data: rig.lastData() },
      profile,
      rig.ctx,
    );
    setTimeout(() => rig.controller.abort(reason), 20);
    expect(await rejectionOf(pending)).toBe(reason);
    expect(rig.lastData().internal_ports).toEqual([]);
  });

  it('refuses to forget a node whose servers cannot be listed', async () => {
    rig = makeRig();
    rig.cloud.faults.add({ service: 'compute', call: 'listServers' });
    const err = await rejectionOf(nova.delete(makeNode(), novaProfile(), rig.ctx));
    expect(err).toBeInstanceOf(EResourceDeletion);
  });
});
