import { afterEach, describe, expect, it } from 'vitest';
import { EResourceUpdate } from '../../src/common/errors.js';
import { catalogueId } from '../../src/drivers/fake/index.js';
import type { NodeView, ProfileView } from '../../src/engine/contracts.js';
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

/** A node with a server made from `profile`, its data as stored after the create. */
async function created(profile: ProfileView, overrides: Partial<NodeView> = {}): Promise<NodeView> {
  const node = makeNode(overrides);
  const physicalId = await nova.create(node, profile, rig.ctx);
  return { ...node, physicalId, data: rig.lastData() };
}

const server = (node: NodeView) => rig.ctx.drivers.compute.getServer(node.physicalId ?? '');

/** Records the calls of one driver method (without making them fail). */
function spy(service: 'compute' | 'network', call: string): unknown[][] {
  const calls: unknown[][] = [];
  rig.cloud.faults.add({
    service,
    call,
    match: (args) => {
      calls.push([...args]);
      return false;
    },
  });
  return calls;
}

describe('nova server update', () => {
  it('returns false for a node without a server', async () => {
    rig = makeRig();
    expect(
      await nova.update(makeNode(), novaProfile(), novaProfile({ name: 'x' }), rig.ctx, {}),
    ).toBe(false);
  });

  it('returns false when a property that cannot change differs', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const next = novaProfile({ key_name: 'oskey' });
    expect(await nova.update(node, novaProfile(), next, rig.ctx, {})).toBe(false);
  });

  it('renames the server', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    expect(
      await nova.update(node, novaProfile(), novaProfile({ name: 'renamed' }), rig.ctx, {}),
    ).toBe(true);
    expect((await server(node)).name).toBe('renamed');
  });

  it('changes the administrator password', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const calls = spy('compute', 'changeServerPassword');
    await nova.update(node, novaProfile(), novaProfile({ admin_pass: 'n3w' }), rig.ctx, {});
    expect(calls).toEqual([[node.physicalId, 'n3w']]);
  });

  it('rebuilds the server with a new image and starts it again', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const next = novaProfile({ image: 'cirros-0.4.0-x86_64-disk', name: 'rebuilt' });
    await nova.update(node, novaProfile(), next, rig.ctx, {});
    const after = await server(node);
    expect((after.image as { id: string }).id).toBe(
      catalogueId('image', 'cirros-0.4.0-x86_64-disk'),
    );
    expect(after.name).toBe('rebuilt');
    expect(after.status).toBe('ACTIVE');
  });

  it('does not rebuild when the image resolves to the one the server runs', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const calls = spy('compute', 'rebuildServer');
    await nova.update(
      node,
      novaProfile(),
      novaProfile({ image: catalogueId('image', 'cirros') }),
      rig.ctx,
      {},
    );
    expect(calls).toHaveLength(0);
  });

  it('refuses to take the image away', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const next = { ...novaProfile(), properties: { ...novaProfile().properties, image: null } };
    const err = await rejectionOf(nova.update(node, novaProfile(), next, rig.ctx, {}));
    expect(err).toBeInstanceOf(EResourceUpdate);
    expect(err.message).toContain('image set to None');
  });

  it('resizes the server to the new flavor, confirms and starts it again', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    await nova.update(node, novaProfile(), novaProfile({ flavor: 'm1.small' }), rig.ctx, {});
    const after = await server(node);
    expect((after.flavor as { id: string }).id).toBe('2');
    expect(after.status).toBe('ACTIVE');
  });

  it('reverts the resize and starts the server when the resize fails', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    rig.cloud.faults.add({
      service: 'compute',
      call: 'waitForServer',
      times: 1,
      match: (args) => args[1] === 'VERIFY_RESIZE',
    });
    const reverts = spy('compute', 'revertServerResize');
    const err = await rejectionOf(
      nova.update(node, novaProfile(), novaProfile({ flavor: 'm1.small' }), rig.ctx, {}),
    );
    expect(err).toBeInstanceOf(EResourceUpdate);
    expect(reverts).toHaveLength(1);
    const after = await server(node);
    expect((after.flavor as { id: string }).id).toBe('1');
    expect(after.status).toBe('ACTIVE');
  });

  it('fails for an unknown new flavor', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const err = await rejectionOf(
      nova.update(node, novaProfile(), novaProfile({ flavor: 'huge' }), rig.ctx, {}),
    );
    expect(err).toBeInstanceOf(EResourceUpdate);
    expect(err.message).toContain("The specified flavor 'huge' could not be found");
  });

  it('rejects a stop timeout that is not an integer', async () => {
    rig = makeRig();
    const node = await created(novaProfile());
    const err = await rejectionOf(
      nova.update(node, novaProfile(), novaProfile({ name: 'x' }), rig.ctx, {
        'cluster.stop_timeout_before_update': 'soon',
      }),
    );
    expect(err).toBeInstanceOf(EResourceUpdate);
    expect(err.message).toContain('must be of type int');
  });

  it('replaces the metadata, keeping the node and cluster keys', async () => {
    rig = makeRig();
    const before = novaProfile({ metadata: { a: '1' } });
    const node = await created(before, { clusterId: 'c1', index: 2 });
    await nova.update(node, before, novaProfile({ metadata: { b: '2' } }), rig.ctx, {});
    expect((await server(node)).metadata).toEqual({
      b: '2',
      cluster_node_id: node.id,
      cluster_id: 'c1',
      cluster_node_index: '2',
    });
  });

  it('attaches a port for a new network and records it', async () => {
    rig = makeRig();
    const before = novaProfile({ networks: [{ network: 'private' }] });
    const node = await created(before);
    const next = novaProfile({ networks: [{ network: 'private' }, { network: 'public' }] });
    await nova.update(node, before, next, rig.ctx, {});
    const recorded = rig.lastData().internal_ports as { id: string; network_id: string }[];
    expect(recorded.map((p) => p.network_id)).toEqual([
      catalogueId('network', 'private'),
      catalogueId('network', 'public'),
    ]);
    const interfaces = await rig.ctx.drivers.compute.listServerInterfaces(node.physicalId ?? '');
    expect(interfaces).toHaveLength(2);
  });

  it('detaches and deletes the port of a removed network, then starts the server', async () => {
    rig = makeRig();
    const before = novaProfile({ networks: [{ network: 'private' }, { network: 'public' }] });
    const node = await created(before);
    const publicPort = (node.data.internal_ports as { id: string }[])[1]?.id;
    const next = novaProfile({ networks: [{ network: 'private' }] });
    await nova.update(node, before, next, rig.ctx, {});
    expect(rig.cloud.listAllPorts().map((p) => p.id)).not.toContain(publicPort);
    expect((rig.lastData().internal_ports as unknown[]).length).toBe(1);
    expect((await server(node)).status).toBe('ACTIVE');
  });

  it('only updates the security groups of a port when nothing else changes', async () => {
    rig = makeRig();
    const before = novaProfile({ networks: [{ network: 'private' }] });
    const node = await created(before);
    const updates = spy('network', 'updatePort');
    const creates = spy('network', 'createPort');
    const next = novaProfile({ networks: [{ network: 'private', security_groups: ['default'] }] });
    await nova.update(node, before, next, rig.ctx, {});
    const portId = (node.data.internal_ports as { id: string }[])[0]?.id;
    const group = await rig.ctx.drivers.network.findSecurityGroup('default', 'project-1');
    expect(updates).toEqual([[portId, { security_groups: [group?.id] }]]);
    expect(creates).toHaveLength(0);
  });
});
