import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { insertNode } from '../../src/db/queries/nodes.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import { ADMIN, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();

const profileId = newId();
await insertProfile(api.db.kysely, {
  id: profileId,
  name: 'p-ops',
  type: 'os.nova.server-1.0',
  context: {},
  spec: NOVA_SPEC,
  user: 'demo-user',
  project: 'demo',
  domain: null,
  metadata: {},
  createdAt: new Date(),
  updatedAt: null,
});

/** An ACTIVE orphan node with no pending action. */
async function activeNode(name = `n-${newId().slice(0, 6)}`): Promise<string> {
  const id = newId();
  await insertNode(api.db.kysely, {
    id,
    name,
    physicalId: newId(),
    clusterId: '',
    profileId,
    user: 'demo-user',
    project: 'demo',
    domain: null,
    index: -1,
    role: '',
    initAt: new Date(),
    createdAt: new Date(),
    updatedAt: null,
    tainted: false,
    status: 'ACTIVE',
    statusReason: '',
    metadata: {},
    data: {},
    dependents: {},
  });
  return id;
}

/** A server of the fake cloud owned by the demo project; returns its id. */
async function fakeServer(name: string): Promise<string> {
  const drivers = api.conductor.deps.backend.drivers({ userId: 'demo-user', projectId: 'demo' });
  const image = await drivers.compute.findImage('cirros');
  const network = await drivers.network.findNetwork('private');
  const server = await drivers.compute.createServer({
    name,
    flavorRef: '1',
    imageRef: image?.id,
    networks: [{ uuid: network?.id }],
  });
  await drivers.compute.waitForServer(server.id, 'ACTIVE', { timeout: 5 });
  return server.id;
}

async function actionOf(res: { headers: Record<string, unknown> }) {
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  return (await api.call('GET', `/v1/actions/${id}`, { as: ADMIN })).data.action;
}

describe('node actions', () => {
  it.each([
    [{}, 'No action specified.'],
    [{ check: {}, recover: {} }, 'Multiple actions specified.'],
    [{ bogus: {} }, "Unrecognized action 'bogus' specified"],
    [{ check: [] }, 'The params provided is not a map.'],
    [{ recover: [] }, 'The params provided is not a map.'],
    [{ check: null }, 'The params provided is not a map.'],
  ])('refuses %j with 400 before looking the node up: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/nodes/node_id/actions', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('treats a request without a body as naming no action', async () => {
    const res = await api.call('POST', '/v1/nodes/node_id/actions');
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('No action specified.');
  });

  it.each(['check', 'recover'])('answers 404 for %s on an unknown node', async (key) => {
    const id = '90c46123-f992-4833-859a-46f6d2ccd8e9';
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { [key]: {} } });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The node '${id}' could not be found.`);
  });

  it('starts NODE_CHECK and answers 202 with the action id and location', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { check: {} } });
    expect(res.statusCode).toBe(202);
    expect(Object.keys(res.data)).toEqual(['action']);
    expect(res.headers.location).toMatch(new RegExp(`/v1/actions/${res.data.action}$`));
    const action = await actionOf(res);
    expect(action).toMatchObject({
      name: `node_check_${id.slice(0, 8)}`,
      action: 'NODE_CHECK',
      target: id,
      inputs: {},
      status: 'READY',
    });
  });

  it('passes check parameters as the inputs', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, {
      body: { check: { k1: 'v1' } },
    });
    expect((await actionOf(res)).inputs).toEqual({ k1: 'v1' });
  });

  it('starts NODE_RECOVER with the operation', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, {
      body: { recover: { operation: 'REBUILD' } },
    });
    expect(res.statusCode).toBe(202);
    const action = await actionOf(res);
    expect(action).toMatchObject({
      name: `node_recover_${id.slice(0, 8)}`,
      action: 'NODE_RECOVER',
      inputs: { operation: 'REBUILD' },
    });
  });

  it('passes check, delete_timeout, force_recreate and reboot parameters through', async () => {
    const id = await activeNode();
    const recover = {
      operation: 'reboot',
      operation_params: { type: 'soft' },
      check: true,
      delete_timeout: 30,
      force_recreate: true,
    };
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { recover } });
    expect(res.statusCode).toBe(202);
    expect((await actionOf(res)).inputs).toEqual(recover);
  });

  it.each([
    [{ operation: 5 }, 'operation has to be a string.'],
    [
      { operation: 'dance' },
      "Operation value 'dance' has to be one of the following: REBOOT, REBUILD, RECREATE.",
    ],
    [{ operation: 'REBOOT', operation_params: 'x' }, 'operation_params must be a map.'],
    [
      { operation: 'REBOOT', operation_params: { type: 'medium' } },
      "Type field 'medium' in operation_params has to be one of the following: SOFT, HARD.",
    ],
    [{ k1: 'v1' }, "Action parameter ['k1'] is not recognizable."],
    [{ operation_params: {} }, "Action parameter ['operation_params'] is not recognizable."],
  ])('refuses recover parameters %j: %s', async (recover, message) => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { recover } });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers 409 when the node has a pending action', async () => {
    const id = await activeNode();
    await api.call('POST', `/v1/nodes/${id}/actions`, { body: { check: {} } });
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { recover: {} } });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.type).toBe('ActionConflict');
  });

  it('answers 409 when the node is locked', async () => {
    const id = await activeNode();
    await api.db.kysely
      .insertInto('node_lock')
      .values({ node_id: id, action_id: newId() })
      .execute();
    const res = await api.call('POST', `/v1/nodes/${id}/actions`, { body: { check: {} } });
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(
      `NODE_CHECK for node '${id}' cannot be completed because it is already locked.`,
    );
  });
});

describe('node operations', () => {
  it('is not served below microversion 1.4', async () => {
    const res = await api.call('POST', '/v1/nodes/FAKE_ID/ops', {
      body: { reboot: {} },
      version: '1.3',
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("API version '1.3' is not supported on this method.");
  });

  it.each([
    [{}, 'No operation specified.'],
    [{ foo: {}, bar: {} }, 'Multiple operations specified.'],
    [{ reboot: 'abc' }, 'The value (abc) is not a valid JSON.'],
    [{ reboot: '{}' }, "'{}' is not of type 'object', 'null'"],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/nodes/FAKE_ID/ops', { body, version: '1.4' });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers 404 for an unknown node before checking the operation', async () => {
    const id = 'bbfbd693-4c46-4670-a9d3-5658a43eb0d5';
    const res = await api.call('POST', `/v1/nodes/${id}/ops`, { body: { dance: {} } });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The node '${id}' could not be found.`);
  });

  it('refuses an operation the profile type does not offer', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/ops`, { body: { dance: {} } });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "The requested operation 'dance' is not supported by the profile type 'os.nova.server-1.0'.",
    );
  });

  it('refuses parameters that do not suit the operation', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/ops`, {
      body: { reboot: { type: 'Unknown' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("'Unknown' must be one of the allowed values: SOFT, HARD.");
  });

  it('starts NODE_OPERATION with the operation and its parameters', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/ops`, {
      body: { reboot: { type: 'SOFT' } },
      version: '1.4',
    });
    expect(res.statusCode).toBe(202);
    expect(Object.keys(res.data)).toEqual(['action']);
    expect(await actionOf(res)).toMatchObject({
      name: `node_reboot_${id.slice(0, 8)}`,
      action: 'NODE_OPERATION',
      inputs: { operation: 'reboot', params: { type: 'SOFT' } },
    });
  });

  it('accepts an operation without parameters', async () => {
    const id = await activeNode();
    const res = await api.call('POST', `/v1/nodes/${id}/ops`, { body: { pause: null } });
    expect(res.statusCode).toBe(202);
    expect((await actionOf(res)).inputs).toEqual({ operation: 'pause', params: {} });
  });

  it('is not blocked by a pending action on the node', async () => {
    const id = await activeNode();
    await api.call('POST', `/v1/nodes/${id}/actions`, { body: { check: {} } });
    const res = await api.call('POST', `/v1/nodes/${id}/ops`, { body: { pause: {} } });
    expect(res.statusCode).toBe(202);
  });
});

describe('node adoption', () => {
  it.each([
    ['/v1/nodes/adopt', '1.6'],
    ['/v1/nodes/adopt-preview', '1.6'],
  ])('%s is not served at %s', async (url, version) => {
    const res = await api.call('POST', url, {
      body: { identity: 'x', type: 'os.nova.server-1.0' },
      version,
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`API version '${version}' is not supported on this method.`);
  });

  it.each(['/v1/nodes/adopt', '/v1/nodes/adopt-preview'])(
    '%s refuses an unknown profile type with 400',
    async (url) => {
      const res = await api.call('POST', url, {
        body: { identity: newId(), type: 'bogus-1.0' },
        version: '1.7',
      });
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe("The profile_type 'bogus-1.0' could not be found.");
    },
  );

  it.each([
    [{ type: 'os.nova.server-1.0' }, "'identity' is a required property"],
    [{ identity: 'x' }, "'type' is a required property"],
    [{ identity: 'x', type: 'os.nova.server-1.0', bogus: 1 }, 'Additional properties'],
    [{ identity: 'x', type: 'os.nova.server-1.0', snapshot: 'yes' }, "'yes' is not of type"],
  ])('refuses the adopt body %j', async (body, message) => {
    const res = await api.call('POST', '/v1/nodes/adopt', { body, version: '1.7' });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toContain(message);
  });

  it('refuses an adopt request without a body', async () => {
    const res = await api.call('POST', '/v1/nodes/adopt', { version: '1.7' });
    expect(res.statusCode).toBe(400);
  });

  it.each(['/v1/nodes/adopt', '/v1/nodes/adopt-preview'])(
    '%s reports a resource the cloud cannot describe as a 500 ProfileOperationFailed',
    async (url) => {
      const res = await api.call('POST', url, {
        body: { identity: newId(), type: 'os.nova.server-1.0' },
        version: '1.7',
      });
      expect(res.statusCode).toBe(500);
      expect(res.data.error.type).toBe('ProfileOperationFailed');
    },
  );

  it('previews the spec of an existing server, double-wrapped', async () => {
    const serverId = await fakeServer('srv-preview');
    const res = await api.call('POST', '/v1/nodes/adopt-preview', {
      body: { identity: serverId, type: 'os.nova.server-1.0', overrides: { name: 'renamed' } },
      version: '1.7',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.data.node_profile.node_preview).toMatchObject({
      type: 'os.nova.server',
      version: '1.0',
      properties: { flavor: '1', name: 'renamed', networks: [{ network: 'private' }] },
    });
  });

  it('adopts a server as an ACTIVE orphan node with a new profile', async () => {
    const serverId = await fakeServer('srv-adopt');
    const res = await api.call('POST', '/v1/nodes/adopt', {
      body: {
        identity: serverId,
        type: 'os.nova.server-1.0',
        name: 'adopted',
        metadata: { k: 'v' },
        role: 'worker',
      },
      version: '1.7',
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.node).toMatchObject({
      name: 'adopted',
      physical_id: serverId,
      cluster_id: '',
      index: -1,
      role: 'worker',
      metadata: { k: 'v' },
      status: 'ACTIVE',
      status_reason: 'Node adopted successfully',
      profile_name: 'prof-adopted',
      project: 'demo',
    });
    expect(res.data.node).not.toHaveProperty('tainted');
    const profile = await api.call('GET', '/v1/profiles/prof-adopted');
    expect(profile.data.profile).toMatchObject({
      id: res.data.node.profile_id,
      type: 'os.nova.server-1.0',
      spec: { type: 'os.nova.server', version: '1.0' },
    });
    expect(
      await api.call('GET', '/v1/actions', { query: { target: res.data.node.id } }),
    ).toMatchObject({ data: { actions: [] } });
  });

  it('names an adopted node node-<8 random characters> without a name', async () => {
    const serverId = await fakeServer('srv-noname');
    const res = await api.call('POST', '/v1/nodes/adopt', {
      body: { identity: serverId, type: 'os.nova.server-1.0' },
      version: '1.13',
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.node.name).toMatch(/^node-[A-Za-z][A-Za-z0-9]{7}$/);
    expect(res.data.node.tainted).toBe(false);
  });

  it('shows the server details of an adopted node', async () => {
    const serverId = await fakeServer('srv-details');
    const adopted = await api.call('POST', '/v1/nodes/adopt', {
      body: { identity: serverId, type: 'os.nova.server-1.0', name: 'with-details' },
      version: '1.7',
    });
    const res = await api.call('GET', `/v1/nodes/${adopted.data.node.id}`, {
      query: { show_details: 'true' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.node.details).toMatchObject({ id: serverId, status: 'ACTIVE' });
  });

  it('stores nothing when adoption fails', async () => {
    const before = await api.call('GET', '/v1/nodes', { as: DEMO });
    await api.call('POST', '/v1/nodes/adopt', {
      body: { identity: newId(), type: 'os.nova.server-1.0', name: 'never' },
      version: '1.7',
    });
    const after = await api.call('GET', '/v1/nodes', { as: DEMO });
    expect(after.data.nodes).toHaveLength(before.data.nodes.length);
  });
});
