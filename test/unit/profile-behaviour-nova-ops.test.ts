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

const status = async (node: NodeView) =>
  (await rig.ctx.drivers.compute.getServer(node.physicalId ?? '')).status;

function spy(call: string): unknown[][] {
  const calls: unknown[][] = [];
  rig.cloud.faults.add({
    service: 'compute',
    call,
    match: (args) => {
      calls.push([...args]);
      return false;
    },
  });
  return calls;
}

describe('nova server operations', () => {
  it.each([
    ['pause', [], 'PAUSED'],
    ['suspend', [], 'SUSPENDED'],
    ['stop', [], 'SHUTOFF'],
    ['unpause', ['pause'], 'ACTIVE'],
    ['resume', ['suspend'], 'ACTIVE'],
    ['start', ['stop'], 'ACTIVE'],
    ['unrescue', ['rescue'], 'ACTIVE'],
  ])('%s leaves the server in the status it waits for', async (op, before, expected) => {
    rig = makeRig();
    const node = await created();
    for (const b of before) await nova.operation(node, novaProfile(), rig.ctx, b, {});
    await nova.operation(node, novaProfile(), rig.ctx, op, {});
    expect(await status(node)).toBe(expected);
  });

  it('lock and unlock change the lock of the server', async () => {
    rig = makeRig();
    const node = await created();
    await nova.operation(node, novaProfile(), rig.ctx, 'lock', {});
    expect((await rig.ctx.drivers.compute.getServer(node.physicalId ?? '')).locked).toBe(true);
    await nova.operation(node, novaProfile(), rig.ctx, 'unlock', {});
    expect((await rig.ctx.drivers.compute.getServer(node.physicalId ?? '')).locked).toBe(false);
  });

  it('reboot uses the requested type and waits for ACTIVE', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('rebootServer');
    await nova.operation(node, novaProfile(), rig.ctx, 'reboot', { type: 'HARD' });
    expect(calls).toEqual([[node.physicalId, 'HARD']]);
    expect(await status(node)).toBe('ACTIVE');
  });

  it('reboot is soft by default', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('rebootServer');
    await nova.operation(node, novaProfile(), rig.ctx, 'reboot', {});
    expect(calls[0]?.[1]).toBe('SOFT');
  });

  it('rebuild uses the current image and the profile name', async () => {
    rig = makeRig();
    const profile = novaProfile({ name: 'srv' });
    const node = await created(profile);
    const calls = spy('rebuildServer');
    await nova.operation(node, profile, rig.ctx, 'rebuild', {});
    expect(calls[0]).toEqual([
      node.physicalId,
      { image: catalogueId('image', 'cirros'), name: 'srv', adminPass: null },
    ]);
    expect(await status(node)).toBe('ACTIVE');
  });

  it('change_password sends the new password', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('changeServerPassword');
    await nova.operation(node, novaProfile(), rig.ctx, 'change_password', { admin_pass: 'pw' });
    expect(calls).toEqual([[node.physicalId, 'pw']]);
  });

  it('rescue boots the image given as image_ref', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('rescueServer');
    await nova.operation(node, novaProfile(), rig.ctx, 'rescue', { image_ref: 'ubuntu-22.04' });
    expect(calls).toEqual([[node.physicalId, { imageRef: catalogueId('image', 'ubuntu-22.04') }]]);
    expect(await status(node)).toBe('RESCUE');
  });

  it('rescue fails for an unknown image', async () => {
    rig = makeRig();
    const node = await created();
    const err = await rejectionOf(
      nova.operation(node, novaProfile(), rig.ctx, 'rescue', { image_ref: 'nope' }),
    );
    expect(err).toBeInstanceOf(EResourceOperation);
  });

  it('evacuate moves the server to the requested host', async () => {
    rig = makeRig();
    const node = await created();
    const host = (await rig.ctx.drivers.compute.getServer(node.physicalId ?? ''))[
      'OS-EXT-SRV-ATTR:host'
    ];
    const target = host === 'host1' ? 'host2' : 'host1';
    rig.cloud.setHypervisorState(String(host), 'down');
    await nova.operation(node, novaProfile(), rig.ctx, 'evacuate', {
      host: target,
      force: 'false',
    });
    const after = await rig.ctx.drivers.compute.getServer(node.physicalId ?? '');
    expect(after['OS-EXT-SRV-ATTR:host']).toBe(target);
    expect(after.status).toBe('ACTIVE');
  });

  it('reports a failing operation as EResourceOperation', async () => {
    rig = makeRig();
    const node = await created();
    const err = await rejectionOf(nova.operation(node, novaProfile(), rig.ctx, 'unpause', {}));
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.message).toContain(`Failed in unpause server '${node.physicalId}'`);
  });

  it('refuses an operation on a node without a server', async () => {
    rig = makeRig();
    const err = await rejectionOf(nova.operation(makeNode(), novaProfile(), rig.ctx, 'pause', {}));
    expect(err).toBeInstanceOf(EResourceOperation);
  });

  it('stops waiting when the signal aborts and raises its reason', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.defaultDelay = 60;
    const reason = new Error('timed out');
    const pending = nova.operation(node, novaProfile(), rig.ctx, 'stop', {});
    setTimeout(() => rig.controller.abort(reason), 20);
    expect(await rejectionOf(pending)).toBe(reason);
  });
});

describe('nova server recover', () => {
  it('recreates by default: new server, pause of batchInterval, old one gone', async () => {
    rig = makeRig();
    const node = await created();
    const result = await nova.recover(node, novaProfile(), rig.ctx, {});
    expect(result.ok).toBe(true);
    expect(result.physicalId).not.toBe(node.physicalId);
    expect(rig.sleeps).toEqual([3]);
    expect(rig.cloud.listAllServers().map((s) => s.id)).toEqual([result.physicalId]);
  });

  it('recreates the ports of the node without keeping the old records', async () => {
    rig = makeRig();
    const profile = novaProfile({ networks: [{ network: 'private' }] });
    const node = await created(profile);
    await nova.recover(node, profile, rig.ctx, { operation: 'RECREATE' });
    expect((rig.lastData().internal_ports as unknown[]).length).toBe(1);
    expect(rig.cloud.listAllPorts()).toHaveLength(1);
  });

  it('force-deletes when fence_compute is set', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('deleteServer');
    await nova.recover(node, novaProfile(), rig.ctx, {
      operation: 'RECREATE',
      operationParams: { fence_compute: true },
    });
    expect(calls[0]).toEqual([node.physicalId, { force: true }]);
  });

  it('stops when the delete fails unless force_recreate is set', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.faults.add({ service: 'compute', call: 'deleteServer' });
    const err = (await rejectionOf(
      nova.recover(node, novaProfile(), rig.ctx, { operation: 'RECREATE' }),
    )) as EResourceOperation;
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.message).toContain(`Failed in recovering node '${node.id}'`);
    expect(err.resourceId).toBe(node.physicalId);
    const forced = await nova.recover(node, novaProfile(), rig.ctx, {
      operation: 'RECREATE',
      forceRecreate: true,
    });
    expect(forced.ok).toBe(true);
  });

  it('reports the new server of a failed recreate', async () => {
    rig = makeRig();
    const node = await created();
    const broken = novaProfile({ metadata: { simulated_fail: 'create' } });
    const err = (await rejectionOf(
      nova.recover(node, broken, rig.ctx, { operation: 'RECREATE' }),
    )) as EResourceOperation;
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.resourceId).toEqual(expect.any(String));
    expect(err.resourceId).not.toBe(node.physicalId);
  });

  it('reboots HARD by default for REBOOT', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('rebootServer');
    const result = await nova.recover(node, novaProfile(), rig.ctx, { operation: 'REBOOT' });
    expect(result).toEqual({ physicalId: node.physicalId, ok: true });
    expect(calls[0]?.[1]).toBe('HARD');
  });

  it('rebuilds for REBUILD', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('rebuildServer');
    const result = await nova.recover(node, novaProfile(), rig.ctx, { operation: 'REBUILD' });
    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(1);
  });

  it('does not support other operations', async () => {
    rig = makeRig();
    const node = await created();
    expect(await nova.recover(node, novaProfile(), rig.ctx, { operation: 'MIGRATE' })).toEqual({
      physicalId: node.physicalId,
      ok: false,
    });
  });

  it('cannot reboot a node without a server', async () => {
    rig = makeRig();
    expect(await nova.recover(makeNode(), novaProfile(), rig.ctx, { operation: 'REBOOT' })).toEqual(
      {
        physicalId: null,
        ok: false,
      },
    );
  });
});
