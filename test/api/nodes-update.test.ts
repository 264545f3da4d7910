import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { getNode, updateNode } from '../../src/db/queries/nodes.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import type { Caller } from './harness.js';
import { ADMIN, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const HEAT_SPEC = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
};

const api = await startApi();

async function makeProfile(name: string, spec: Record<string, unknown> = NOVA_SPEC, as = DEMO) {
  const id = newId();
  await insertProfile(api.db.kysely, {
    id,
    name,
    type: `${spec.type}-${spec.version}`,
    context: {},
    spec,
    user: as.user ?? '',
    project: as.project ?? '',
    domain: null,
    metadata: {},
    createdAt: new Date(),
    updatedAt: null,
  });
  return id;
}

const novaProfile = await makeProfile('p-nova-node');
const heatProfile = await makeProfile('p-heat-node', HEAT_SPEC);

async function createNode(
  body: Record<string, unknown>,
  options: { as?: Caller; version?: string } = {},
) {
  const res = await api.call('POST', '/v1/nodes', {
    body: { node: { profile_id: novaProfile, ...body } },
    ...options,
  });
  expect(res.statusCode).toBe(202);
  return res;
}

/** A node whose create action is gone (so other actions are admitted), in `status`. */
async function idleNode(
  name: string,
  status = 'ACTIVE',
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { data } = await createNode({ name, ...extra });
  await api.db.kysely.deleteFrom('action').where('target', '=', data.node.id).execute();
  await updateNode(api.db.kysely, data.node.id, { status });
  return data.node.id;
}

async function actionOf(res: { headers: Record<string, unknown> }) {
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  const shown = await api.call('GET', `/v1/actions/${id}`, { as: ADMIN });
  return shown.data.action;
}

describe('node update', () => {
  it('answers 202 with the node as it was and starts NODE_UPDATE with the changes', async () => {
    const id = await idleNode('node1', 'ACTIVE', { role: 'member', metadata: { k1: 'v1' } });
    const res = await api.call('PATCH', `/v1/nodes/${id}`, {
      body: { node: { name: 'node_new_name', role: 'admin', metadata: { k2: 'v2' } } },
      version: '1.0',
    });
    expect(res.statusCode).toBe(202);
    expect(res.data.node).toMatchObject({ name: 'node1', role: 'member' });
    const action = await actionOf(res);
    expect(action).toMatchObject({
      name: `node_update_${id.slice(0, 8)}`,
      action: 'NODE_UPDATE',
      inputs: { name: 'node_new_name', role: 'admin', metadata: { k2: 'v2' } },
    });
  });

  it('passes a new profile of the same type as new_profile_id', async () => {
    const other = await makeProfile('p-nova-new');
    const id = await idleNode('profile-change');
    const res = await api.call('PATCH', `/v1/nodes/${id}`, {
      body: { node: { profile_id: 'p-nova-new' } },
    });
    expect(res.statusCode).toBe(202);
    expect((await actionOf(res)).inputs).toEqual({ new_profile_id: other });
  });

  it('counts null role and metadata as changes but ignores a null name', async () => {
    const id = await idleNode('nulls', 'ACTIVE', { role: 'r', metadata: { a: 1 } });
    const res = await api.call('PATCH', `/v1/nodes/${id}`, {
      body: { node: { name: null, role: null, metadata: null } },
    });
    expect(res.statusCode).toBe(202);
    expect((await actionOf(res)).inputs).toEqual({ role: null, metadata: null });
  });

  it('ignores tainted below 1.13', async () => {
    const { data } = await createNode({ name: 'taint-old' });
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, {
      body: { node: { tainted: true } },
      version: '1.12',
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('No property needs an update.');
  });

  it('passes tainted from 1.13', async () => {
    const id = await idleNode('taint-new');
    const res = await api.call('PATCH', `/v1/nodes/${id}`, {
      body: { node: { tainted: true } },
      version: '1.13',
    });
    expect(res.statusCode).toBe(202);
    expect(res.data.node.tainted).toBe(false);
    expect((await actionOf(res)).inputs).toEqual({ tainted: true });
  });

  it('refuses an update that changes nothing', async () => {
    const { data } = await createNode({ name: 'same' });
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, {
      body: { node: { name: 'same', metadata: {} } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('No property needs an update.');
  });

  it('refuses an empty update', async () => {
    const { data } = await createNode({ name: 'empty-update' });
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, { body: { node: {} } });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('No property needs an update.');
  });

  it('refuses a body without the node key', async () => {
    const res = await api.call('PATCH', `/v1/nodes/${newId()}`, { body: { name: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("Malformed request data, missing 'node' key in request body.");
  });

  it('answers 404 for an unknown node', async () => {
    const id = '608addc9-cbbe-45cd-a00a-495cae7db400';
    const res = await api.call('PATCH', `/v1/nodes/${id}`, {
      body: { node: { name: 'new-name' } },
    });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The node '${id}' could not be found.`);
  });

  it('answers an unknown profile with the specified-profile message', async () => {
    const { data } = await createNode({ name: 'bad-profile' });
    const id = '3243dd63-1008-4181-849a-0058af975800';
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, {
      body: { node: { profile_id: id } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`The specified profile '${id}' could not be found.`);
  });

  it('answers an ambiguous profile with the multiple-results message', async () => {
    await makeProfile('p-nova');
    await makeProfile('p-nova');
    const { data } = await createNode({ name: 'ambiguous-profile' });
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, {
      body: { node: { profile_id: 'p-nova' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'p-nova'. Please be more specific.",
    );
  });

  it('refuses a profile of another type', async () => {
    const { data } = await createNode({ name: 'type-change' });
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, {
      body: { node: { profile_id: heatProfile } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      'Cannot update a node to a different profile type, operation aborted.',
    );
  });

  it('answers 409 while another action on the node is pending', async () => {
    const { data } = await createNode({ name: 'busy' });
    const res = await api.call('PATCH', `/v1/nodes/${data.node.id}`, {
      body: { node: { role: 'x' } },
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.type).toBe('ActionConflict');
    expect(errorMessage(res)).toMatch(
      new RegExp(`^The NODE_UPDATE action for target ${data.node.id} conflicts with`),
    );
  });
});

describe('node delete', () => {
  it('answers 202 with a null body and starts NODE_DELETE', async () => {
    const id = await idleNode('to-delete');
    const res = await api.call('DELETE', `/v1/nodes/${id}`);
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('null');
    const action = await actionOf(res);
    expect(action).toMatchObject({ name: `node_delete_${id.slice(0, 8)}`, action: 'NODE_DELETE' });
  });

  it('is not blocked by another pending action on the node', async () => {
    const { data } = await createNode({ name: 'delete-while-creating' });
    await updateNode(api.db.kysely, data.node.id, { status: 'ACTIVE' });
    expect((await api.call('DELETE', `/v1/nodes/${data.node.id}`)).statusCode).toBe(202);
  });

  it('refuses a node that is being created unless forced (1.8)', async () => {
    const id = await idleNode('creating', 'CREATING');
    const res = await api.call('DELETE', `/v1/nodes/${id}`);
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(`The node '${id}' is in status CREATING.`);
    const forced = await api.call('DELETE', `/v1/nodes/${id}`, {
      body: { force: true },
      version: '1.8',
    });
    expect(forced.statusCode).toBe(202);
  });

  it('names the node as given in the in-progress message', async () => {
    await idleNode('updating-node', 'UPDATING');
    const res = await api.call('DELETE', '/v1/nodes/updating-node');
    expect(errorMessage(res)).toBe("The node 'updating-node' is in status UPDATING.");
  });

  it('accepts force as a string', async () => {
    const id = await idleNode('force-string', 'RECOVERING');
    const res = await api.call('DELETE', `/v1/nodes/${id}`, {
      body: { force: 'True' },
      version: '1.8',
    });
    expect(res.statusCode).toBe(202);
  });

  it('ignores force below 1.8', async () => {
    const id = await idleNode('force-old', 'DELETING');
    const res = await api.call('DELETE', `/v1/nodes/${id}`, {
      body: { force: true },
      version: '1.7',
    });
    expect(res.statusCode).toBe(409);
  });

  it('ignores force in the query string', async () => {
    const id = await idleNode('force-query', 'DELETING');
    const res = await api.call('DELETE', `/v1/nodes/${id}`, {
      query: { force: 'true' },
      version: '1.8',
    });
    expect(res.statusCode).toBe(409);
  });

  it('refuses a force value that is not a boolean', async () => {
    const id = await idleNode('force-bad');
    const res = await api.call('DELETE', `/v1/nodes/${id}`, {
      body: { force: 'bad' },
      version: '1.8',
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("Invalid value 'bad' specified for 'force'");
  });

  it('refuses a node other nodes depend on', async () => {
    const id = await idleNode('depended');
    await updateNode(api.db.kysely, id, { dependents: { nodes: [newId()] } });
    const res = await api.call('DELETE', `/v1/nodes/${id}`, { body: { force: true } });
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(
      `The node '${id}' cannot be deleted: still depended by other clusters and/or nodes.`,
    );
  });

  it('answers 404 for an unknown node', async () => {
    const id = '86bd7425-cddd-457e-a467-78e290aceab9';
    const res = await api.call('DELETE', `/v1/nodes/${id}`);
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The node '${id}' could not be found.`);
  });

  it('answers 400 when a name matches two nodes', async () => {
    await idleNode('n-02');
    await idleNode('n-02');
    const res = await api.call('DELETE', '/v1/nodes/n-02');
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'n-02'. Please be more specific.",
    );
  });

  it('keeps the node row until the action runs', async () => {
    const id = await idleNode('kept');
    await api.call('DELETE', `/v1/nodes/${id}`);
    expect(await getNode(api.db.kysely, id)).toBeDefined();
  });
});
