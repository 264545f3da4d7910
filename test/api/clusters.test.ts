import { describe, expect, it } from 'vitest';
import { getAction } from '../../src/db/queries/actions.js';
import { getCluster } from '../../src/db/queries/clusters.js';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const HEAT_SPEC = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
};

async function createProfile(name: string, spec: unknown = NOVA_SPEC, as = DEMO) {
  const res = await api.call('POST', '/v1/profiles', { body: { profile: { name, spec } }, as });
  expect(res.statusCode).toBe(201);
  return res.data.profile;
}

const profile = await createProfile('cluster-profile');

function actionIdOf(res: { headers: Record<string, unknown> }): string {
  return String(res.headers.location).split('/actions/')[1] ?? '';
}

async function createCluster(extra: Record<string, unknown> = {}, as = DEMO) {
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name: 'c', profile_id: profile.id, ...extra } },
    as,
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  return { cluster: res.data.cluster, actionId: actionIdOf(res) };
}

/** Marks the cluster's actions as finished and sets its status (no engine runs here). */
async function settle(clusterId: string, status = 'ACTIVE') {
  await api.db.kysely
    .updateTable('action')
    .set({ status: 'SUCCEEDED' })
    .where('target', '=', clusterId)
    .execute();
  await api.db.kysely.updateTable('cluster').set({ status }).where('id', '=', clusterId).execute();
}

async function count(table: 'cluster' | 'action'): Promise<number> {
  const row = await api.db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const CLUSTER_KEYS = [
  'config',
  'created_at',
  'data',
  'dependents',
  'desired_capacity',
  'domain',
  'id',
  'init_at',
  'max_size',
  'metadata',
  'min_size',
  'name',
  'nodes',
  'policies',
  'profile_id',
  'profile_name',
  'project',
  'status',
  'status_reason',
  'timeout',
  'updated_at',
  'user',
];

describe('cluster create', () => {
  it('answers 202 with the INIT cluster and a Location pointing at the create action', async () => {
    const res = await api.call('POST', '/v1/clusters', {
      body: {
        cluster: {
          name: 'full',
          profile_id: profile.id,
          desired_capacity: 2,
          min_size: 1,
          max_size: 3,
          timeout: 120,
          metadata: { k1: 'v1' },
        },
      },
    });
    expect(res.statusCode).toBe(202);
    const c = res.data.cluster;
    expect(Object.keys(c).sort()).toEqual(CLUSTER_KEYS);
    expect(c).toMatchObject({
      name: 'full',
      profile_id: profile.id,
      profile_name: 'cluster-profile',
      desired_capacity: 2,
      min_size: 1,
      max_size: 3,
      timeout: 120,
      metadata: { k1: 'v1' },
      status: 'INIT',
      status_reason: 'Initializing',
      created_at: null,
      updated_at: null,
      nodes: [],
      policies: [],
      data: {},
      dependents: {},
      config: {},
      user: 'demo-user',
      project: 'demo',
    });
    expect(c.init_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.headers.location).toMatch(/^http:\/\/[^/]+\/v1\/actions\/[0-9a-f-]{36}$/);
  });

  it('stores the cluster row and a READY CLUSTER_CREATE action named after it', async () => {
    const { cluster, actionId } = await createCluster({ name: 'stored', timeout: 99 });
    const row = await getCluster(api.db.kysely, cluster.id);
    expect(row).toMatchObject({ status: 'INIT', statusReason: 'Initializing', nextIndex: 1 });
    expect(row?.initAt).toBeInstanceOf(Date);
    const action = await getAction(api.db.kysely, actionId);
    expect(action).toMatchObject({
      name: `cluster_create_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_CREATE',
      target: cluster.id,
      clusterId: cluster.id,
      status: 'READY',
      cause: 'RPC Request',
      timeout: 99,
      inputs: {},
      user: 'demo-user',
      project: 'demo',
    });
  });

  it('applies upstream defaults when sizes, timeout, metadata and config are absent', async () => {
    const { cluster } = await createCluster({ name: 'defaults' });
    expect(cluster).toMatchObject({
      desired_capacity: 0,
      min_size: 0,
      max_size: -1,
      timeout: 3600,
      metadata: {},
      config: {},
    });
  });

  it('takes the desired capacity from min_size when only min_size is given', async () => {
    const { cluster } = await createCluster({ min_size: 2 });
    expect(cluster.desired_capacity).toBe(2);
  });

  it('stores max_size 0 as unlimited and timeout 0 as the default timeout', async () => {
    const { cluster } = await createCluster({ max_size: 0, timeout: 0 });
    expect(cluster.max_size).toBe(-1);
    expect(cluster.timeout).toBe(3600);
  });

  it('keeps an explicit null desired capacity', async () => {
    const { cluster } = await createCluster({ desired_capacity: null });
    expect(cluster.desired_capacity).toBeNull();
  });

  it('accepts the null-laden body of the tempest helper and numeric strings', async () => {
    const { cluster } = await createCluster({
      desired_capacity: '0',
      min_size: 0,
      max_size: -1,
      timeout: null,
      metadata: null,
      config: null,
    });
    expect(cluster).toMatchObject({ desired_capacity: 0, timeout: 3600, metadata: {}, config: {} });
  });

  it('accepts config at microversion 1.0', async () => {
    const { cluster } = await createCluster({ config: { 'node.name.format': 'N$2I' } }, DEMO);
    expect(cluster.config).toEqual({ 'node.name.format': 'N$2I' });
    const res = await api.call('POST', '/v1/clusters', {
      version: '1.0',
      body: { cluster: { name: 'old', profile_id: profile.id, config: { a: 1 } } },
    });
    expect(res.data.cluster.config).toEqual({ a: 1 });
  });

  it('resolves the profile by name and by short id', async () => {
    expect((await createCluster({ profile_id: 'cluster-profile' })).cluster.profile_id).toBe(
      profile.id,
    );
    expect((await createCluster({ profile_id: profile.id.slice(0, 6) })).cluster.profile_id).toBe(
      profile.id,
    );
  });

  it.each([
    [{ bad: { profile_id: 'x', name: 'test-cluster' } }, "Request body missing 'cluster' key."],
    [{ cluster: { name: 'test-cluster' } }, "'profile_id' is a required property"],
    [
      { cluster: { name: 'c', profile_id: 'p', foo: 1 } },
      "Additional properties are not allowed ('foo' was unexpected)",
    ],
    [{ cluster: { name: 'c', profile_id: 'p', max_size: '-1' } }, "'-1' does not match '^[0-9]*$'"],
    [
      { cluster: { name: 'c', profile_id: 'p', desired_capacity: 1001 } },
      'The value for the desired_capacity field must be less than or equal to 1000.',
    ],
    [
      { cluster: { name: 'c', profile_id: 'p', min_size: -1 } },
      'The value for the min_size field must be greater than or equal to 0.',
    ],
    [
      { cluster: { name: 'c', profile_id: 'p', timeout: 'x' } },
      "The value for timeout must be an integer: 'x'.",
    ],
    [{ cluster: { name: 'c', profile_id: 'p', metadata: 5 } }, "5 is not of type 'object', 'null'"],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/clusters', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('refuses a request without a body with the generic 400', async () => {
    const res = await api.call('POST', '/v1/clusters');
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      'The server could not comply with the request since it is either malformed or otherwise incorrect.',
    );
  });

  it('refuses an unknown profile with 400 and writes nothing', async () => {
    const before = [await count('cluster'), await count('action')];
    const res = await api.call('POST', '/v1/clusters', {
      body: { cluster: { profile_id: '3aced30b-ccb2-4e40-90c2-7b6aa205e3d6', name: 'x' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "The specified profile '3aced30b-ccb2-4e40-90c2-7b6aa205e3d6' could not be found.",
    );
    expect([await count('cluster'), await count('action')]).toEqual(before);
  });

  it("does not use another project's profile", async () => {
    const alien = await createProfile('alien', NOVA_SPEC, ALT);
    const res = await api.call('POST', '/v1/clusters', {
      body: { cluster: { profile_id: alien.id, name: 'x' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`The specified profile '${alien.id}' could not be found.`);
  });

  it('reports an ambiguous profile name as MultipleChoices', async () => {
    await createProfile('twin');
    await createProfile('twin');
    const res = await api.call('POST', '/v1/clusters', {
      body: { cluster: { profile_id: 'twin', name: 'x' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'twin'. Please be more specific.",
    );
  });

  it.each([
    [
      { desired_capacity: 2, min_size: 5, max_size: 3 },
      'The target capacity (2) is less than the specified min_size (5).',
    ],
    [
      { desired_capacity: 4, max_size: 3 },
      'The target capacity (4) is greater than the specified max_size (3).',
    ],
    [
      { desired_capacity: 1, max_size: 0 },
      'The target capacity (1) is greater than the specified max_size (0).',
    ],
    [{ desired_capacity: 0, min_size: 0, max_size: 1000 }, null],
  ])('checks the sizes %j strictly', async (sizes, message) => {
    const res = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'sized', profile_id: profile.id, ...sizes } },
    });
    if (message === null) {
      expect(res.statusCode).toBe(202);
    } else {
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe(message);
    }
  });
});

const limited = await startApi({ config: { DEFAULT: { max_clusters_per_project: 1 } } });
const unique = await startApi({ config: { DEFAULT: { name_unique: true } } });

async function profileIn(target: typeof api) {
  const res = await target.call('POST', '/v1/profiles', {
    body: { profile: { name: 'p', spec: NOVA_SPEC } },
  });
  return res.data.profile;
}

describe('cluster create limits', () => {
  it('answers 403 OverQuota with the numbers when the project owns enough clusters', async () => {
    const p = await profileIn(limited);
    const body = { cluster: { name: 'first', profile_id: p.id } };
    expect((await limited.call('POST', '/v1/clusters', { body })).statusCode).toBe(202);
    const res = await limited.call('POST', '/v1/clusters', { body });
    expect(res.statusCode).toBe(403);
    expect(res.data.error.type).toBe('OverQuota');
    expect(errorMessage(res)).toBe(
      'Quota exceeded for resources: the project already owns 1 cluster(s) and [DEFAULT] max_clusters_per_project allows 1.',
    );
  });

  it('refuses a second cluster of the same name in the project when name_unique is set', async () => {
    const p = await profileIn(unique);
    const body = { cluster: { name: 'dup', profile_id: p.id } };
    expect((await unique.call('POST', '/v1/clusters', { body })).statusCode).toBe(202);
    const res = await unique.call('POST', '/v1/clusters', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("a cluster named 'dup' already exists.");
  });
});

describe('cluster show', () => {
  it('finds a cluster by id, name and short id', async () => {
    const { cluster } = await createCluster({ name: 'findme' });
    for (const ref of [cluster.id, 'findme', cluster.id.slice(0, 8)]) {
      const res = await api.call('GET', `/v1/clusters/${ref}`);
      expect(res.statusCode).toBe(200);
      expect(res.data.cluster).toEqual(cluster);
    }
  });

  it('answers 404 for an unknown cluster', async () => {
    const res = await api.call('GET', '/v1/clusters/c-01');
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe("The cluster 'c-01' could not be found.");
  });

  it('answers 400 when a name matches two clusters', async () => {
    await createCluster({ name: 'c-01' });
    await createCluster({ name: 'c-01' });
    const res = await api.call('GET', '/v1/clusters/c-01');
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'c-01'. Please be more specific.",
    );
  });

  it("hides other projects' clusters from members but not from admins", async () => {
    const altProfile = await createProfile('alt-profile', NOVA_SPEC, ALT);
    const { cluster } = await createCluster({ name: 'alt-owned', profile_id: altProfile.id }, ALT);
    expect((await api.call('GET', `/v1/clusters/${cluster.id}`)).statusCode).toBe(404);
    expect((await api.call('GET', `/v1/clusters/${cluster.id}`, { as: ADMIN })).statusCode).toBe(
      200,
    );
  });

  it('lists member node ids and binding ids', async () => {
    const { cluster } = await createCluster({ name: 'with-members' });
    const k = api.db.kysely;
    for (const [id, index] of [
      ['00000000-0000-4000-8000-000000000002', 2],
      ['00000000-0000-4000-8000-000000000001', 1],
    ] as const) {
      await k
        .insertInto('node')
        .values({ id, name: `n${index}`, cluster_id: cluster.id, profile_id: profile.id, index })
        .execute();
    }
    const policy = await api.call('POST', '/v1/policies', {
      body: {
        policy: {
          name: 'pol',
          spec: { type: 'senlin.policy.deletion', version: '1.1', properties: {} },
        },
      },
    });
    await k
      .insertInto('cluster_policy')
      .values({
        id: 'b0000000-0000-4000-8000-000000000000',
        cluster_id: cluster.id,
        policy_id: policy.data.policy.id,
        enabled: 1,
        priority: 400,
        cooldown: null,
        level: null,
        data: null,
        last_op: null,
      })
      .execute();
    const res = await api.call('GET', `/v1/clusters/${cluster.id}`);
    expect(res.data.cluster.nodes).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000002',
    ]);
    expect(res.data.cluster.policies).toEqual(['b0000000-0000-4000-8000-000000000000']);
  });
});

describe('cluster update', () => {
  it('starts CLUSTER_UPDATE with the changed properties and returns the cluster as it was', async () => {
    const { cluster } = await createCluster({ name: 'upd', timeout: 100 });
    await settle(cluster.id);
    const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      body: { cluster: { timeout: 240, metadata: { k2: 'v2' }, name: 'cluster_new_name' } },
    });
    expect(res.statusCode).toBe(202);
    expect(res.data.cluster).toMatchObject({ id: cluster.id, name: 'upd', status: 'ACTIVE' });
    const action = await getAction(api.db.kysely, actionIdOf(res));
    expect(action).toMatchObject({
      name: `cluster_update_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_UPDATE',
      status: 'READY',
      timeout: 100,
      inputs: { timeout: 240, metadata: { k2: 'v2' }, name: 'cluster_new_name' },
    });
  });

  it('passes only the values that differ, and nulls as changes', async () => {
    const { cluster } = await createCluster({ name: 'same', timeout: 100, metadata: { a: 1 } });
    await settle(cluster.id);
    const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      body: { cluster: { name: 'same', timeout: 100, metadata: null } },
    });
    expect(res.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, actionIdOf(res)))?.inputs).toEqual({ metadata: null });
  });

  it('passes a new profile of the same type and profile_only from 1.6', async () => {
    const next = await createProfile('next-nova');
    const { cluster } = await createCluster({ name: 'prof' });
    await settle(cluster.id);
    const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      version: '1.6',
      body: { cluster: { profile_id: 'next-nova', profile_only: true } },
    });
    expect(res.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, actionIdOf(res)))?.inputs).toEqual({
      new_profile_id: next.id,
      profile_only: true,
    });
  });

  it('drops profile_only below 1.6 and config below 1.7', async () => {
    const next = await createProfile('next-nova-2');
    const { cluster } = await createCluster({ name: 'old-versions' });
    await settle(cluster.id);
    const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      version: '1.5',
      body: { cluster: { profile_id: next.id, profile_only: true, config: { a: 1 } } },
    });
    expect(res.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, actionIdOf(res)))?.inputs).toEqual({
      new_profile_id: next.id,
    });
  });

  it('passes a changed config from 1.7', async () => {
    const { cluster } = await createCluster({ name: 'conf' });
    await settle(cluster.id);
    const old = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      version: '1.6',
      body: { cluster: { config: { a: 1 } } },
    });
    expect(errorMessage(old)).toBe('No property needs an update.');
    const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      version: '1.7',
      body: { cluster: { config: { a: 1 } } },
    });
    expect((await getAction(api.db.kysely, actionIdOf(res)))?.inputs).toEqual({ config: { a: 1 } });
  });

  it.each([
    [
      { cluster: { bad: 'invalid' } },
      "Additional properties are not allowed ('bad' was unexpected)",
    ],
    [{}, "Malformed request data, missing 'cluster' key in request body."],
    [{ cluster: null }, "Malformed request data, missing 'cluster' key in request body."],
    [{ cluster: { timeout: -1 } }, "Value must be >= 0 for field 'timeout'."],
    [{ cluster: { profile_only: 'yes' } }, "'yes' is not of type 'boolean', 'null'"],
  ])('validates %j before looking the cluster up', async (body, message) => {
    const res = await api.call('PATCH', '/v1/clusters/f7a97fce-f495-44a8-b41a-7408139adacf', {
      body,
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers 404 for an unknown cluster', async () => {
    const res = await api.call('PATCH', '/v1/clusters/f7a97fce-f495-44a8-b41a-7408139adacf', {
      body: { cluster: { name: 'new-name' } },
    });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The cluster 'f7a97fce-f495-44a8-b41a-7408139adacf' could not be found.",
    );
  });

  it('refuses a cluster in ERROR with 409 FeatureNotSupported', async () => {
    const { cluster } = await createCluster({ name: 'broken' });
    await settle(cluster.id, 'ERROR');
    const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
      body: { cluster: { name: 'fixed' } },
    });
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe('Updating a cluster in error state is not supported.');
  });

  it('refuses an unknown, ambiguous or differently typed profile', async () => {
    const { cluster } = await createCluster({ name: 'ptype' });
    await settle(cluster.id);
    const heat = await createProfile('heat', HEAT_SPEC);
    await createProfile('p-nova');
    await createProfile('p-nova');
    const cases: [string, string][] = [
      [
        'fb68921d-1fe8-4c14-be9a-51fa43d4f705',
        "The specified profile 'fb68921d-1fe8-4c14-be9a-51fa43d4f705' could not be found.",
      ],
      [
        'p-nova',
        "Multiple results found matching the query criteria 'p-nova'. Please be more specific.",
      ],
      [heat.id, 'Cannot update a cluster to a different profile type, operation aborted.'],
    ];
    for (const [ref, message] of cases) {
      const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, {
        body: { cluster: { profile_id: ref } },
      });
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe(message);
    }
  });

  it('refuses an update that changes nothing', async () => {
    const { cluster } = await createCluster({ name: 'nochange' });
    await settle(cluster.id);
    for (const body of [
      { cluster: {} },
      { cluster: { name: 'nochange', profile_id: profile.id } },
    ]) {
      const res = await api.call('PATCH', `/v1/clusters/${cluster.id}`, { body });
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe('No property needs an update.');
    }
  });
});

describe('cluster delete', () => {
  it('answers 202 with a null body and queues CLUSTER_DELETE', async () => {
    const { cluster } = await createCluster({ name: 'doomed' });
    await settle(cluster.id);
    const res = await api.call('DELETE', `/v1/clusters/${cluster.id}`);
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('null');
    const action = await getAction(api.db.kysely, actionIdOf(res));
    expect(action).toMatchObject({
      name: `cluster_delete_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_DELETE',
      status: 'READY',
      target: cluster.id,
    });
  });

  it('is not blocked by another active action on the cluster', async () => {
    const { cluster, actionId } = await createCluster({ name: 'still-creating' });
    expect((await getAction(api.db.kysely, actionId))?.status).toBe('READY');
    const res = await api.call('DELETE', `/v1/clusters/${cluster.id}`);
    expect(res.statusCode).toBe(202);
  });

  it('answers 404 and 400 like show for unknown and ambiguous clusters', async () => {
    const missing = await api.call('DELETE', '/v1/clusters/8a583b8e-eeaa-4920-a6f5-2880b070624f');
    expect(missing.statusCode).toBe(404);
    expect(errorMessage(missing)).toBe(
      "The cluster '8a583b8e-eeaa-4920-a6f5-2880b070624f' could not be found.",
    );
    await createCluster({ name: 'd-01' });
    await createCluster({ name: 'd-01' });
    const twice = await api.call('DELETE', '/v1/clusters/d-01');
    expect(twice.statusCode).toBe(400);
  });

  it.each(['CREATING', 'UPDATING', 'DELETING', 'RECOVERING'])(
    'refuses a cluster in %s with 409 unless forced',
    async (status) => {
      const { cluster } = await createCluster({ name: `busy-${status.toLowerCase()}` });
      await settle(cluster.id, status);
      const res = await api.call('DELETE', `/v1/clusters/${cluster.name}`);
      expect(res.statusCode).toBe(409);
      expect(errorMessage(res)).toBe(`The cluster '${cluster.name}' is in status ${status}.`);
      const forced = await api.call('DELETE', `/v1/clusters/${cluster.id}`, {
        version: '1.8',
        query: { force: 'True' },
      });
      expect(forced.statusCode).toBe(202);
    },
  );

  it('reads force from the body at 1.8 and ignores it below', async () => {
    const { cluster } = await createCluster({ name: 'force-body' });
    await settle(cluster.id, 'UPDATING');
    const old = await api.call('DELETE', `/v1/clusters/${cluster.id}`, {
      version: '1.7',
      query: { force: 'true' },
    });
    expect(old.statusCode).toBe(409);
    const res = await api.call('DELETE', `/v1/clusters/${cluster.id}`, {
      version: '1.8',
      body: { force: true },
    });
    expect(res.statusCode).toBe(202);
  });

  it('refuses a force query value that is not a boolean', async () => {
    const res = await api.call('DELETE', '/v1/clusters/whatever', { query: { force: 'yes' } });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("Invalid value 'yes' specified for 'force'");
  });

  it('refuses a cluster that container profiles depend on', async () => {
    const { cluster } = await createCluster({ name: 'host' });
    await settle(cluster.id);
    await api.db.kysely
      .updateTable('cluster')
      .set({ dependents: JSON.stringify({ profiles: ['p1'] }) })
      .where('id', '=', cluster.id)
      .execute();
    const res = await api.call('DELETE', `/v1/clusters/${cluster.id}`);
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(
      `The cluster '${cluster.id}' cannot be deleted: still referenced by profile(s): ['p1'].`,
    );
  });
});
