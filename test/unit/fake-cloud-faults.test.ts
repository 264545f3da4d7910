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
let imageRef: string;

beforeEach(async () => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
  imageRef = String((await d.compute.findImage('cirros'))?.id);
});
afterEach(() => cloud.close());

async function boot(metadata: Record<string, string> = {}): Promise<Resource> {
  return d.compute.createServer({ name: 'srv', flavorRef: '1', imageRef, metadata });
}

describe('failures asked for in server metadata', () => {
  it('puts a server in ERROR with simulated_fail create', async () => {
    const server = await boot({ simulated_fail: 'create' });
    const error = await d.compute.waitForServer(server.id, 'ACTIVE', wait).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect(String(error)).toContain('Simulated failure of create');
    const broken = await d.compute.getServer(server.id);
    expect(broken.status).toBe('ERROR');
    expect(broken.addresses).toEqual({});
    expect(broken['OS-EXT-SRV-ATTR:host']).toBeNull();
  });

  it('fails the delete call with simulated_fail delete', async () => {
    const server = await boot({ simulated_fail: 'delete' });
    const error = await d.compute.deleteServer(server.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).status).toBe(500);
    expect((await d.compute.getServer(server.id)).status).toBe('ACTIVE');
  });

  it('fails only the operations listed', async () => {
    const server = await boot({ simulated_fail: 'reboot, stop' });
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await d.compute.serverAction(server.id, 'pause');
    await d.compute.waitForServer(server.id, 'PAUSED', wait);
    await d.compute.serverAction(server.id, 'unpause');
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await d.compute.rebootServer(server.id, 'HARD');
    await expect(d.compute.waitForServer(server.id, 'ACTIVE', wait)).rejects.toBeInstanceOf(
      CloudWaitFailed,
    );
    expect((await d.compute.getServer(server.id)).status).toBe('ERROR');
  });

  it('makes a rebuild end in ERROR and the wait fail', async () => {
    const server = await boot();
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await d.compute.setServerMetadata(server.id, { simulated_fail: 'rebuild' });
    await d.compute.rebuildServer(server.id, { image: imageRef });
    await expect(d.compute.waitForServer(server.id, 'ACTIVE', wait)).rejects.toBeInstanceOf(
      CloudWaitFailed,
    );
  });

  it('fails a synchronous operation at once', async () => {
    const server = await boot({ simulated_fail: 'lock,interface_attach' });
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await expect(d.compute.serverAction(server.id, 'lock')).rejects.toBeInstanceOf(CloudError);
    const net = await d.network.findNetwork('private');
    await expect(
      d.compute.createServerInterface(server.id, { netId: String(net?.id) }),
    ).rejects.toBeInstanceOf(CloudError);
  });

  it('treats a failure status given in the wait options as a failure', async () => {
    const server = await boot();
    await d.compute.waitForServer(server.id, 'ACTIVE', wait);
    await d.compute.serverAction(server.id, 'stop');
    await expect(
      d.compute.waitForServer(server.id, 'ACTIVE', { timeout: 5, failures: ['SHUTOFF'] }),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
  });
});

describe('faults registered on the backend', () => {
  it('fails the next call with the given error', async () => {
    cloud.faults.add({
      service: 'compute',
      call: 'createServer',
      error: new CloudError(500, 'boom'),
    });
    await expect(boot()).rejects.toThrow('boom');
  });

  it('fails only the given number of times', async () => {
    const fault = cloud.faults.add({
      service: 'compute',
      call: 'createServer',
      error: new CloudError(503, 'busy'),
      times: 2,
    });
    await expect(boot()).rejects.toThrow('busy');
    await expect(boot()).rejects.toThrow('busy');
    await expect(boot()).resolves.toMatchObject({ status: 'BUILD' });
    expect(fault.hits).toBe(2);
    expect(fault.remaining).toBe(0);
  });

  it('fails only calls whose arguments match', async () => {
    const a = await boot();
    const b = await boot();
    cloud.faults.add({
      service: 'compute',
      call: 'getServer',
      error: new CloudNotFound('vanished'),
      match: (args) => args[0] === a.id,
    });
    await expect(d.compute.getServer(a.id)).rejects.toBeInstanceOf(CloudNotFound);
    await expect(d.compute.getServer(b.id)).resolves.toMatchObject({ id: b.id });
  });

  it('stops failing once removed', async () => {
    const fault = cloud.faults.add({ service: 'network', call: 'findNetwork' });
    await expect(d.network.findNetwork('private')).rejects.toMatchObject({ status: 500 });
    fault.remove();
    await expect(d.network.findNetwork('private')).resolves.toMatchObject({ name: 'private' });
  });

  it('gives container faults the daemon URL first', async () => {
    cloud.faults.add({
      service: 'container',
      call: 'createContainer',
      match: (args) => args[0] === 'tcp://192.0.2.1:2375',
    });
    await expect(
      d.container('tcp://192.0.2.1:2375').createContainer({ image: 'x' }),
    ).rejects.toBeInstanceOf(CloudError);
    await expect(
      d.container('tcp://192.0.2.2:2375').createContainer({ image: 'x' }),
    ).resolves.toEqual(expect.any(String));
  });

  it('applies to every service group and is cleared at once', async () => {
    cloud.faults.add({ service: 'orchestration', call: 'findStack' });
    cloud.faults.add({ service: 'message', call: 'queueExists' });
    expect(cloud.faults.size).toBe(2);
    await expect(d.orchestration.findStack('x')).rejects.toBeInstanceOf(CloudError);
    cloud.faults.clear();
    await expect(d.message.queueExists('x')).resolves.toBe(false);
  });

  it('fails a wait call itself', async () => {
    const server = await boot();
    cloud.faults.add({
      service: 'compute',
      call: 'waitForServer',
      error: new CloudWaitFailed('late'),
    });
    await expect(d.compute.waitForServer(server.id, 'ACTIVE', wait)).rejects.toThrow('late');
  });
});
