/**
 * `os.nova.server-1.1` behaviour over the OpenStack REST drivers, against the local HTTP stub:
 * the requests a live migration, a drain, a snapshot, a volume extend and a pooled volume
 * make, as Nova, Glance and Cinder take them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import {
  createOpenStackBackend,
  type OpenStackBackend,
} from '../../src/drivers/openstack/backend.js';
import type { ProfileCallContext } from '../../src/engine/contracts.js';
import { novaServer11Behaviour as nova } from '../../src/profiles/index.js';
import { OpenStackStub, STUB_PROJECT } from '../support/openstack-stub.js';
import { memoryClaims, nova11Profile } from './nova-server-1-1-rig.js';
import { makeNode, TEST_SETTINGS } from './profile-behaviour-context.js';

const C = '/compute/v2.1';
const V = `/volume/v3/${STUB_PROJECT}`;
let stub: OpenStackStub;
let backend: OpenStackBackend;
let ctx: ProfileCallContext;
let saved: Record<string, unknown>[];

beforeEach(async () => {
  stub = await OpenStackStub.start();
  stub.keystone();
  stub.on('GET', `${C}/`, { body: { version: { version: '2.93' } } });
  backend = createOpenStackBackend(
    defaultConfig({
      DEFAULT: { cloud_backend: 'openstack' },
      authentication: { auth_url: `${stub.url}/identity/v3`, service_password: 'x' },
    }),
    { retryDelayMs: 1, retryMaxDelayMs: 2, waitIntervalMs: 2 },
  );
  saved = [];
  ctx = {
    drivers: backend.drivers({ userId: 'u', projectId: STUB_PROJECT, trustId: 't' }),
    signal: new AbortController().signal,
    settings: TEST_SETTINGS,
    claims: memoryClaims(),
    async saveNodeData(data) {
      saved.push(structuredClone(data));
    },
    lookup: {
      findNode: async () => null,
      clusterNodes: async () => null,
      nodeProfile: async () => {
        throw new Error('not used');
      },
    },
    sleep: async () => undefined,
  };
});

afterEach(async () => {
  await backend.close();
  await stub.close();
});

/** A server whose GETs answer the given states in turn (the last one repeats). */
function serverStates(id: string, states: Record<string, unknown>[]): void {
  let reads = 0;
  stub.on('GET', `${C}/servers/${id}`, () => {
    const state = states[Math.min(reads, states.length - 1)];
    reads += 1;
    return { body: { server: { id, metadata: {}, ...state } } };
  });
}

const at = (host: string, status = 'ACTIVE') => ({
  status,
  'OS-EXT-SRV-ATTR:host': host,
  image: { id: 'img-c' },
});

/** Glance knows `cirros` (the image of the test profiles) as `img-c`. */
function glanceCirros(): void {
  stub.on('GET', '/image/v2/images/cirros', {
    status: 404,
    body: { itemNotFound: { code: 404, message: 'no' } },
  });
  stub.on('GET', '/image/v2/images', {
    body: { images: [{ id: 'img-c', name: 'cirros', status: 'active' }] },
  });
}

describe('os.nova.server-1.1 over the REST drivers', () => {
  it('live-migrates with block_migration auto and waits for the new host', async () => {
    stub.on('POST', `${C}/servers/s1/action`, { status: 202 });
    serverStates('s1', [at('host1'), at('host1', 'MIGRATING'), at('host2')]);
    const node = makeNode({ physicalId: 's1' });
    await nova.operation(node, nova11Profile(), ctx, 'live_migrate', { host: 'host2' });
    expect(stub.calls(`${C}/servers/s1/action`).map((r) => r.body)).toEqual([
      { 'os-migrateLive': { host: 'host2', block_migration: 'auto' } },
    ]);
  });

  it('fails a live migration that leaves the server on its host', async () => {
    stub.on('POST', `${C}/servers/s1/action`, { status: 202 });
    serverStates('s1', [at('host1'), at('host1')]);
    const node = makeNode({ physicalId: 's1' });
    await expect(
      nova.operation(node, nova11Profile(), ctx, 'live_migrate', { block_migration: 'false' }),
    ).rejects.toThrow(
      "Failed in live_migrate server 's1': the live migration left the server on host host1.",
    );
    expect(stub.calls(`${C}/servers/s1/action`)[0]?.body).toEqual({
      'os-migrateLive': { host: null, block_migration: false },
    });
  });

  it('drains a host that is up by cold-migrating a stopped server and confirming it', async () => {
    stub.on('POST', `${C}/servers/s1/action`, { status: 202 });
    stub.on('GET', `${C}/os-services`, {
      body: { services: [{ id: 'x', host: 'host1', binary: 'nova-compute', state: 'up' }] },
    });
    serverStates('s1', [
      at('host1', 'SHUTOFF'),
      at('host1', 'SHUTOFF'),
      at('host2', 'VERIFY_RESIZE'),
      at('host2', 'SHUTOFF'),
    ]);
    const node = makeNode({ physicalId: 's1' });
    await nova.operation(node, nova11Profile(), ctx, 'drain', { host: 'host1' });
    expect(stub.calls(`${C}/servers/s1/action`).map((r) => r.body)).toEqual([
      { migrate: null },
      { confirmResize: null },
    ]);
    const query = stub.calls(`${C}/os-services`)[0]?.query;
    expect(Object.fromEntries(query ?? [])).toEqual({ binary: 'nova-compute', host: 'host1' });
  });

  it('refuses to drain for a user who cannot see the host of servers', async () => {
    serverStates('s1', [{ status: 'ACTIVE' }]);
    const node = makeNode({ physicalId: 's1' });
    await expect(
      nova.operation(node, nova11Profile(), ctx, 'drain', { host: 'host1' }),
    ).rejects.toThrow(
      "Failed in drain server 's1': the host of the server is not visible: moving servers needs an administrator.",
    );
    expect(stub.calls(`${C}/servers/s1/action`)).toEqual([]);
  });

  it('snapshots through createImage and waits for the Glance image', async () => {
    stub.on('POST', `${C}/servers/s1/action`, { status: 202, body: { image_id: 'img-1' } });
    serverStates('s1', [at('host1')]);
    stub.on('GET', '/image/v2/images/img-1', { body: { id: 'img-1', status: 'active' } });
    const node = makeNode({ physicalId: 's1', name: 'web-1' });
    await nova.operation(node, nova11Profile(), ctx, 'snapshot', { name: 'snap' });
    expect(stub.calls(`${C}/servers/s1/action`)[0]?.body).toEqual({
      createImage: { name: 'snap', metadata: { cluster_node_id: node.id } },
    });
    expect(saved.at(-1)?.snapshots).toEqual([
      expect.objectContaining({ id: 'img-1', name: 'snap', server_id: 's1' }),
    ]);
  });

  it('extends an attached volume at Cinder microversion 3.42', async () => {
    glanceCirros();
    let size = 1;
    stub.on('GET', `${V}/volumes/v1`, () => ({
      body: { volume: { id: 'v1', status: 'in-use', size } },
    }));
    stub.on('POST', `${V}/volumes/v1/action`, () => {
      size = 3;
      return { status: 202 };
    });
    serverStates('s1', [at('host1')]);
    const disk = (volume_size: number) => ({
      block_device_mapping_v2: [
        { device_name: 'vdb', source_type: 'blank', destination_type: 'volume', volume_size },
      ],
    });
    const node = makeNode({
      physicalId: 's1',
      data: { block_devices: { 'device:vdb': { volume_id: 'v1' } } },
    });
    const ok = await nova.update(
      node,
      nova11Profile(disk(1), 'a'),
      nova11Profile(disk(3), 'b'),
      ctx,
      {},
    );
    expect(ok).toBe(true);
    const [call] = stub.calls(`${V}/volumes/v1/action`);
    expect(call?.body).toEqual({ 'os-extend': { new_size: 3 } });
    expect(call?.headers['openstack-api-version']).toBe('volume 3.42');
  });

  it('attaches a pooled volume on update at the device the spec names', async () => {
    glanceCirros();
    stub.on('GET', `${V}/volumes/v9`, { body: { volume: { id: 'v9', status: 'available' } } });
    stub.on('POST', `${C}/servers/s1/os-volume_attachments`, {
      body: { volumeAttachment: { id: 'v9', volumeId: 'v9', device: '/dev/vdc' } },
    });
    let attached = false;
    stub.on('GET', `${V}/volumes/v9`, () => {
      const body = { volume: { id: 'v9', status: attached ? 'in-use' : 'available' } };
      attached = stub.calls(`${C}/servers/s1/os-volume_attachments`).length > 0;
      return { body };
    });
    serverStates('s1', [at('host1')]);
    const node = makeNode({ physicalId: 's1' });
    const pooled = nova11Profile(
      { block_device_mapping_v2: [{ device_name: 'vdc', pool: { volumes: ['v9'] } }] },
      'b',
    );
    await nova.update(node, nova11Profile({}, 'a'), pooled, ctx, {});
    expect(stub.calls(`${C}/servers/s1/os-volume_attachments`)[0]?.body).toEqual({
      volumeAttachment: { volumeId: 'v9', device: '/dev/vdc' },
    });
  });
});
