import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import type { ClusterRecord } from '../../src/db/queries/clusters.js';
import { getCluster, insertCluster } from '../../src/db/queries/clusters.js';
import { updateNode } from '../../src/db/queries/nodes.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import type { Caller } from './harness.js';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

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

async function makeCluster(
  profileId: string,
  options: { name?: string; config?: Record<string, unknown>; as?: Caller } = {},
): Promise<ClusterRecord> {
  const id = newId();
  const as = options.as ?? DEMO;
  const cluster: ClusterRecord = {
    id,
    name: options.name ?? `c-${id.slice(0, 6)}`,
    profileId,
    user: as.user ?? '',
    project: as.project ?? '',
    domain: null,
    parent: null,
    initAt: new Date(),
    createdAt: null,
    updatedAt: null,
    minSize: 0,
    maxSize: -1,
    desiredCapacity: 0,
    nextIndex: 1,
    timeout: 1800,
    status: 'ACTIVE',
    statusReason: '',
    metadata: {},
    data: {},
    dependents: {},
    config: options.config ?? {},
  };
  await insertCluster(api.db.kysely, cluster);
  return cluster;
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

async function actionOf(res: { headers: Record<string, unknown> }) {
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  const shown = await api.call('GET', `/v1/actions/${id}`, { as: ADMIN });
  return shown.data.action;
}

const NODE_KEYS = [
  'cluster_id',
  'created_at',
  'data',
  'dependents',
  'domain',
  'id',
  'index',
  'init_at',
  'metadata',
  'name',
  'physical_id',
  'profile_id',
  'profile_name',
  'project',
  'role',
  'status',
  'status_reason',
  'updated_at',
  'user',
];

describe('node create', () => {
  it('stores an orphan node in INIT and answers 202 with the node and the action location', async () => {
    const res = await createNode({ name: 'orphan-1' }, { version: '1.0' });
    expect(res.headers.location).toMatch(/^http:\/\/[^/]+\/v1\/actions\/[0-9a-f-]{36}$/);
    const node = res.data.node;
    expect(Object.keys(node).sort()).toEqual([...NODE_KEYS].sort());
    expect(node).toMatchObject({
      name: 'orphan-1',
      cluster_id: '',
      index: -1,
      role: '',
      metadata: {},
      physical_id: null,
      profile_id: novaProfile,
      profile_name: 'p-nova-node',
      status: 'INIT',
      status_reason: 'Initializing',
      user: 'demo-user',
      project: 'demo',
      created_at: null,
    });
    expect(node.init_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('starts a READY NODE_CREATE action named after the node', async () => {
    const res = await createNode({ name: 'orphan-2' });
    const action = await actionOf(res);
    expect(action).toMatchObject({
      name: `node_create_${res.data.node.id.slice(0, 8)}`,
      action: 'NODE_CREATE',
      target: res.data.node.id,
      cluster_id: '',
      status: 'READY',
      cause: 'RPC Request',
      timeout: 3600,
    });
  });

  it('shows tainted from microversion 1.13', async () => {
    const res = await createNode({ name: 'orphan-3' }, { version: '1.13' });
    expect(res.data.node.tainted).toBe(false);
  });

  it('keeps role and metadata given for the node', async () => {
    const res = await createNode({ name: 'orphan-4', role: 'member', metadata: { k1: 'v1' } });
    expect(res.data.node).toMatchObject({ role: 'member', metadata: { k1: 'v1' } });
  });

  it('accepts null cluster_id, role and metadata', async () => {
    const res = await createNode({
      name: 'orphan-5',
      cluster_id: null,
      role: null,
      metadata: null,
    });
    expect(res.data.node).toMatchObject({ cluster_id: '', role: '', metadata: {} });
  });

  it('names a cluster member from the cluster name format and its next index', async () => {
    const cluster = await makeCluster(novaProfile, { config: { 'node.name.format': 'N$2I' } });
    const first = await createNode({ name: 'ignored', cluster_id: cluster.name });
    const second = await createNode({ name: 'ignored', cluster_id: cluster.id });
    expect(first.data.node).toMatchObject({ name: 'N01', index: 1, cluster_id: cluster.id });
    expect(second.data.node).toMatchObject({ name: 'N02', index: 2, cluster_id: cluster.id });
    expect((await getCluster(api.db.kysely, cluster.id))?.nextIndex).toBe(3);
    expect((await actionOf(second)).cluster_id).toBe(cluster.id);
  });

  it('uses the literal format as the name of a member', async () => {
    const cluster = await makeCluster(novaProfile, { config: { 'node.name.format': 'test-node' } });
    const res = await createNode({ name: 'other', cluster_id: cluster.id });
    expect(res.data.node.name).toBe('test-node');
  });

  it('generates node-<8 random characters> without a name format', async () => {
    const cluster = await makeCluster(novaProfile);
    const res = await createNode({ name: 'other', cluster_id: cluster.id });
    expect(res.data.node.name).toMatch(/^node-[A-Za-z][A-Za-z0-9]{7}$/);
  });

  it('accepts a member whose profile differs but has the same type', async () => {
    const other = await makeProfile('p-nova-other');
    const cluster = await makeCluster(novaProfile);
    const res = await createNode({ name: 'x', cluster_id: cluster.id, profile_id: other });
    expect(res.data.node.profile_id).toBe(other);
  });

  it.each([
    [{}, "Request body missing 'node' key."],
    [{ node: { name: 'fake' } }, "'profile_id' is a required property"],
    [{ node: { profile_id: 'fake_profile' } }, "'name' is a required property"],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/nodes', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('refuses unknown properties', async () => {
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: novaProfile, name: 'fake_name', boo: 'foo' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toContain('Additional properties are not allowed');
  });

  it('answers a profile that cannot be found with the specified-profile message', async () => {
    const id = 'cbe7827a-60ca-42c0-99d2-38167cb4f46d';
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: id, name: 'test-node' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`The specified profile '${id}' could not be found.`);
  });

  it('answers a cluster that cannot be found with the specified-cluster message', async () => {
    const id = '960cd427-2487-4c83-b679-1b5e1f9dd985';
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: novaProfile, cluster_id: id, name: 'test-node' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`The specified cluster '${id}' could not be found.`);
  });

  it('answers an ambiguous cluster name with upstream spliced message', async () => {
    await makeCluster(novaProfile, { name: 'dup-cluster' });
    await makeCluster(novaProfile, { name: 'dup-cluster' });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: novaProfile, cluster_id: 'dup-cluster', name: 'n' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multspecified iple results found matching the query criteria 'dup-cluster'. Please be more specific.",
    );
  });

  it('answers an ambiguous profile name with the plain multiple-results message', async () => {
    await makeProfile('p-dup');
    await makeProfile('p-dup');
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: 'p-dup', name: 'n' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'p-dup'. Please be more specific.",
    );
  });

  it('refuses a member whose profile type differs from the cluster', async () => {
    const cluster = await makeCluster(novaProfile);
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: heatProfile, cluster_id: cluster.id, name: 'test-node' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      'Node and cluster have different profile type, operation aborted.',
    );
  });

  it('does not see the clusters of other projects', async () => {
    const cluster = await makeCluster(novaProfile, { as: ALT });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { profile_id: novaProfile, cluster_id: cluster.id, name: 'n' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`The specified cluster '${cluster.id}' could not be found.`);
  });
});

describe('node create with name_unique', async () => {
  const unique = await startApi({ config: { DEFAULT: { name_unique: true } } });
  const profileId = newId();
  await insertProfile(unique.db.kysely, {
    id: profileId,
    name: 'p',
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

  it('refuses a second node of the same name in the project', async () => {
    const body = { node: { profile_id: profileId, name: 'twin' } };
    expect((await unique.call('POST', '/v1/nodes', { body })).statusCode).toBe(202);
    const res = await unique.call('POST', '/v1/nodes', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('The node named (twin) already exists.');
  });
});

describe('node show', () => {
  it('finds a node by id, name and short id', async () => {
    const { data } = await createNode({ name: 'findable-node' });
    const id = data.node.id;
    for (const ref of [id, 'findable-node', id.slice(0, 8)]) {
      const res = await api.call('GET', `/v1/nodes/${ref}`);
      expect(res.statusCode).toBe(200);
      expect(res.data.node.id).toBe(id);
    }
  });

  it('drops tainted below 1.13 and shows it from 1.13', async () => {
    const { data } = await createNode({ name: 'taint-view' });
    const old = await api.call('GET', `/v1/nodes/${data.node.id}`, { version: '1.12' });
    expect(old.data.node).not.toHaveProperty('tainted');
    const recent = await api.call('GET', `/v1/nodes/${data.node.id}`, { version: '1.13' });
    expect(recent.data.node.tainted).toBe(false);
  });

  it('answers 404 for an unknown node', async () => {
    const id = 'f7a2ed7e-bf92-452b-bc76-37a8bbde2169';
    const res = await api.call('GET', `/v1/nodes/${id}`);
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The node '${id}' could not be found.`);
  });

  it('answers 400 when a name matches two nodes', async () => {
    await createNode({ name: 'n-01' });
    await createNode({ name: 'n-01' });
    const res = await api.call('GET', '/v1/nodes/n-01');
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'n-01'. Please be more specific.",
    );
  });

  it('refuses a show_details value that is not a boolean', async () => {
    const { data } = await createNode({ name: 'details-bad' });
    const res = await api.call('GET', `/v1/nodes/${data.node.id}`, {
      query: { show_details: 'yes' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("Invalid value 'yes' specified for 'show_details'");
  });

  it('adds no details to a node without a physical resource', async () => {
    const { data } = await createNode({ name: 'details-none' });
    const res = await api.call('GET', `/v1/nodes/${data.node.id}`, {
      query: { show_details: 'True' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.node).not.toHaveProperty('details');
  });

  it('adds details to a node with a physical resource when asked', async () => {
    const { data } = await createNode({ name: 'details-some' });
    await updateNode(api.db.kysely, data.node.id, { physicalId: newId() });
    const res = await api.call('GET', `/v1/nodes/${data.node.id}`, {
      query: { show_details: 'true' },
    });
    expect(res.statusCode).toBe(200);
    expect(typeof res.data.node.details).toBe('object');
    const plain = await api.call('GET', `/v1/nodes/${data.node.id}`);
    expect(plain.data.node).not.toHaveProperty('details');
  });

  it('hides nodes of other projects from members and shows them to admins', async () => {
    const { data } = await createNode({ name: 'private-node' });
    expect((await api.call('GET', `/v1/nodes/${data.node.id}`, { as: ALT })).statusCode).toBe(404);
    expect((await api.call('GET', `/v1/nodes/${data.node.id}`, { as: ADMIN })).statusCode).toBe(
      200,
    );
  });
});

describe('node list', () => {
  const lister = { user: 'lister', project: 'list-project', roles: ['member'] };

  it('lists the nodes of the project in init_at order without tainted at 1.0', async () => {
    const listProfile = await makeProfile('p-list', NOVA_SPEC, lister);
    for (const name of ['l1', 'l2']) {
      await createNode({ name, profile_id: listProfile }, { as: lister });
    }
    const res = await api.call('GET', '/v1/nodes', { as: lister, version: '1.0' });
    expect(res.statusCode).toBe(200);
    expect(res.data.nodes.map((n: any) => n.name)).toEqual(['l1', 'l2']);
    expect(Object.keys(res.data.nodes[0]).sort()).toEqual([...NODE_KEYS].sort());
  });

  it('shows tainted in lists from 1.13', async () => {
    const res = await api.call('GET', '/v1/nodes', { as: lister, version: '1.13' });
    expect(res.data.nodes.every((n: any) => n.tainted === false)).toBe(true);
  });

  it('filters by a cluster given by name', async () => {
    const cluster = await makeCluster(novaProfile, { name: 'list-by-cluster' });
    const member = await createNode({ name: 'm', cluster_id: cluster.id });
    await createNode({ name: 'not-member' });
    const res = await api.call('GET', '/v1/nodes', { query: { cluster_id: 'list-by-cluster' } });
    expect(res.data.nodes.map((n: any) => n.id)).toEqual([member.data.node.id]);
  });

  it('ignores an empty cluster_id filter', async () => {
    const res = await api.call('GET', '/v1/nodes', { as: lister, query: { cluster_id: '' } });
    expect(res.data.nodes).toHaveLength(2);
  });

  it('filters by name and status', async () => {
    const byName = await api.call('GET', '/v1/nodes', { as: lister, query: { name: 'l2' } });
    expect(byName.data.nodes.map((n: any) => n.name)).toEqual(['l2']);
    const byStatus = await api.call('GET', '/v1/nodes', {
      as: lister,
      query: { status: 'ACTIVE' },
    });
    expect(byStatus.data.nodes).toEqual([]);
  });

  it('sorts by name descending and pages with limit and marker', async () => {
    const sorted = await api.call('GET', '/v1/nodes', {
      as: lister,
      query: { sort: 'name:desc', limit: '1' },
    });
    expect(sorted.data.nodes.map((n: any) => n.name)).toEqual(['l2']);
    const next = await api.call('GET', '/v1/nodes', {
      as: lister,
      query: { sort: 'name:desc', marker: sorted.data.nodes[0].id },
    });
    expect(next.data.nodes.map((n: any) => n.name)).toEqual(['l1']);
  });

  it('shows every project to admins and only their own to members', async () => {
    const mine = await api.call('GET', '/v1/nodes', { as: ALT });
    expect(mine.data.nodes).toEqual([]);
    const all = await api.call('GET', '/v1/nodes', { as: ADMIN });
    expect(all.data.nodes.some((n: any) => n.project === 'list-project')).toBe(true);
  });

  it.each([
    [{ bogus: 'foo' }, 400, 'Invalid parameter bogus'],
    [{ cluster_id: 'fake' }, 400, 'Cannot find the given cluster: fake.'],
    [{ limit: '-5' }, 400, "Value must be >= 0 for field 'limit'."],
    [{ limit: 'not-int' }, 400, "The value for limit must be an integer: 'not-int'."],
    [{ global_project: 'True' }, 403, 'You are not authorized to complete this operation.'],
    [
      { global_project: 'not-bool' },
      400,
      "Invalid value 'not-bool' specified for 'global_project'",
    ],
    [{ sort: 'bad-sort' }, 400, "Unsupported sort key 'bad-sort' for 'sort'."],
    [{ marker: 'bad-marker' }, 400, "The value for marker is not a valid UUID: 'bad-marker'."],
    [{ status: "['bad-status']" }, 400, "Field value ['bad-status'] is invalid"],
  ])('answers %j with %i: %s', async (query, status, message) => {
    const res = await api.call('GET', '/v1/nodes', { query });
    expect(res.statusCode).toBe(status);
    expect(errorMessage(res)).toBe(message);
  });
});
