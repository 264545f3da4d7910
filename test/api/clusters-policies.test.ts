import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getAction } from '../../src/db/queries/actions.js';
import { errorMessage, NOVA_SPEC, SCALING_SPEC, startApi } from './harness.js';

const api = await startApi();
const DELETION_SPEC = { type: 'senlin.policy.deletion', version: '1.1', properties: {} };

const profile = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'p', spec: NOVA_SPEC } } })
).data.profile;

async function createPolicy(name: string, spec: unknown = SCALING_SPEC) {
  const res = await api.call('POST', '/v1/policies', { body: { policy: { name, spec } } });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy;
}

/** A cluster whose create action has finished (no engine runs in these tests). */
async function activeCluster(name = 'c') {
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name, profile_id: profile.id } },
  });
  expect(res.statusCode).toBe(202);
  const id: string = res.data.cluster.id;
  await api.db.kysely
    .updateTable('action')
    .set({ status: 'SUCCEEDED' })
    .where('target', '=', id)
    .execute();
  await api.db.kysely
    .updateTable('cluster')
    .set({ status: 'ACTIVE' })
    .where('id', '=', id)
    .execute();
  return res.data.cluster;
}

/** Stores a binding row as the attach action would. */
async function bind(clusterId: string, policyId: string, enabled = true, priority = 100) {
  const id = randomUUID();
  await api.db.kysely
    .insertInto('cluster_policy')
    .values({
      id,
      cluster_id: clusterId,
      policy_id: policyId,
      enabled: enabled ? 1 : 0,
      priority,
      cooldown: null,
      level: null,
      data: JSON.stringify({ k: 'v' }),
      last_op: '2026-01-02 03:04:05.123456',
    })
    .execute();
  return id;
}

async function act(cluster: string, body: unknown) {
  return api.call('POST', `/v1/clusters/${cluster}/actions`, { body });
}

function expect400(res: { statusCode: number; data: any }, message: string) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(400);
  expect(errorMessage(res)).toBe(message);
}

const NOT_BOOL =
  "Unrecognized value 'not-bool', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'";

describe('policy_attach', () => {
  it.each([
    [{}, "'policy_id' is a required property"],
    [{ policy_id: 'POLICY_ID', enabled: 'not-bool' }, NOT_BOOL],
    [{ poilicy_id: '7ee49643-a5a0-4567-b9d0-0210b05a6138' }, "'policy_id' is a required property"],
    [{ policy_id: null }, "Field `policy_id' cannot be None"],
  ])('validates %j before the lookup', async (data, message) => {
    expect400(await act('cluster_id', { policy_attach: data }), message);
  });

  it('refuses a policy that cannot be found', async () => {
    const cluster = await activeCluster();
    expect400(
      await act(cluster.id, {
        policy_attach: { policy_id: '7ee49643-a5a0-4567-b9d0-0210b05a6138' },
      }),
      "The specified policy '7ee49643-a5a0-4567-b9d0-0210b05a6138' could not be found.",
    );
  });

  it('queues CLUSTER_ATTACH_POLICY with the resolved policy id, enabled by default', async () => {
    const cluster = await activeCluster();
    const policy = await createPolicy('attach-me');
    const res = await act(cluster.id, { policy_attach: { policy_id: 'attach-me' } });
    expect(res.statusCode).toBe(202);
    expect(await getAction(api.db.kysely, res.data.action)).toMatchObject({
      name: `attach_policy_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_ATTACH_POLICY',
      status: 'READY',
      inputs: { policy_id: policy.id, enabled: true },
    });
  });

  it('passes enabled as given', async () => {
    const cluster = await activeCluster();
    const policy = await createPolicy('attach-disabled');
    const res = await act(cluster.id, { policy_attach: { policy_id: policy.id, enabled: false } });
    expect((await getAction(api.db.kysely, res.data.action))?.inputs).toEqual({
      policy_id: policy.id,
      enabled: false,
    });
  });
});

describe('policy_detach and policy_update', () => {
  it.each([
    ['policy_detach', {}, "'policy_id' is a required property"],
    [
      'policy_detach',
      { policy_id: 'x', enabled: true },
      "Additional properties are not allowed ('enabled' was unexpected)",
    ],
    ['policy_update', {}, "'policy_id' is a required property"],
    ['policy_update', { policy_id: 'POLICY_ID', enabled: 'not-bool' }, NOT_BOOL],
  ])('validates %s %j before the lookup', async (name, data, message) => {
    expect400(await act('cluster_id', { [name]: data }), message);
  });

  it.each(['policy_detach', 'policy_update'])(
    'refuses %s of a policy that cannot be found',
    async (name) => {
      const cluster = await activeCluster();
      expect400(
        await act(cluster.id, { [name]: { policy_id: '7528bfa5-2106-459a-9ece-f201498b3ace' } }),
        "The specified policy '7528bfa5-2106-459a-9ece-f201498b3ace' could not be found.",
      );
    },
  );

  it.each(['policy_detach', 'policy_update'])(
    'refuses %s of a policy that is not attached, naming both as given',
    async (name) => {
      const cluster = await activeCluster(`unbound-${name}`);
      const policy = await createPolicy(`loose-${name}`);
      expect400(
        await act(`unbound-${name}`, { [name]: { policy_id: policy.id } }),
        `The policy '${policy.id}' is not attached to the specified cluster 'unbound-${name}'.`,
      );
      expect(cluster.policies).toEqual([]);
    },
  );

  it('queues CLUSTER_DETACH_POLICY for an attached policy', async () => {
    const cluster = await activeCluster();
    const policy = await createPolicy('detach-me');
    await bind(cluster.id, policy.id);
    const res = await act(cluster.id, { policy_detach: { policy_id: 'detach-me' } });
    expect(res.statusCode).toBe(202);
    expect(await getAction(api.db.kysely, res.data.action)).toMatchObject({
      name: `detach_policy_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_DETACH_POLICY',
      inputs: { policy_id: policy.id },
    });
  });

  it('queues CLUSTER_UPDATE_POLICY with enabled only when given', async () => {
    const cluster = await activeCluster();
    const policy = await createPolicy('update-me');
    await bind(cluster.id, policy.id);
    const res = await act(cluster.id, { policy_update: { policy_id: policy.id, enabled: false } });
    expect(await getAction(api.db.kysely, res.data.action)).toMatchObject({
      name: `update_policy_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_UPDATE_POLICY',
      inputs: { policy_id: policy.id, enabled: false },
    });
    await api.db.kysely.updateTable('action').set({ status: 'SUCCEEDED' }).execute();
    const bare = await act(cluster.id, { policy_update: { policy_id: policy.id } });
    expect((await getAction(api.db.kysely, bare.data.action))?.inputs).toEqual({
      policy_id: policy.id,
    });
  });
});

describe('cluster policy list', () => {
  it.each([
    [{ bogus: 'foo' }, 'Invalid parameter bogus'],
    [{ limit: '1' }, 'Invalid parameter limit'],
    [{ global_project: 'true' }, 'Invalid parameter global_project'],
    [{ sort: 'bad-sort' }, "Unsupported sort key 'bad-sort' for 'sort'."],
    [{ enabled: 'bad-enabled' }, "Invalid value 'bad-enabled' specified for 'enabled'"],
    [
      { policy_name: 'a b' },
      'The value for the \'policy_name\' (a b) contains illegal characters. It must contain only alphanumeric or "_-.~" characters and must start with letter.',
    ],
  ])('refuses %j before looking the cluster up', async (query, message) => {
    const res = await api.call(
      'GET',
      '/v1/clusters/7f23de64-60c4-456e-9e24-db86ac89480c/policies',
      {
        query,
      },
    );
    expect400(res, message);
  });

  it('answers 404 for an unknown cluster', async () => {
    const res = await api.call('GET', '/v1/clusters/0259cbac-0fb3-480b-8f23-1ec59616f3af/policies');
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The cluster '0259cbac-0fb3-480b-8f23-1ec59616f3af' could not be found.",
    );
  });

  it('lists the bindings with their names, filtered and sorted as asked', async () => {
    const cluster = await activeCluster('listed');
    const scaling = await createPolicy('scaler');
    const deletion = await createPolicy('deleter', DELETION_SPEC);
    const b1 = await bind(cluster.id, scaling.id, true, 100);
    const b2 = await bind(cluster.id, deletion.id, false, 400);
    const url = `/v1/clusters/${cluster.id}/policies`;
    const all = await api.call('GET', url);
    expect(all.statusCode).toBe(200);
    expect(all.data.cluster_policies.map((b: any) => b.id)).toEqual([b1, b2].sort());
    expect(all.data.cluster_policies.find((b: any) => b.id === b1)).toEqual({
      id: b1,
      cluster_id: cluster.id,
      policy_id: scaling.id,
      enabled: true,
      data: { k: 'v' },
      last_op: '2026-01-02T03:04:05.123000',
      priority: 100,
      cluster_name: 'listed',
      policy_name: 'scaler',
      policy_type: 'senlin.policy.scaling-1.0',
    });
    const ids = async (query: Record<string, string>) =>
      (await api.call('GET', url, { query })).data.cluster_policies.map((b: any) => b.id);
    expect(await ids({ enabled: 'False' })).toEqual([b2]);
    expect(await ids({ policy_type: 'senlin.policy.scaling-1.0' })).toEqual([b1]);
    expect(await ids({ policy_name: 'deleter' })).toEqual([b2]);
    expect(await ids({ sort: 'enabled:desc' })).toEqual([b1, b2]);
    expect(await ids({ sort: 'enabled' })).toEqual([b2, b1]);
  });
});

describe('cluster policy show', () => {
  it('shows the binding of an attached policy', async () => {
    const cluster = await activeCluster('shown');
    const policy = await createPolicy('shown-policy');
    const binding = await bind(cluster.id, policy.id);
    const res = await api.call('GET', `/v1/clusters/shown/policies/${policy.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.data.cluster_policy).toMatchObject({
      id: binding,
      cluster_id: cluster.id,
      policy_id: policy.id,
      cluster_name: 'shown',
      policy_name: 'shown-policy',
    });
  });

  it('answers 404 for an unknown cluster, then an unknown policy, then a missing binding', async () => {
    const missing = await api.call(
      'GET',
      '/v1/clusters/965d7324-e3f7-4d77-8e7f-44c862b851f7/policies/POLICY_ID',
    );
    expect(missing.statusCode).toBe(404);
    expect(errorMessage(missing)).toBe(
      "The cluster '965d7324-e3f7-4d77-8e7f-44c862b851f7' could not be found.",
    );
    const cluster = await activeCluster();
    const noPolicy = await api.call('GET', `/v1/clusters/${cluster.id}/policies/fake_policy`);
    expect(noPolicy.statusCode).toBe(404);
    expect(errorMessage(noPolicy)).toBe("The policy 'fake_policy' could not be found.");
    const policy = await createPolicy('unattached');
    const unbound = await api.call('GET', `/v1/clusters/${cluster.id}/policies/${policy.id}`);
    expect(unbound.statusCode).toBe(404);
    expect(errorMessage(unbound)).toBe(
      `The policy '${policy.id}' is not found attached to the specified cluster '${cluster.id}'.`,
    );
  });

  it('answers 400 when the policy name is ambiguous', async () => {
    const cluster = await activeCluster();
    await bind(cluster.id, (await createPolicy('test-policy')).id);
    await bind(cluster.id, (await createPolicy('test-policy', DELETION_SPEC)).id);
    const res = await api.call('GET', `/v1/clusters/${cluster.id}/policies/test-policy`);
    expect400(
      res,
      "Multiple results found matching the query criteria 'test-policy'. Please be more specific.",
    );
  });
});
