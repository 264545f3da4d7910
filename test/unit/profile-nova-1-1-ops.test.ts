import { afterEach, describe, expect, it } from 'vitest';
import { EResourceOperation } from '../../src/common/errors.js';
import type { NodeView } from '../../src/engine/contracts.js';
import { novaServer11Behaviour as nova } from '../../src/profiles/index.js';
import {
  createNode11,
  makeRig11,
  nodeContext,
  nova11Profile,
  type Rig11,
} from './nova-server-1-1-rig.js';
import { rejectionOf } from './profile-behaviour-context.js';

const HOST = 'OS-EXT-SRV-ATTR:host';
let rig: Rig11;
afterEach(async () => {
  await rig.cloud.close();
});

const server = (node: NodeView) => rig.ctx.drivers.compute.getServer(node.physicalId ?? '');
const hostOf = async (node: NodeView) => String((await server(node))[HOST]);
const other = (host: string) => (host === 'host1' ? 'host2' : 'host1');

describe('os.nova.server-1.1 migrations', () => {
  it('live_migrate moves a running server to the named host and leaves it ACTIVE', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const target = other(await hostOf(node));
    await nova.operation(node, profile, rig.ctx11, 'live_migrate', { host: target });
    const after = await server(node);
    expect(after[HOST]).toBe(target);
    expect(after.status).toBe('ACTIVE');
  });

  it('live_migrate without a host lets the scheduler pick another one', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const before = await hostOf(node);
    await nova.operation(node, profile, rig.ctx11, 'live_migrate', {});
    expect(await hostOf(node)).toBe(other(before));
  });

  it('migrate cold-migrates and confirms the resize: the server ends ACTIVE elsewhere', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const before = await hostOf(node);
    await nova.operation(node, profile, rig.ctx11, 'migrate', {});
    const after = await server(node);
    expect(after.status).toBe('ACTIVE');
    expect(after[HOST]).toBe(other(before));
  });

  it('migrate keeps a stopped server stopped', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    await nova.operation(node, profile, rig.ctx11, 'stop', {});
    await nova.operation(node, profile, rig.ctx11, 'migrate', {});
    expect((await server(node)).status).toBe('SHUTOFF');
  });

  it('a failed migration is an EResourceOperation naming the server', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const err = await rejectionOf(
      nova.operation(node, profile, rig.ctx11, 'live_migrate', { host: 'nowhere' }),
    );
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.message).toContain(`Failed in live_migrate server '${node.physicalId}'`);
    expect(err.message).toContain('Compute host nowhere could not be found');
  });

  it('drain moves a server off the named host and leaves servers elsewhere alone', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const a = await createNode11(rig, profile);
    const b = await createNode11(rig, profile);
    const host = await hostOf(a);
    const otherBefore = await hostOf(b);
    for (const node of [a, b]) await nova.operation(node, profile, rig.ctx11, 'drain', { host });
    expect(await hostOf(a)).toBe(other(host));
    expect(await hostOf(b)).toBe(otherBefore === host ? other(host) : otherBefore);
  });

  it('drain evacuates the servers of a host that is down', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const host = await hostOf(node);
    rig.cloud.setHypervisorState(host, 'down');
    await nova.operation(node, profile, rig.ctx11, 'drain', { host });
    const after = await server(node);
    expect(after[HOST]).toBe(other(host));
    expect(after.status).toBe('ACTIVE');
  });

  it('evacuate of a server on a live host fails with the cloud reason', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const err = await rejectionOf(nova.operation(node, profile, rig.ctx11, 'evacuate', {}));
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.message).toContain('is still in use');
  });
});

describe('os.nova.server-1.1 snapshot and restore', () => {
  it('snapshot makes an active image of the server and records it on the node', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const ctx = nodeContext(rig, node);
    await nova.operation(node, profile, ctx.ctx, 'snapshot', { name: 'snap-1' });
    const snapshots = ctx.data().snapshots as { id: string; name: string }[];
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]?.name).toBe('snap-1');
    const image = await rig.ctx.drivers.image.getImage(snapshots[0]?.id ?? '');
    expect(image.status).toBe('active');
    expect((await server(node)).status).toBe('ACTIVE');
  });

  it("restore rebuilds the server from the node's latest snapshot", async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const ctx = nodeContext(rig, node);
    await nova.operation(node, profile, ctx.ctx, 'snapshot', {});
    const snapped: NodeView = { ...node, data: ctx.data() };
    const snapId = (snapped.data.snapshots as { id: string }[])[0]?.id;
    await nova.operation(snapped, profile, ctx.ctx, 'restore', {});
    const after = await server(node);
    expect((after.image as { id: string }).id).toBe(snapId);
    expect(after.status).toBe('ACTIVE');
  });

  it('restore without a snapshot or an image fails clearly', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    const err = await rejectionOf(nova.operation(node, profile, rig.ctx11, 'restore', {}));
    expect(err.message).toContain('the node has no snapshot to restore');
  });

  it('restore from a named image rebuilds the server from it', async () => {
    rig = makeRig11();
    const profile = nova11Profile();
    const node = await createNode11(rig, profile);
    await nova.operation(node, profile, rig.ctx11, 'restore', {
      image: 'cirros-0.4.0-x86_64-disk',
    });
    const image = await rig.ctx.drivers.image.findImage('cirros-0.4.0-x86_64-disk');
    expect(((await server(node)).image as { id: string }).id).toBe(image?.id);
  });

  it('a new cluster node boots from the latest snapshot of the golden member', async () => {
    rig = makeRig11();
    const profile = nova11Profile({ rapid_scale: {} });
    const golden = await createNode11(rig, profile, { clusterId: 'c1', index: 1, role: 'golden' });
    const ctx = nodeContext(rig, golden);
    await nova.operation(golden, profile, ctx.ctx, 'snapshot', {});
    const entry = rig.nodes.find((n) => n.node.id === golden.id);
    if (entry) entry.node = { ...golden, data: ctx.data() };
    const snapId = (ctx.data().snapshots as { id: string }[])[0]?.id;
    const fresh = await createNode11(rig, profile, { clusterId: 'c1', index: 2 });
    expect(((await server(fresh)).image as { id: string }).id).toBe(snapId);
    expect(fresh.data.rapid_scale_image).toBe(snapId);
  });

  it('without a golden snapshot a new node boots from the base image', async () => {
    rig = makeRig11();
    const profile = nova11Profile({ rapid_scale: { golden_node: 'nobody' } });
    const node = await createNode11(rig, profile, { clusterId: 'c1', index: 1 });
    const base = await rig.ctx.drivers.image.findImage('cirros');
    expect(((await server(node)).image as { id: string }).id).toBe(base?.id);
  });
});
