import { describe, expect, it } from 'vitest';
import { ADMIN, ALT, DEMO, errorMessage, SCALING_SPEC, startApi } from './harness.js';

const api = await startApi();

async function createPolicy(name: string, as = DEMO, spec: unknown = SCALING_SPEC) {
  const res = await api.call('POST', '/v1/policies', { body: { policy: { name, spec } }, as });
  expect(res.statusCode).toBe(201);
  return res.data.policy;
}

describe('policy create', () => {
  it('stores the policy and answers 201 with the upstream shape', async () => {
    const res = await api.call('POST', '/v1/policies', {
      body: { policy: { name: 'test-scaling-policy', spec: SCALING_SPEC } },
    });
    expect(res.statusCode).toBe(201);
    const p = res.data.policy;
    expect(Object.keys(p).sort()).toEqual(
      [
        'created_at',
        'data',
        'domain',
        'id',
        'name',
        'project',
        'spec',
        'type',
        'updated_at',
        'user',
      ].sort(),
    );
    expect(p).toMatchObject({
      type: 'senlin.policy.scaling-1.0',
      spec: SCALING_SPEC,
      data: {},
      updated_at: null,
    });
    expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    expect((await api.call('GET', `/v1/policies/${p.id}`)).data.policy).toEqual(p);
  });

  it.each([
    [{ policy: { name: 'test-policy' } }, "'spec' is a required property"],
    [{ policy: { spec: SCALING_SPEC } }, "'name' is a required property"],
    [
      { policy: { name: 'bar', spec: {}, boo: 'foo' } },
      "Additional properties are not allowed ('boo' was unexpected)",
    ],
    [{ policies: {} }, "Request body missing 'policy' key."],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/policies', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers an unknown policy type with 404', async () => {
    const res = await api.call('POST', '/v1/policies', {
      body: {
        policy: { name: 'test-policy', spec: { ...SCALING_SPEC, type: 'senlin.policy.bogus' } },
      },
    });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe("The policy_type 'senlin.policy.bogus-1.0' could not be found.");
  });

  it('answers a spec with an unknown property with 400 InvalidSpec (upstream: 500)', async () => {
    const spec = { ...SCALING_SPEC, properties: { ...SCALING_SPEC.properties, bogus: 'foo' } };
    const res = await api.call('POST', '/v1/policies', {
      body: { policy: { name: 'test-policy', spec } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('InvalidSpec');
    expect(errorMessage(res)).toBe("Unrecognizable spec item 'bogus'");
  });

  it('answers a semantically invalid spec with 400 InvalidSpec', async () => {
    const spec = {
      type: 'senlin.policy.health',
      version: '1.1',
      properties: {
        detection: { interval: 10, detection_modes: [{ type: 'NODE_STATUS_POLLING' }] },
        recovery: { actions: [{ name: 'RECREATE' }] },
      },
    };
    const res = await api.call('POST', '/v1/policies', { body: { policy: { name: 'hp', spec } } });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('InvalidSpec');
    expect(errorMessage(res)).toMatch(/interval/);
  });

  it('stores nothing when validation fails', async () => {
    const spec = { ...SCALING_SPEC, properties: { bogus: 1 } };
    await api.call('POST', '/v1/policies', { body: { policy: { name: 'never-stored', spec } } });
    const list = await api.call('GET', '/v1/policies', { query: { name: 'never-stored' } });
    expect(list.data.policies).toEqual([]);
  });
});

describe('policy validate', () => {
  it('returns an unsaved policy named validated_policy', async () => {
    const res = await api.call('POST', '/v1/policies/validate', {
      version: '1.2',
      body: { policy: { spec: SCALING_SPEC } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.policy).toMatchObject({
      id: null,
      name: 'validated_policy',
      type: 'senlin.policy.scaling-1.0',
      created_at: null,
      updated_at: null,
    });
  });

  it.each([
    [{}, 400, "Request body missing 'policy' key."],
    [{ policy: {} }, 400, "'spec' is a required property"],
    [
      { policy: { spec: { ...SCALING_SPEC, type: 'senlin.policy.bogus' } } },
      404,
      "The policy_type 'senlin.policy.bogus-1.0' could not be found.",
    ],
    [
      {
        policy: { spec: { ...SCALING_SPEC, properties: { ...SCALING_SPEC.properties, bogus: 1 } } },
      },
      400,
      "Unrecognizable spec item 'bogus'",
    ],
    [
      { policy: { spec: { ...SCALING_SPEC, properties: { bogus: 1 } } } },
      400,
      "Required spec item 'event' not provided",
    ],
  ])('refuses %j with %i: %s', async (body, status, message) => {
    const res = await api.call('POST', '/v1/policies/validate', { version: '1.2', body });
    expect(res.statusCode).toBe(status);
    expect(errorMessage(res)).toBe(message);
  });
});

describe('policy show, update and delete', () => {
  it('finds by name and short id and hides other projects', async () => {
    const p = await createPolicy('pol-find');
    expect((await api.call('GET', '/v1/policies/pol-find')).data.policy.id).toBe(p.id);
    expect((await api.call('GET', `/v1/policies/${p.id.slice(0, 6)}`)).data.policy.id).toBe(p.id);
    expect((await api.call('GET', `/v1/policies/${p.id}`, { as: ALT })).statusCode).toBe(404);
    expect((await api.call('GET', `/v1/policies/${p.id}`, { as: ADMIN })).statusCode).toBe(200);
  });

  it('answers an ambiguous name with 400', async () => {
    await createPolicy('pp-01');
    await createPolicy('pp-01');
    const res = await api.call('GET', '/v1/policies/pp-01');
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'pp-01'. Please be more specific.",
    );
  });

  it('renames a policy', async () => {
    const p = await createPolicy('old-name');
    const res = await api.call('PATCH', `/v1/policies/${p.id}`, {
      body: { policy: { name: 'updated-policy-name' } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.policy).toMatchObject({ id: p.id, name: 'updated-policy-name' });
    expect(res.data.policy.updated_at).toMatch(/\.\d{6}$/);
  });

  it.each([
    [{}, "Malformed request data, missing 'policy' key in request body."],
    [{ policy: {} }, "'name' is a required property"],
    [{ policy: { name: 'foo', spec: {}, boo: 'bar' } }, 'Additional properties are not allowed'],
  ])('refuses update body %j', async (body, message) => {
    const p = await createPolicy('upd-target');
    const res = await api.call('PATCH', `/v1/policies/${p.id}`, { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toContain(message);
  });

  it('refuses a rename to the same name', async () => {
    const p = await createPolicy('same-name');
    const res = await api.call('PATCH', `/v1/policies/${p.id}`, {
      body: { policy: { name: 'same-name' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('No property needs an update.');
  });

  it('answers update of an unknown policy with 404', async () => {
    const res = await api.call('PATCH', '/v1/policies/5df90d82-9889-4c6f-824c-30272bcfa767', {
      body: { policy: { name: 'new-name' } },
    });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The policy '5df90d82-9889-4c6f-824c-30272bcfa767' could not be found.",
    );
  });

  it('deletes with 204', async () => {
    const p = await createPolicy('to-delete');
    const res = await api.call('DELETE', `/v1/policies/${p.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await api.call('GET', `/v1/policies/${p.id}`)).statusCode).toBe(404);
  });

  it('refuses to delete an attached policy with 409', async () => {
    const p = await createPolicy('attached');
    const prof = await api.call('POST', '/v1/profiles', {
      body: {
        profile: {
          name: 'pp',
          spec: {
            type: 'os.heat.stack',
            version: '1.0',
            properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
          },
        },
      },
    });
    const clusterId = '22222222-2222-4222-8222-222222222222';
    await api.db.kysely
      .insertInto('cluster')
      .values({
        id: clusterId,
        name: 'c',
        profile_id: prof.data.profile.id,
        user: 'u',
        project: 'demo',
      })
      .execute();
    await api.db.kysely
      .insertInto('cluster_policy')
      .values({
        id: '33333333-3333-4333-8333-333333333333',
        cluster_id: clusterId,
        policy_id: p.id,
        enabled: 1,
      })
      .execute();
    const res = await api.call('DELETE', `/v1/policies/${p.id}`);
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(
      `The policy '${p.id}' cannot be deleted: still attached to some clusters.`,
    );
  });

  it('answers delete of unknown and ambiguous policies with 404 and 400', async () => {
    expect(
      (await api.call('DELETE', '/v1/policies/5591416f-4646-46c2-83b4-231e72aa4bfe')).statusCode,
    ).toBe(404);
    await createPolicy('pd-01');
    await createPolicy('pd-01');
    expect((await api.call('DELETE', '/v1/policies/pd-01')).statusCode).toBe(400);
  });
});
