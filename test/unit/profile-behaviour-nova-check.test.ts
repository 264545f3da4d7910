import { afterEach, describe, expect, it } from 'vitest';
import { EResourceOperation } from '../../src/common/errors.js';
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

async function created(profile: ProfileView = novaProfile()): Promise<NodeView> {
  const node = makeNode();
  const physicalId = await nova.create(node, profile, rig.ctx);
  return { ...node, physicalId, data: rig.lastData() };
}

describe('nova server check and health', () => {
  it('check is true for an ACTIVE server and false otherwise', async () => {
    rig = makeRig();
    const node = await created();
    expect(await nova.check(node, novaProfile(), rig.ctx)).toBe(true);
    rig.cloud.setServerStatus(node.physicalId ?? '', 'SHUTOFF');
    expect(await nova.check(node, novaProfile(), rig.ctx)).toBe(false);
  });

  it('check is false for a node without a server', async () => {
    rig = makeRig();
    expect(await nova.check(makeNode(), novaProfile(), rig.ctx)).toBe(false);
  });

  it('check raises EServerNotFound for a server that is gone', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.destroyServer(node.physicalId ?? '');
    const err = await rejectionOf(nova.check(node, novaProfile(), rig.ctx));
    expect(err.name).toBe('EServerNotFound');
  });

  it('check raises EResourceOperation for other failures', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.faults.add({ service: 'compute', call: 'getServer' });
    expect(await rejectionOf(nova.check(node, novaProfile(), rig.ctx))).toBeInstanceOf(
      EResourceOperation,
    );
  });

  it('status polling finds ERROR and SHUTOFF servers unhealthy', async () => {
    rig = makeRig();
    const node = await created();
    const health = () => nova.healthCheck?.(node, novaProfile(), rig.ctx, 'NODE_STATUS_POLLING');
    expect(await health()).toBe(true);
    rig.cloud.setServerStatus(node.physicalId ?? '', 'ERROR');
    expect(await health()).toBe(false);
  });

  it('status polling finds a missing server unhealthy but ignores other errors', async () => {
    rig = makeRig();
    const node = await created();
    const health = () => nova.healthCheck?.(node, novaProfile(), rig.ctx, 'NODE_STATUS_POLLING');
    const fault = rig.cloud.faults.add({ service: 'compute', call: 'getServer' });
    expect(await health()).toBe(true);
    fault.remove();
    rig.cloud.destroyServer(node.physicalId ?? '');
    expect(await health()).toBe(false);
  });

  it('a node without a server is healthy only while it is being created', async () => {
    rig = makeRig();
    const check = (s: string) =>
      nova.healthCheck?.(makeNode({ status: s }), novaProfile(), rig.ctx, 'NODE_STATUS_POLLING');
    expect(await check('CREATING')).toBe(true);
    expect(await check('ERROR')).toBe(false);
  });

  it('hypervisor polling finds a server on a down or disabled host unhealthy', async () => {
    rig = makeRig();
    const node = await created();
    const host = String(
      (await rig.ctx.drivers.compute.getServer(node.physicalId ?? ''))['OS-EXT-SRV-ATTR:host'],
    );
    const health = () =>
      nova.healthCheck?.(node, novaProfile(), rig.ctx, 'HYPERVISOR_STATUS_POLLING');
    expect(await health()).toBe(true);
    rig.cloud.setHypervisorState(host, 'down');
    expect(await health()).toBe(false);
    rig.cloud.setHypervisorState(host, 'up', 'disabled');
    expect(await health()).toBe(false);
  });
});

describe('nova server details, adopt, join and leave', () => {
  it('details show the server with ids, addresses and security groups', async () => {
    rig = makeRig();
    const node = await created(novaProfile({ networks: [{ network: 'private' }] }));
    const details = await nova.details(node, novaProfile(), rig.ctx);
    expect(details).toMatchObject({
      id: node.physicalId,
      image: catalogueId('image', 'cirros'),
      flavor: '1',
      status: 'ACTIVE',
      attached_volumes: [],
      security_groups: 'default',
      'OS-EXT-STS:task_state': '-',
    });
    expect(Object.keys(details.addresses as object)).toEqual(['private']);
    expect(Object.keys(details)).toEqual([...Object.keys(details)].sort());
  });

  it('details are empty without a server and an error when it cannot be read', async () => {
    rig = makeRig();
    expect(await nova.details(makeNode(), novaProfile(), rig.ctx)).toEqual({});
    const node = await created();
    rig.cloud.destroyServer(node.physicalId ?? '');
    expect(await nova.details(node, novaProfile(), rig.ctx)).toEqual({
      Error: { code: 404, message: expect.any(String) },
    });
  });

  it('adopt describes the server as spec properties with overrides', async () => {
    rig = makeRig();
    const node = await created(
      novaProfile({ name: 'srv', metadata: { k: 'v' }, networks: [{ network: 'private' }] }),
    );
    const spec = await nova.adopt(node.physicalId ?? '', rig.ctx, {
      overrides: { name: 'adopted' },
    });
    expect(spec).toMatchObject({
      auto_disk_config: true,
      flavor: '1',
      image: catalogueId('image', 'cirros'),
      metadata: { k: 'v' },
      name: 'adopted',
      networks: [{ network: 'private' }],
      security_groups: ['default'],
    });
  });

  it('join writes the cluster id and the new index, keeping other metadata', async () => {
    rig = makeRig();
    const node = await created(novaProfile({ metadata: { k: 'v' } }));
    expect(await nova.join({ ...node, index: 4 }, novaProfile(), rig.ctx, 'c9')).toBe(true);
    expect((await rig.ctx.drivers.compute.getServer(node.physicalId ?? '')).metadata).toEqual({
      k: 'v',
      cluster_node_id: node.id,
      cluster_id: 'c9',
      cluster_node_index: '4',
    });
  });

  it('leave removes the cluster keys', async () => {
    rig = makeRig();
    const node = await created();
    await nova.join({ ...node, index: 1 }, novaProfile(), rig.ctx, 'c9');
    expect(await nova.leave(node, novaProfile(), rig.ctx)).toBe(true);
    expect((await rig.ctx.drivers.compute.getServer(node.physicalId ?? '')).metadata).toEqual({
      cluster_node_id: node.id,
    });
  });

  it('join and leave are refused for a node without a server', async () => {
    rig = makeRig();
    expect(await nova.join(makeNode(), novaProfile(), rig.ctx, 'c1')).toBe(false);
    expect(await nova.leave(makeNode(), novaProfile(), rig.ctx)).toBe(false);
  });
});
