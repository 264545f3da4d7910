import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import type { ClusterRecord } from '../../src/db/queries/clusters.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import { upsertCredential } from '../../src/db/queries/credentials.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import type { Caller } from './harness.js';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi({
  config: { receiver: { host: 'senlin.example', port: 8778 } },
});

async function makeProfile(as: Caller): Promise<string> {
  const id = newId();
  await insertProfile(api.db.kysely, {
    id,
    name: `p-${id.slice(0, 6)}`,
    type: 'os.nova.server-1.0',
    context: {},
    spec: NOVA_SPEC,
    user: as.user ?? '',
    project: as.project ?? '',
    domain: null,
    metadata: {},
    createdAt: new Date(),
    updatedAt: null,
  });
  return id;
}

async function makeCluster(name: string, as: Caller = DEMO): Promise<ClusterRecord> {
  const cluster: ClusterRecord = {
    id: newId(),
    name,
    profileId: await makeProfile(as),
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
    timeout: 3600,
    status: 'ACTIVE',
    statusReason: '',
    metadata: {},
    data: {},
    dependents: {},
    config: {},
  };
  await insertCluster(api.db.kysely, cluster);
  return cluster;
}

const cluster = await makeCluster('r-cluster');

async function createReceiver(body: Record<string, unknown>, as: Caller = DEMO) {
  const res = await api.call('POST', '/v1/receivers', {
    body: {
      receiver: {
        name: 'test-receiver',
        type: 'webhook',
        cluster_id: cluster.id,
        action: 'CLUSTER_SCALE_IN',
        ...body,
      },
    },
    as,
  });
  expect(res.statusCode).toBe(201);
  return res.data.receiver;
}

const RECEIVER_KEYS = [
  'action',
  'actor',
  'channel',
  'cluster_id',
  'created_at',
  'domain',
  'id',
  'name',
  'params',
  'project',
  'type',
  'updated_at',
  'user',
];

describe('webhook receiver create', () => {
  it('answers 201 with the receiver and its alarm URL', async () => {
    const r = await createReceiver({ params: { count: 5 } });
    expect(Object.keys(r).sort()).toEqual(RECEIVER_KEYS);
    expect(r).toMatchObject({
      name: 'test-receiver',
      type: 'webhook',
      cluster_id: cluster.id,
      action: 'CLUSTER_SCALE_IN',
      params: { count: 5 },
      user: 'demo-user',
      project: 'demo',
      actor: { trust_id: null },
      updated_at: null,
      channel: {
        alarm_url: `http://senlin.example:8778/v1/webhooks/${r.id}/trigger?V=2&count=5`,
      },
    });
    expect(r.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('resolves the cluster by name and stores its id', async () => {
    const r = await createReceiver({ cluster_id: 'r-cluster' });
    expect(r.cluster_id).toBe(cluster.id);
  });

  it('url-encodes the params in key order', async () => {
    const r = await createReceiver({ params: { b: 'x y&z', a: 1, c: true } });
    expect(r.channel.alarm_url).toMatch(/\/trigger\?V=2&a=1&b=x\+y%26z&c=True$/);
  });

  it('omits the params from the URL when there are none', async () => {
    const r = await createReceiver({ params: null });
    expect(r.channel.alarm_url).toMatch(/\/trigger\?V=2$/);
  });

  it('takes the actor trust from the caller', async () => {
    const r = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'r', type: 'webhook', cluster_id: cluster.id, action: 'CLUSTER_CHECK' },
      },
      headers: { 'x-trust-id': 'trust-of-demo' },
    });
    expect(r.data.receiver.actor).toEqual({ trust_id: 'trust-of-demo' });
  });

  it("gives an admin's receiver the trust stored for the cluster owner", async () => {
    const owned = await makeCluster('r-owned', ALT);
    await upsertCredential(api.db.kysely, 'alt-user', 'alt', 'trust-of-alt');
    const r = await createReceiver({ cluster_id: owned.id }, ADMIN);
    expect(r.actor).toEqual({ trust_id: 'trust-of-alt' });
    expect(r.project).toBe('admin');
  });

  it("leaves an admin's receiver without trust when the owner has none", async () => {
    const owned = await makeCluster('r-no-trust', { user: 'nobody', project: 'nowhere' });
    const r = await createReceiver({ cluster_id: owned.id }, ADMIN);
    expect(r.actor).toEqual({ trust_id: null });
  });

  it('refuses a cluster owned by another user of the project', async () => {
    const colleague = { user: 'colleague', project: 'demo', roles: ['member'] };
    const res = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'r', type: 'webhook', cluster_id: cluster.id, action: 'CLUSTER_CHECK' },
      },
      as: colleague,
    });
    expect(res.statusCode).toBe(403);
    expect(errorMessage(res)).toBe('You are not authorized to complete this operation.');
  });

  it.each([
    [{ receive: { name: 'r' } }, "Request body missing 'receiver' key."],
    [{ receiver: { type: 'webhook' } }, "'name' is a required property"],
    [{ receiver: { name: 'r' } }, "'type' is a required property"],
    [
      { receiver: { name: 'r', type: 'bogus' } },
      "Value 'bogus' is not acceptable for field 'type'.",
    ],
    [
      { receiver: { name: 'r', type: 'webhook', action: 'ILLEGAL_ACTION' } },
      "Value 'ILLEGAL_ACTION' is not acceptable for field 'action'.",
    ],
    [
      { receiver: { name: 'z'.repeat(256), type: 'webhook' } },
      'The value for the name field must be less than 255 characters long.',
    ],
    [
      { receiver: { name: 'r', type: 'webhook', action: 'CLUSTER_CHECK' } },
      'Cluster identity is required for creating webhook receiver.',
    ],
    [
      { receiver: { name: 'r', type: 'webhook', cluster_id: 'x' } },
      'Action name is required for creating webhook receiver.',
    ],
    [
      { receiver: { name: 'r', type: 'webhook', cluster_id: 'x', action: 'CLUSTER_CREATE' } },
      "Action name cannot be any of ['CLUSTER_CREATE'].",
    ],
    [
      {
        receiver: {
          name: 'r',
          type: 'webhook',
          cluster_id: 'e281873f-0dff-4be6-8795-f781efe7cc14',
          action: 'CLUSTER_SCALE_IN',
        },
      },
      "The referenced cluster 'e281873f-0dff-4be6-8795-f781efe7cc14' could not be found.",
    ],
    [
      { receiver: { name: 'r', type: 'webhook', cluster_id: 'x', action: 'CLUSTER_CHECK', a: 1 } },
      "Additional properties are not allowed ('a' was unexpected)",
    ],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/receivers', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers an ambiguous cluster name with upstream spliced message', async () => {
    await makeCluster('r-dup');
    await makeCluster('r-dup');
    const res = await api.call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'r', type: 'webhook', cluster_id: 'r-dup', action: 'CLUSTER_CHECK' },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multreferenced iple results found matching the query criteria 'r-dup'. Please be more specific.",
    );
  });
});

describe('receiver create with name_unique', async () => {
  const unique = await startApi({
    config: { DEFAULT: { name_unique: true }, receiver: { host: 'h' } },
  });

  it('refuses a second receiver of the same name in the project', async () => {
    const id = newId();
    await insertProfile(unique.db.kysely, {
      id,
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
    await insertCluster(unique.db.kysely, { ...cluster, profileId: id });
    const body = {
      receiver: { name: 'twin', type: 'webhook', cluster_id: cluster.id, action: 'CLUSTER_CHECK' },
    };
    expect((await unique.call('POST', '/v1/receivers', { body })).statusCode).toBe(201);
    const res = await unique.call('POST', '/v1/receivers', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("A receiver named 'twin' already exists.");
  });
});

describe('receiver show, update and delete', () => {
  it('shows a receiver by id, name and short id', async () => {
    const r = await createReceiver({ name: 'shown-receiver' });
    for (const ref of [r.id, 'shown-receiver', r.id.slice(0, 8)]) {
      const res = await api.call('GET', `/v1/receivers/${ref}`);
      expect(res.statusCode).toBe(200);
      expect(res.data.receiver).toEqual(r);
    }
  });

  it('answers 404 for an unknown receiver and 400 for an ambiguous name', async () => {
    const id = '0cca923f-3e6c-4e23-8d42-2e1c70243c9d';
    const missing = await api.call('GET', `/v1/receivers/${id}`);
    expect(missing.statusCode).toBe(404);
    expect(errorMessage(missing)).toBe(`The receiver '${id}' could not be found.`);
    await createReceiver({ name: 'r-01' });
    await createReceiver({ name: 'r-01' });
    expect((await api.call('GET', '/v1/receivers/r-01')).statusCode).toBe(400);
    expect((await api.call('DELETE', '/v1/receivers/r-01')).statusCode).toBe(400);
  });

  it('lets admins read receivers of any project, not other members', async () => {
    const r = await createReceiver({ name: 'private-receiver' });
    expect((await api.call('GET', `/v1/receivers/${r.id}`, { as: ALT })).statusCode).toBe(404);
    expect((await api.call('GET', `/v1/receivers/${r.id}`, { as: ADMIN })).statusCode).toBe(200);
  });

  it('updates name, action and params but keeps the alarm URL and creation time', async () => {
    const r = await createReceiver({ name: 'to-update', params: { count: 5 } });
    const res = await api.call('PATCH', `/v1/receivers/${r.id}`, {
      body: {
        receiver: {
          name: 'update-receiver-name',
          action: 'CLUSTER_SCALE_OUT',
          params: { count: '2' },
        },
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.receiver).toMatchObject({
      name: 'update-receiver-name',
      action: 'CLUSTER_SCALE_OUT',
      params: { count: '2' },
      channel: r.channel,
      created_at: r.created_at,
    });
    expect(res.data.receiver.updated_at).toMatch(/Z$/);
    const shown = await api.call('GET', `/v1/receivers/${r.id}`);
    expect(shown.data.receiver).toEqual(res.data.receiver);
  });

  it('ignores nulls and unchanged values, and refuses an update that changes nothing', async () => {
    const r = await createReceiver({ name: 'unchanged', params: { a: 1 } });
    const res = await api.call('PATCH', `/v1/receivers/${r.id}`, {
      body: { receiver: { name: 'unchanged', action: null, params: { a: 1 } } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('No property needs an update.');
  });

  it.each([
    [{}, "Malformed request data, missing 'receiver' key in request body."],
    [
      { receiver: { type: 'message' } },
      "Additional properties are not allowed ('type' was unexpected)",
    ],
    [
      { receiver: { cluster_id: 'x' } },
      "Additional properties are not allowed ('cluster_id' was unexpected)",
    ],
  ])('refuses the update body %j', async (body, message) => {
    const r = await createReceiver({ name: 'bad-update' });
    const res = await api.call('PATCH', `/v1/receivers/${r.id}`, { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers 404 when updating an unknown receiver', async () => {
    const res = await api.call('PATCH', '/v1/receivers/db22cabd-32af-4045-81e8-c87980f1e9f5', {
      body: { receiver: { name: 'update-receiver-name' } },
    });
    expect(res.statusCode).toBe(404);
  });

  it('deletes a receiver with 204 and no body', async () => {
    const r = await createReceiver({ name: 'to-delete' });
    const res = await api.call('DELETE', `/v1/receivers/${r.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await api.call('GET', `/v1/receivers/${r.id}`)).statusCode).toBe(404);
    expect((await api.call('DELETE', `/v1/receivers/${r.id}`)).statusCode).toBe(404);
  });
});

describe('receiver notify', () => {
  it('refuses to notify a webhook receiver', async () => {
    const r = await createReceiver({ name: 'not-message' });
    const res = await api.call('POST', `/v1/receivers/${r.id}/notify`);
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('Notifying non-message receiver is not allowed.');
  });

  it('refuses a caller that does not own the receiver', async () => {
    const r = await createReceiver({ name: 'owned-receiver' });
    const res = await api.call('POST', `/v1/receivers/${r.id}/notify`, {
      as: { user: 'colleague', project: 'demo', roles: ['member'] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('answers 404 for an unknown receiver', async () => {
    const res = await api.call('POST', `/v1/receivers/${newId()}/notify`);
    expect(res.statusCode).toBe(404);
  });
});

describe('receiver list', () => {
  const lister = { user: 'r-lister', project: 'r-list', roles: ['member'] };

  it('lists receivers by name with the upstream keys', async () => {
    const mine = await makeCluster('r-list-cluster', lister);
    await createReceiver({ name: 'zeta', cluster_id: mine.id, action: 'CLUSTER_RESIZE' }, lister);
    await createReceiver({ name: 'alpha', cluster_id: mine.id }, lister);
    const res = await api.call('GET', '/v1/receivers', { as: lister });
    expect(res.statusCode).toBe(200);
    expect(res.data.receivers.map((r: any) => r.name)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(res.data.receivers[0]).sort()).toEqual(RECEIVER_KEYS);
  });

  it('filters by action, type and cluster_id', async () => {
    const byAction = await api.call('GET', '/v1/receivers', {
      as: lister,
      query: { action: 'CLUSTER_RESIZE' },
    });
    expect(byAction.data.receivers.map((r: any) => r.name)).toEqual(['zeta']);
    const byType = await api.call('GET', '/v1/receivers', {
      as: lister,
      query: { type: 'message' },
    });
    expect(byType.data.receivers).toEqual([]);
    const byCluster = await api.call('GET', '/v1/receivers', {
      query: { cluster_id: cluster.id },
    });
    expect(byCluster.data.receivers.length).toBeGreaterThan(0);
    expect(byCluster.data.receivers.every((r: any) => r.cluster_id === cluster.id)).toBe(true);
  });

  it('filters by user from 1.4 and ignores the filter below', async () => {
    const recent = await api.call('GET', '/v1/receivers', {
      as: ADMIN,
      query: { user: 'r-lister' },
      version: '1.4',
    });
    expect(recent.data.receivers.map((r: any) => r.name)).toEqual(['alpha', 'zeta']);
    const old = await api.call('GET', '/v1/receivers', {
      as: ADMIN,
      query: { user: 'r-lister' },
      version: '1.3',
    });
    expect(old.data.receivers.length).toBeGreaterThan(2);
  });

  it('shows members only their project', async () => {
    const res = await api.call('GET', '/v1/receivers', { as: ALT });
    expect(res.data.receivers).toEqual([]);
  });

  it.each([
    [{ bogus: 'foo' }, 400, 'Invalid parameter bogus'],
    [{ limit: 'not-int' }, 400, "The value for limit must be an integer: 'not-int'."],
    [{ global_project: 'True' }, 403, 'You are not authorized to complete this operation.'],
    [
      { global_project: 'not-bool' },
      400,
      "Invalid value 'not-bool' specified for 'global_project'",
    ],
    [{ sort: 'bad-sort' }, 400, "Unsupported sort key 'bad-sort' for 'sort'."],
    [{ marker: 'bad-marker' }, 400, "The value for marker is not a valid UUID: 'bad-marker'."],
    [{ type: 'bogus' }, 400, 'Field value bogus is invalid'],
  ])('answers %j with %i: %s', async (query, status, message) => {
    const res = await api.call('GET', '/v1/receivers', { query });
    expect(res.statusCode).toBe(status);
    expect(errorMessage(res)).toBe(message);
  });
});

describe('webhook URL without [receiver] host', async () => {
  const plain = await startApi({ config: { DEFAULT: { host: 'senlin-node' } } });

  it('uses [DEFAULT] host and [receiver] port when the catalog has no clustering endpoint', async () => {
    const id = newId();
    await insertProfile(plain.db.kysely, {
      id,
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
    await insertCluster(plain.db.kysely, { ...cluster, profileId: id });
    const res = await plain.call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'r', type: 'webhook', cluster_id: cluster.id, action: 'CLUSTER_CHECK' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.data.receiver.channel.alarm_url).toBe(
      `http://senlin-node:8777/v1/webhooks/${res.data.receiver.id}/trigger?V=2`,
    );
  });
});
