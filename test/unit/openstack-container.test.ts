import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContainerDriver } from '../../src/drivers/openstack/container.js';
import { containerBaseUrl } from '../../src/drivers/openstack/container-http.js';
import {
  CloudConflict,
  CloudError,
  CloudNotFound,
  type ContainerDriver,
} from '../../src/drivers/types.js';
import { OpenStackStub } from '../support/openstack-stub.js';
import { FAST_OPTIONS } from './openstack-services-stub.js';

// The Docker Engine API is played by the stub server on 127.0.0.1.
let stub: OpenStackStub;
let docker: ContainerDriver;

beforeEach(async () => {
  stub = await OpenStackStub.start();
  docker = createContainerDriver(stub.url.replace('http://', 'tcp://'), FAST_OPTIONS);
});

afterEach(async () => {
  await stub.close();
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the Docker driver', () => {
  it('creates a container with its name in the query and the command split into Cmd', async () => {
    stub.on('POST', '/containers/create', { status: 201, body: { Id: 'abc123', Warnings: [] } });
    const id = await docker.createContainer({
      image: 'busybox',
      name: 'box',
      command: 'sleep  60',
    });
    expect(id).toBe('abc123');
    const [call] = stub.calls('/containers/create');
    expect(call?.query.get('name')).toBe('box');
    expect(call?.body).toEqual({ Image: 'busybox', Cmd: ['sleep', '60'] });
  });

  it('takes 304 (already started or stopped) as done', async () => {
    stub.on('POST', '/containers/abc/start', { status: 304 });
    stub.on('POST', '/containers/abc/stop', { status: 304 });
    await docker.startContainer('abc');
    await docker.stopContainer('abc', 5);
    expect(stub.calls('/containers/abc/stop')[0]?.query.get('t')).toBe('5');
  });

  it('turns 404 and 409 answers into not found and conflict with Docker’s message', async () => {
    stub.on('GET', '/containers/gone/json', {
      status: 404,
      body: { message: 'No such container: gone' },
    });
    stub.on('DELETE', '/containers/busy', {
      status: 409,
      body: { message: 'You cannot remove a running container busy.' },
    });
    const missing = docker.inspectContainer('gone');
    await expect(missing).rejects.toBeInstanceOf(CloudNotFound);
    await expect(missing).rejects.toThrow('No such container: gone');
    await expect(docker.removeContainer('busy')).rejects.toBeInstanceOf(CloudConflict);
  });

  it('removes with force, renames and pauses through the matching endpoints', async () => {
    for (const path of [
      '/containers/abc/rename',
      '/containers/abc/pause',
      '/containers/abc/unpause',
    ])
      stub.on('POST', path, { status: 204 });
    stub.on('DELETE', '/containers/abc', { status: 204 });
    await docker.renameContainer('abc', 'new-name');
    await docker.pauseContainer('abc');
    await docker.unpauseContainer('abc');
    await docker.removeContainer('abc', { force: true });
    expect(stub.calls('/containers/abc/rename')[0]?.query.get('name')).toBe('new-name');
    expect(stub.calls('/containers/abc', 'DELETE')[0]?.query.get('force')).toBe('true');
    expect(stub.calls(/^\/containers\/abc\/(un)?pause$/).map((c) => c.path)).toEqual([
      '/containers/abc/pause',
      '/containers/abc/unpause',
    ]);
  });

  it('says the daemon cannot be reached when nothing listens there', async () => {
    const url = `tcp://127.0.0.1:${await closedPort()}`;
    const failure = createContainerDriver(url, FAST_OPTIONS).inspectContainer('abc');
    await expect(failure).rejects.toThrow(`Cannot connect to the Docker daemon at ${url}`);
    await expect(failure).rejects.toMatchObject({ status: 503 });
  });
});

describe('Docker daemon addresses', () => {
  it('map tcp to http and refuse unix sockets', () => {
    expect(containerBaseUrl('tcp://10.0.0.5:2375')).toBe('http://10.0.0.5:2375');
    expect(containerBaseUrl('https://docker.example:2376/')).toBe('https://docker.example:2376');
    expect(() => containerBaseUrl('unix:///var/run/docker.sock')).toThrow(CloudError);
  });
});
