import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { KeystoneAuthenticator } from '../../src/api/auth/index.js';
import { PolicyEnforcer } from '../../src/api/policy/index.js';
import { newId } from '../../src/common/ids.js';
import { getAction } from '../../src/db/queries/actions.js';
import type { ClusterRecord } from '../../src/db/queries/clusters.js';
import { deleteClusterRows, insertCluster } from '../../src/db/queries/clusters.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import { ADMIN, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi({ config: { receiver: { host: 'senlin.example' } } });

async function makeCluster(name: string): Promise<ClusterRecord> {
  const profileId = newId();
  await insertProfile(api.db.kysely, {
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
  const cluster: ClusterRecord = {
    id: newId(),
    name,
    profileId,
    user: 'demo-user',
    project: 'demo',
    domain: null,
    parent: null,
    initAt: new Date(),
    createdAt: null,
    updatedAt: null,
    minSize: 0,
    maxSize: -1,
    desiredCapacity: 0,
    nextIndex: 1,
    timeout: 900,
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

/** A cluster with a webhook receiver; returns both and the receiver's trigger path. */
async function webhook(
  params: Record<string, unknown> = { max_size: 2 },
  action = 'CLUSTER_RESIZE',
) {
  const cluster = await makeCluster(`wh-${newId().slice(0, 6)}`);
  const res = await api.call('POST', '/v1/receivers', {
    body: { receiver: { name: 'wh', type: 'webhook', cluster_id: cluster.id, action, params } },
    headers: { 'x-trust-id': 'trust-of-demo' },
  });
  expect(res.statusCode).toBe(201);
  const receiver = res.data.receiver;
  const url = new URL(receiver.channel.alarm_url);
  return { cluster, receiver, path: `${url.pathname}${url.search}` };
}

/** A request with no identity at all: no token, no user or project headers. */
const ANONYMOUS = {};

async function triggered(res: { headers: Record<string, unknown> }) {
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  return getAction(api.db.kysely, id);
}

describe('webhook trigger', () => {
  it('starts the receiver action without any credentials and answers 202', async () => {
    const { cluster, receiver, path } = await webhook();
    const res = await api.call('POST', path, { as: ANONYMOUS });
    expect(res.statusCode).toBe(202);
    expect(Object.keys(res.data)).toEqual(['action']);
    expect(res.headers.location).toMatch(new RegExp(`/v1/actions/${res.data.action}$`));
    const action = await triggered(res);
    expect(action).toMatchObject({
      name: `webhook_${receiver.id.slice(0, 8)}`,
      action: 'CLUSTER_RESIZE',
      target: cluster.id,
      clusterId: cluster.id,
      inputs: { max_size: 2 },
      timeout: 900,
      status: 'READY',
      cause: 'RPC Request',
      user: 'demo-user',
      project: 'demo',
    });
    expect(action?.context).toMatchObject({
      user_id: 'demo-user',
      project_id: 'demo',
      is_admin: false,
      trusts: 'trust-of-demo',
    });
  });

  it('acts as the receiver owner whoever calls', async () => {
    const { path } = await webhook();
    const res = await api.call('POST', path, {
      as: { user: 'intruder', project: 'elsewhere', roles: ['admin'] },
    });
    expect(res.statusCode).toBe(202);
    expect((await triggered(res))?.project).toBe('demo');
  });

  it("runs an admin's webhook on another project's cluster against that cluster", async () => {
    const cluster = await makeCluster(`wh-${newId().slice(0, 6)}`);
    const created = await api.call('POST', '/v1/receivers', {
      as: ADMIN,
      body: {
        receiver: { name: 'wh', type: 'webhook', cluster_id: cluster.id, action: 'CLUSTER_CHECK' },
      },
    });
    expect(created.statusCode).toBe(201);
    const url = new URL(created.data.receiver.channel.alarm_url);
    const res = await api.call('POST', `${url.pathname}${url.search}`, { as: ANONYMOUS });
    expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
    expect(await triggered(res)).toMatchObject({ target: cluster.id, action: 'CLUSTER_CHECK' });
  });

  it('merges the body into the receiver params from 1.10', async () => {
    const { path } = await webhook({ count: 1, adjustment_type: 'CHANGE_IN_CAPACITY' });
    const res = await api.call('POST', path, { as: ANONYMOUS, body: { count: 3, strict: false } });
    expect((await triggered(res))?.inputs).toEqual({
      count: 3,
      adjustment_type: 'CHANGE_IN_CAPACITY',
      strict: false,
    });
  });

  it('takes the params key of the body with V=1 below 1.10', async () => {
    const { receiver } = await webhook({ count: 1 });
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger?V=1`, {
      as: ANONYMOUS,
      version: '1.9',
      body: { params: { count: 4 } },
    });
    expect(res.statusCode).toBe(202);
    expect((await triggered(res))?.inputs).toEqual({ count: 4 });
  });

  it('refuses other keys than params with V=1 below 1.10', async () => {
    const { receiver } = await webhook();
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger?V=1`, {
      as: ANONYMOUS,
      version: '1.9',
      body: { count: 4 },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Additional properties are not allowed ('count' was unexpected)",
    );
  });

  it('takes the whole body as params with V=2 below 1.10', async () => {
    const { receiver } = await webhook({ count: 1 });
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger?V=2`, {
      as: ANONYMOUS,
      version: '1.9',
      body: { count: 5 },
    });
    expect((await triggered(res))?.inputs).toEqual({ count: 5 });
  });

  it('takes the whole body as params with V=1 from 1.10', async () => {
    const { receiver } = await webhook({ count: 1 });
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger?V=1`, {
      as: ANONYMOUS,
      version: '1.10',
      body: { params: { count: 6 } },
    });
    expect((await triggered(res))?.inputs).toEqual({ count: 1, params: { count: 6 } });
  });

  it('keeps the receiver params when there is no body', async () => {
    const { receiver } = await webhook({ count: 1 });
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger?V=2`, {
      as: ANONYMOUS,
      version: '1.0',
    });
    expect(res.statusCode).toBe(202);
    expect((await triggered(res))?.inputs).toEqual({ count: 1 });
  });

  it('ignores query parameters other than V', async () => {
    const { receiver } = await webhook({ count: 1 });
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger?V=2&count=9`, {
      as: ANONYMOUS,
    });
    expect((await triggered(res))?.inputs).toEqual({ count: 1 });
  });

  it.each(['', '?V=', '?v=2'])('answers a missing V (%s) with webob 400', async (query) => {
    const { receiver } = await webhook();
    const res = await api.call('POST', `/v1/webhooks/${receiver.id}/trigger${query}`, {
      as: ANONYMOUS,
    });
    expect(res.statusCode).toBe(400);
    expect(res.data).toEqual({
      message:
        'The server could not comply with the request since it is either malformed or otherwise incorrect.<br /><br />\nV query parameter is required in webhook trigger URL\n\n',
      code: '400 Bad Request',
      title: 'Bad Request',
    });
  });

  it('answers 404 for an unknown receiver', async () => {
    const id = newId();
    const res = await api.call('POST', `/v1/webhooks/${id}/trigger?V=2`, { as: ANONYMOUS });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The receiver '${id}' could not be found.`);
  });

  it('does not find receivers by name or short id', async () => {
    const { receiver } = await webhook();
    for (const ref of ['wh', receiver.id.slice(0, 8)]) {
      const res = await api.call('POST', `/v1/webhooks/${ref}/trigger?V=2`, { as: ANONYMOUS });
      expect(res.statusCode).toBe(404);
    }
  });

  it('answers 400 when the cluster of the receiver is gone', async () => {
    const { cluster, path } = await webhook();
    await deleteClusterRows(api.db.kysely, cluster.id);
    const res = await api.call('POST', path, { as: ANONYMOUS });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`The referenced cluster '${cluster.id}' could not be found.`);
  });

  it('answers 409 while the previous trigger is still pending', async () => {
    const { cluster, path } = await webhook({}, 'CLUSTER_SCALE_OUT');
    expect((await api.call('POST', path, { as: ANONYMOUS })).statusCode).toBe(202);
    const res = await api.call('POST', path, { as: ANONYMOUS });
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toMatch(
      new RegExp(`^The CLUSTER_SCALE_OUT action for target ${cluster.id} conflicts with`),
    );
  });

  it('answers other methods with 404', async () => {
    const { path } = await webhook();
    expect((await api.call('GET', path, { as: DEMO })).statusCode).toBe(404);
  });
});

describe('webhook trigger with Keystone authentication', async () => {
  const keystone = await buildApp({
    config: api.conductor.deps.config,
    authenticator: new KeystoneAuthenticator(
      {
        authUrl: 'http://keystone.invalid/identity',
        wwwAuthenticateUri: null,
        username: 'senlin',
        password: 'secret',
        userDomainId: 'default',
        userDomainName: null,
        projectName: 'service',
        projectDomainId: 'default',
        projectDomainName: null,
        tokenCacheTime: 0,
      },
      {
        fetch: async () => {
          throw new Error('Keystone is not reachable in this test');
        },
      },
    ),
    enforcer: PolicyEnforcer.load({
      policyFile: null,
      policyDirs: [],
      configDir: null,
      defaultRule: 'default',
    }),
    conductor: api.conductor,
  });

  it('needs no token', async () => {
    const { path } = await webhook();
    const res = await keystone.inject({
      method: 'POST',
      url: path,
      headers: { accept: 'application/json' },
    });
    expect(res.statusCode).toBe(202);
  });

  it('still refuses other requests without a token', async () => {
    const res = await keystone.inject({
      method: 'GET',
      url: '/v1/receivers',
      headers: { accept: 'application/json' },
    });
    expect(res.statusCode).toBe(401);
  });
});
