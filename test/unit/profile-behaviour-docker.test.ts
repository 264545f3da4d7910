import { afterEach, describe, expect, it } from 'vitest';
import {
  EResourceCreation,
  EResourceDeletion,
  EResourceOperation,
  InvalidSpec,
} from '../../src/common/errors.js';
import type { NodeView, ProfileView } from '../../src/engine/contracts.js';
import {
  DOCKER_HOST_KEY,
  dockerBehaviour as docker,
  heatStackBehaviour,
  novaServerBehaviour,
} from '../../src/profiles/index.js';
import {
  makeNode,
  makeProfile,
  makeRig,
  novaProfile,
  type Rig,
  rejectionOf,
} from './profile-behaviour-context.js';

let rig: Rig;
afterEach(async () => {
  await rig.cloud.close();
});

/** A Nova server node that `lookup` knows, with its daemon URL. */
async function novaHost(overrides: Partial<NodeView> = {}) {
  const profile = novaProfile({ networks: [{ network: 'private' }] });
  const base = makeNode(overrides);
  const physicalId = await novaServerBehaviour.create(base, profile, rig.ctx);
  const node = { ...base, physicalId };
  rig.nodes.push({ node, profile });
  const server = await rig.ctx.drivers.compute.getServer(physicalId);
  const ip = (server.addresses as Record<string, { addr: string }[]>).private?.[0]?.addr;
  return { node, url: `tcp://${ip}:2375` };
}

const containerProfile = (props: Record<string, unknown>): ProfileView =>
  makeProfile('container.dockerinc.docker', { image: 'nginx', ...props });

async function created(profile: ProfileView, overrides: Partial<NodeView> = {}) {
  const node = makeNode(overrides);
  const physicalId = await docker.create(node, profile, rig.ctx);
  return { ...node, physicalId, data: rig.lastData() };
}

describe('docker container create and delete', () => {
  it('runs the container on the daemon of the host node and records the host', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id, name: 'web', command: 'run' });
    const node = await created(profile);
    const containers = rig.cloud.listContainers(host.url);
    expect(containers).toHaveLength(1);
    expect(String(containers[0]?.Id).slice(0, 36)).toBe(node.physicalId);
    expect(containers[0]?.Name).toMatch(/web$/);
    expect(node.data[DOCKER_HOST_KEY]).toBe(host.node.id);
  });

  it('names the container after the node when the profile does not', async () => {
    rig = makeRig();
    const host = await novaHost();
    await created(containerProfile({ host_node: host.node.name }), { name: 'box' });
    expect(rig.cloud.listContainers(host.url)[0]?.Name).toMatch(/box-[A-Za-z0-9]{8}$/);
  });

  it('picks an ACTIVE node of the host cluster', async () => {
    rig = makeRig();
    await novaHost({ clusterId: 'hosts', status: 'ERROR' });
    const good = await novaHost({ clusterId: 'hosts' });
    const node = await created(containerProfile({ host_cluster: 'hosts' }));
    expect(node.data[DOCKER_HOST_KEY]).toBe(good.node.id);
    expect(rig.cloud.listContainers(good.url)).toHaveLength(1);
  });

  it('fails when the host cluster has no ACTIVE node', async () => {
    rig = makeRig();
    await novaHost({ clusterId: 'hosts', status: 'ERROR' });
    const err = await rejectionOf(created(containerProfile({ host_cluster: 'hosts' })));
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.message).toContain('The cluster (hosts) contains no active nodes');
  });

  it('uses the fixed_ip output of a Heat stack host', async () => {
    rig = makeRig();
    const profile = makeProfile('os.heat.stack', {
      template: {
        heat_template_version: '2016-10-14',
        resources: { port: { type: 'OS::Neutron::Port' } },
        outputs: { fixed_ip: { value: { get_attr: ['port', 'fixed_ip'] } } },
      },
    });
    const base = makeNode();
    const node = { ...base, physicalId: await heatStackBehaviour.create(base, profile, rig.ctx) };
    rig.nodes.push({ node, profile });
    const stack = await rig.ctx.drivers.orchestration.getStack(node.physicalId);
    const ip = (stack.outputs as { output_value: string }[])[0]?.output_value;
    await created(containerProfile({ host_node: node.id }));
    expect(rig.cloud.listContainers(`tcp://${ip}:2375`)).toHaveLength(1);
  });

  it('refuses a host made from another profile type', async () => {
    rig = makeRig();
    const host = await novaHost();
    const inner = await created(containerProfile({ host_node: host.node.id }));
    rig.nodes.push({ node: inner, profile: containerProfile({ host_node: host.node.id }) });
    const err = await rejectionOf(created(containerProfile({ host_node: inner.id })));
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.message).toContain(
      'Type of host node (container.dockerinc.docker) is not supported',
    );
  });

  it('stops and removes the container on delete', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    await docker.delete(node, profile, rig.ctx);
    expect(rig.cloud.listContainers(host.url)).toHaveLength(0);
  });

  it('raises EResourceDeletion when the daemon cannot be reached', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    rig.cloud.setServerStatus(host.node.physicalId ?? '', 'SHUTOFF');
    expect(await rejectionOf(docker.delete(node, profile, rig.ctx))).toBeInstanceOf(
      EResourceDeletion,
    );
  });
});

describe('docker container update, operations and recovery', () => {
  it('renames the container when the name changes', async () => {
    rig = makeRig();
    const host = await novaHost();
    const current = containerProfile({ host_node: host.node.id, name: 'alpha' });
    const node = await created(current);
    const next = containerProfile({ host_node: host.node.id, name: 'beta' });
    expect(await docker.update(node, current, next, rig.ctx, {})).toBe(true);
    expect(rig.cloud.listContainers(host.url)[0]?.Name).toMatch(/beta$/);
  });

  it('refuses to change the image', async () => {
    rig = makeRig();
    const host = await novaHost();
    const current = containerProfile({ host_node: host.node.id });
    const node = await created(current);
    const next = containerProfile({ host_node: host.node.id, image: 'redis' });
    expect(await docker.update(node, current, next, rig.ctx, {})).toBe(false);
  });

  it('pauses, unpauses and restarts the container', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    const state = () =>
      (rig.cloud.listContainers(host.url)[0]?.State as { Status: string } | undefined)?.Status;
    await docker.operation(node, profile, rig.ctx, 'pause', {});
    expect(state()).toBe('paused');
    await docker.operation(node, profile, rig.ctx, 'unpause', {});
    expect(state()).toBe('running');
    await docker.operation(node, profile, rig.ctx, 'restart', { wait_time: 1 });
    expect(state()).toBe('running');
  });

  it('reports a failing operation as EResourceOperation', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    const err = await rejectionOf(docker.operation(node, profile, rig.ctx, 'unpause', {}));
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.message).toContain('Failed in unpausing container');
  });

  it('checks that the container is running', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    const daemon = rig.ctx.drivers.container(host.url);
    expect(await docker.check(node, profile, rig.ctx)).toBe(true);
    await daemon.pauseContainer(node.physicalId);
    expect(await docker.check(node, profile, rig.ctx)).toBe(false);
    await daemon.unpauseContainer(node.physicalId);
    await daemon.stopContainer(node.physicalId);
    expect(await docker.check(node, profile, rig.ctx)).toBe(false);
    await daemon.removeContainer(node.physicalId, { force: true });
    expect(await docker.check(node, profile, rig.ctx)).toBe(false);
    expect(await docker.check({ ...node, physicalId: null }, profile, rig.ctx)).toBe(false);
  });

  it('reports an unreachable daemon as a failed check', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    rig.cloud.setServerStatus(host.node.physicalId ?? '', 'SHUTOFF');
    const err = await rejectionOf(docker.check(node, profile, rig.ctx));
    expect(err).toBeInstanceOf(EResourceOperation);
    expect(err.message).toContain('Failed in checking container');
  });

  it('recreates the container on recovery', async () => {
    rig = makeRig();
    const host = await novaHost();
    const profile = containerProfile({ host_node: host.node.id });
    const node = await created(profile);
    const result = await docker.recover(node, profile, rig.ctx, {});
    expect(result.ok).toBe(true);
    expect(result.physicalId).not.toBe(node.physicalId);
    expect(rig.cloud.listContainers(host.url)).toHaveLength(1);
  });

  it('validation requires the host node or cluster to exist', async () => {
    rig = makeRig();
    const host = await novaHost({ clusterId: 'hosts' });
    const ok = containerProfile({ host_node: host.node.name }).properties;
    await expect(docker.validateWithCloud?.(ok, rig.ctx)).resolves.toBeUndefined();
    const bad = containerProfile({ host_cluster: 'nowhere' }).properties;
    const err = await rejectionOf(docker.validateWithCloud?.(bad, rig.ctx) ?? Promise.resolve());
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toBe(
      "The specified host_cluster 'nowhere' could not be found or is not unique.",
    );
  });
});
