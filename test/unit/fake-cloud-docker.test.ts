import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  type ContainerDriver,
  type Resource,
} from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let cloud: FakeCloud;
let d: CloudDrivers;
let docker: ContainerDriver;

beforeEach(() => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
  docker = d.container('tcp://192.0.2.10:2375');
});
afterEach(() => cloud.close());

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

async function state(id: string): Promise<Record<string, unknown>> {
  return (await docker.inspectContainer(id)).State as Record<string, unknown>;
}

async function host(): Promise<Resource> {
  const image = await d.compute.findImage('cirros');
  const created = await d.compute.createServer({ name: 'h', flavorRef: '1', imageRef: image?.id });
  return d.compute.waitForServer(created.id, 'ACTIVE', wait);
}

describe('fake Docker daemons', () => {
  it('creates a container that starts running', async () => {
    const id = await docker.createContainer({ image: 'nginx', name: 'web', command: 'nginx -g x' });
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect((await state(id)).Status).toBe('created');
    await docker.startContainer(id);
    const info = await docker.inspectContainer(id);
    expect(info).toMatchObject({
      Name: '/web',
      Config: { Image: 'nginx', Cmd: ['nginx', '-g', 'x'] },
    });
    expect((info.State as Record<string, unknown>).Running).toBe(true);
  });

  it('finds a container by a prefix of its id and by name', async () => {
    const id = await docker.createContainer({ image: 'nginx', name: 'web' });
    expect((await docker.inspectContainer(id.slice(0, 36))).Id).toBe(id);
    expect((await docker.inspectContainer('web')).Id).toBe(id);
  });

  it('pauses, unpauses, stops and restarts', async () => {
    const id = await docker.createContainer({ image: 'nginx' });
    await docker.startContainer(id);
    await docker.pauseContainer(id);
    expect((await state(id)).Paused).toBe(true);
    await docker.unpauseContainer(id);
    expect((await state(id)).Status).toBe('running');
    await docker.stopContainer(id, 5);
    expect((await state(id)).Status).toBe('exited');
    await docker.restartContainer(id);
    expect((await state(id)).Status).toBe('running');
    expect((await docker.inspectContainer(id)).RestartCount).toBe(1);
  });

  it('refuses to pause a stopped container and to unpause a running one', async () => {
    const id = await docker.createContainer({ image: 'nginx' });
    expect(statusOf(await docker.pauseContainer(id).catch((e: unknown) => e))).toBe(409);
    await docker.startContainer(id);
    expect(statusOf(await docker.unpauseContainer(id).catch((e: unknown) => e))).toBe(409);
  });

  it('renames a container and refuses a name in use', async () => {
    const a = await docker.createContainer({ image: 'nginx', name: 'alpha' });
    await docker.createContainer({ image: 'nginx', name: 'beta' });
    await docker.renameContainer(a, 'gamma');
    expect((await docker.inspectContainer(a)).Name).toBe('/gamma');
    expect(statusOf(await docker.renameContainer(a, 'beta').catch((e: unknown) => e))).toBe(409);
    const again = await docker
      .createContainer({ image: 'x', name: 'gamma' })
      .catch((e: unknown) => e);
    expect(statusOf(again)).toBe(409);
  });

  it('refuses a one-character container name as Docker does', async () => {
    expect(
      statusOf(await docker.createContainer({ image: 'x', name: 'a' }).catch((e: unknown) => e)),
    ).toBe(400);
  });

  it('removes a running container only when forced', async () => {
    const id = await docker.createContainer({ image: 'nginx' });
    await docker.startContainer(id);
    expect(statusOf(await docker.removeContainer(id).catch((e: unknown) => e))).toBe(409);
    await docker.removeContainer(id, { force: true });
    await expect(docker.inspectContainer(id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('keeps the containers of each daemon apart', async () => {
    const other = d.container('tcp://192.0.2.11:2375');
    await docker.createContainer({ image: 'nginx', name: 'same' });
    await other.createContainer({ image: 'nginx', name: 'same' });
    expect(cloud.listContainers('tcp://192.0.2.10:2375')).toHaveLength(1);
    expect(cloud.listContainers()).toHaveLength(2);
    await expect(other.inspectContainer('missing')).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('reaches a daemon on a running server and not on a stopped one', async () => {
    const server = await host();
    const ip = (server.addresses as Record<string, { addr: string }[]>).private?.[0]?.addr;
    const onHost = d.container(`tcp://${ip}:2375`);
    const id = await onHost.createContainer({ image: 'nginx' });
    await d.compute.serverAction(server.id, 'stop');
    await d.compute.waitForServer(server.id, 'SHUTOFF', wait);
    expect(statusOf(await onHost.startContainer(id).catch((e: unknown) => e))).toBe(503);
  });

  it('reaches a daemon at the address a complete stack outputs', async () => {
    const stack = await d.orchestration.createStack({
      stack_name: 'docker-host',
      template: {
        heat_template_version: '2016-10-14',
        resources: { vm: { type: 'OS::Nova::Server' } },
        outputs: { fixed_ip: { value: { get_attr: ['vm', 'first_address'] } } },
      },
    });
    const done = await d.orchestration.waitForStack(stack.id, 'CREATE_COMPLETE', wait);
    const ip = (done.outputs as { output_value: string }[])[0]?.output_value;
    const onStack = d.container(`tcp://${ip}:2375`);
    await expect(onStack.createContainer({ image: 'nginx' })).resolves.toEqual(expect.any(String));
    await d.orchestration.deleteStack(stack.id);
    await d.orchestration.waitForStackDelete(stack.id, wait);
    expect(statusOf(await onStack.createContainer({ image: 'x' }).catch((e: unknown) => e))).toBe(
      503,
    );
  });

  it('cannot reach a daemon at an unused address of the cloud', async () => {
    const nobody = d.container('tcp://10.0.99.99:2375');
    expect(
      statusOf(await nobody.createContainer({ image: 'nginx' }).catch((e: unknown) => e)),
    ).toBe(503);
  });

  it('refuses a container without image', async () => {
    expect(statusOf(await docker.createContainer({ image: '' }).catch((e: unknown) => e))).toBe(
      400,
    );
  });
});
