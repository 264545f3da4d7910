import { describe, expect, it } from 'vitest';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();

async function createProfile(name: string, extra: Record<string, unknown> = {}, as = DEMO) {
  const res = await api.call('POST', '/v1/profiles', {
    body: { profile: { name, spec: NOVA_SPEC, ...extra } },
    as,
  });
  expect(res.statusCode).toBe(201);
  return res.data.profile;
}

describe('profile create', () => {
  it('stores the profile and answers 201 with the upstream shape', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'test-profile', spec: NOVA_SPEC, metadata: { foo: 'bar' } } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBeUndefined();
    const p = res.data.profile;
    expect(Object.keys(p).sort()).toEqual(
      [
        'created_at',
        'domain',
        'id',
        'metadata',
        'name',
        'project',
        'spec',
        'type',
        'updated_at',
        'user',
      ].sort(),
    );
    expect(p).toMatchObject({
      name: 'test-profile',
      type: 'os.nova.server-1.0',
      spec: NOVA_SPEC,
      metadata: { foo: 'bar' },
      user: 'demo-user',
      project: 'demo',
      updated_at: null,
    });
    expect(p.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const shown = await api.call('GET', `/v1/profiles/${p.id}`);
    expect(shown.data.profile).toEqual(p);
  });

  it('defaults metadata to an empty object', async () => {
    const p = await createProfile('no-meta');
    expect(p.metadata).toEqual({});
  });

  it.each([
    [{ profile: { name: 'test-profile' } }, "'spec' is a required property"],
    [{ profile: { spec: NOVA_SPEC } }, "'name' is a required property"],
    [
      { profile: { name: 'bar', spec: {}, boo: 'foo' } },
      "Additional properties are not allowed ('boo' was unexpected)",
    ],
    [{ profil: { name: 'x', spec: NOVA_SPEC } }, "Request body missing 'profile' key."],
    [
      { profile: { name: 'x'.repeat(256), spec: NOVA_SPEC } },
      'The value for the name field must be less than 255 characters long.',
    ],
    [
      { profile: { name: '', spec: NOVA_SPEC } },
      'The value for the name field must be at least 1 characters long.',
    ],
    [
      { profile: { name: 'a b', spec: NOVA_SPEC } },
      'The value for the \'name\' (a b) contains illegal characters. It must contain only alphanumeric or "_-.~" characters and must start with letter.',
    ],
    [{ profile: { name: 'x', spec: 'not json' } }, 'The value (not json) is not a valid JSON.'],
    [{ profile: { name: 'x', spec: '[1]' } }, "'[1]' is not of type 'object'"],
    [{ profile: { name: 'x', spec: NOVA_SPEC, metadata: 5 } }, "5 is not of type 'object', 'null'"],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/profiles', { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers a name that is not a string with the generic 400', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 5, spec: NOVA_SPEC } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toMatch(/could not comply/);
  });

  it('answers an unknown profile type with 404', async () => {
    const spec = { ...NOVA_SPEC, type: 'senlin.profile.bogus' };
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'test-profile', spec } },
    });
    expect(res.statusCode).toBe(404);
    expect(res.data.error.type).toBe('ResourceNotFound');
    expect(errorMessage(res)).toBe(
      "The profile_type 'senlin.profile.bogus-1.0' could not be found.",
    );
  });

  it('answers a spec that fails validation with 400 InvalidSpec naming the profile', async () => {
    const spec = { ...NOVA_SPEC, properties: { ...NOVA_SPEC.properties, bogus: 'foo' } };
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'test-profile', spec } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('InvalidSpec');
    expect(errorMessage(res)).toBe(
      "Failed in creating profile test-profile: Unrecognizable spec item 'bogus'",
    );
  });

  it('answers a spec without type with 400, not 500', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'p', spec: { version: '1.0', properties: {} } } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toContain("The 'type' key is missing from the provided spec map.");
  });

  it('stores nothing when validation fails', async () => {
    const before = (await api.call('GET', '/v1/profiles')).data.profiles.length;
    await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'bad', spec: { ...NOVA_SPEC, properties: {} } } },
    });
    const after = (await api.call('GET', '/v1/profiles')).data.profiles.length;
    expect(after).toBe(before);
  });

  it('refuses duplicate names only when name_unique is set', async () => {
    const strict = await startApi({ config: { DEFAULT: { name_unique: true } } });
    const body = { profile: { name: 'dup', spec: NOVA_SPEC } };
    expect((await strict.call('POST', '/v1/profiles', { body })).statusCode).toBe(201);
    const second = await strict.call('POST', '/v1/profiles', { body });
    expect(second.statusCode).toBe(400);
    expect(errorMessage(second)).toBe("A profile named 'dup' already exists.");
    expect((await strict.call('POST', '/v1/profiles', { body, as: ALT })).statusCode).toBe(201);
  });
});

describe('profile checks against the cloud', () => {
  const withProps = (props: Record<string, unknown>) => ({
    ...NOVA_SPEC,
    properties: { ...NOVA_SPEC.properties, ...props },
  });

  it.each([
    [{ flavor: 'm1.enormous' }, "The specified flavor 'm1.enormous' could not be found."],
    [{ image: 'no-such-image' }, "The specified image 'no-such-image' could not be found."],
    [{ key_name: 'nokey' }, "The specified key_name 'nokey' could not be found."],
    [{ networks: [{ network: 'nowhere' }] }, 'The specified network nowhere could not be found.'],
  ])('refuses to create a profile with %j and stores nothing', async (props, reason) => {
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'cloud-bad', spec: withProps(props) } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('InvalidSpec');
    expect(errorMessage(res)).toBe(`Failed in creating profile cloud-bad: ${reason}`);
    const list = await api.call('GET', '/v1/profiles', { query: { name: 'cloud-bad' } });
    expect(list.data.profiles).toEqual([]);
  });

  it('gives the bare reason when validating', async () => {
    const res = await api.call('POST', '/v1/profiles/validate', {
      version: '1.2',
      body: { profile: { spec: withProps({ flavor: 'm1.enormous' }) } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("The specified flavor 'm1.enormous' could not be found.");
  });

  it('refuses a Heat template that Heat would not preview', async () => {
    const spec = { type: 'os.heat.stack', version: '1.0', properties: { template: { a: 1 } } };
    const res = await api.call('POST', '/v1/profiles', {
      body: { profile: { name: 'bad-stack', spec } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toMatch(/^Failed in creating profile bad-stack: .*template/i);
  });
});

describe('profile validate', () => {
  it('returns an unsaved profile named validated_profile at 1.2', async () => {
    const res = await api.call('POST', '/v1/profiles/validate', {
      version: '1.2',
      body: { profile: { spec: NOVA_SPEC } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.profile).toMatchObject({
      id: null,
      name: 'validated_profile',
      type: 'os.nova.server-1.0',
      spec: NOVA_SPEC,
      metadata: null,
      created_at: null,
      updated_at: null,
      user: 'demo-user',
      project: 'demo',
    });
    const list = await api.call('GET', '/v1/profiles', { query: { name: 'validated_profile' } });
    expect(list.data.profiles).toEqual([]);
  });

  it('is not served below 1.2', async () => {
    const res = await api.call('POST', '/v1/profiles/validate', {
      version: '1.1',
      body: { profile: { spec: NOVA_SPEC } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("API version '1.1' is not supported on this method.");
  });

  it.each([
    [{}, "Request body missing 'profile' key."],
    [{ profile: {} }, "'spec' is a required property"],
    [
      { profile: { spec: NOVA_SPEC, name: 'x' } },
      "Additional properties are not allowed ('name' was unexpected)",
    ],
    [
      { profile: { spec: { ...NOVA_SPEC, properties: { ...NOVA_SPEC.properties, bogus: 1 } } } },
      "Unrecognizable spec item 'bogus'",
    ],
  ])('refuses %j with 400: %s', async (body, message) => {
    const res = await api.call('POST', '/v1/profiles/validate', { version: '1.2', body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('answers an unknown type with 404', async () => {
    const res = await api.call('POST', '/v1/profiles/validate', {
      version: '1.2',
      body: { profile: { spec: { ...NOVA_SPEC, type: 'senlin.profile.bogus' } } },
    });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The profile_type 'senlin.profile.bogus-1.0' could not be found.",
    );
  });
});

describe('profile show and find', () => {
  it('finds a profile by id, name and short id', async () => {
    const p = await createProfile('findme');
    for (const identity of [p.id, 'findme', p.id.slice(0, 8)]) {
      const res = await api.call('GET', `/v1/profiles/${identity}`);
      expect(res.statusCode).toBe(200);
      expect(res.data.profile.id).toBe(p.id);
    }
  });

  it('answers an ambiguous name with 400 MultipleChoices', async () => {
    await createProfile('p-01');
    await createProfile('p-01');
    const res = await api.call('GET', '/v1/profiles/p-01');
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('MultipleChoices');
    expect(errorMessage(res)).toBe(
      "Multiple results found matching the query criteria 'p-01'. Please be more specific.",
    );
  });

  it('answers an unknown profile with 404', async () => {
    const res = await api.call('GET', '/v1/profiles/887aa1a5-e623-4b49-bdba-e62366b8b636');
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The profile '887aa1a5-e623-4b49-bdba-e62366b8b636' could not be found.",
    );
  });

  it('hides profiles of other projects from members but shows them to admins', async () => {
    const p = await createProfile('private-one', {}, ALT);
    expect((await api.call('GET', `/v1/profiles/${p.id}`, { as: DEMO })).statusCode).toBe(404);
    expect((await api.call('GET', '/v1/profiles/private-one', { as: DEMO })).statusCode).toBe(404);
    expect((await api.call('GET', `/v1/profiles/${p.id}`, { as: ADMIN })).statusCode).toBe(200);
  });
});

describe('profile update', () => {
  it('renames and replaces metadata', async () => {
    const p = await createProfile('before');
    const res = await api.call('PATCH', `/v1/profiles/${p.id}`, {
      body: { profile: { name: 'updated-profile-name', metadata: { bar: 'foo' } } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.profile).toMatchObject({
      id: p.id,
      name: 'updated-profile-name',
      metadata: { bar: 'foo' },
    });
    expect(res.data.profile.updated_at).toMatch(/Z$/);
    expect((await api.call('GET', `/v1/profiles/${p.id}`)).data.profile.name).toBe(
      'updated-profile-name',
    );
  });

  it('applies null metadata but ignores a null name', async () => {
    const p = await createProfile('nulls', { metadata: { a: 1 } });
    const res = await api.call('PATCH', `/v1/profiles/${p.id}`, {
      body: { profile: { name: null, metadata: null } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.profile).toMatchObject({ name: 'nulls', metadata: null });
  });

  it('refuses an update that changes nothing', async () => {
    const p = await createProfile('same');
    for (const body of [
      { profile: {} },
      { profile: { name: 'same' } },
      { profile: { metadata: {} } },
    ]) {
      const res = await api.call('PATCH', `/v1/profiles/${p.id}`, { body });
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe('No property needs an update.');
    }
  });

  it('checks the wrapper before looking the profile up', async () => {
    const res = await api.call('PATCH', '/v1/profiles/5fe90195-aaed-4c1f-a73a-806b3f044bf8', {
      body: {},
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      "Malformed request data, missing 'profile' key in request body.",
    );
  });

  it('refuses the spec as not updatable', async () => {
    const p = await createProfile('fixed');
    const res = await api.call('PATCH', `/v1/profiles/${p.id}`, {
      body: { profile: { name: 'new-name', spec: { k1: 'v1' } } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toContain('Additional properties are not allowed');
  });

  it('answers an unknown profile with 404', async () => {
    const res = await api.call('PATCH', '/v1/profiles/5fe90195-aaed-4c1f-a73a-806b3f044bf8', {
      body: { profile: { name: 'new-name' } },
    });
    expect(res.statusCode).toBe(404);
  });
});

describe('profile delete', () => {
  it('deletes with 204 and an empty body', async () => {
    const p = await createProfile('doomed');
    const res = await api.call('DELETE', `/v1/profiles/${p.id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['openstack-api-version']).toBeUndefined();
    expect((await api.call('GET', `/v1/profiles/${p.id}`)).statusCode).toBe(404);
  });

  it('refuses to delete a profile a cluster uses', async () => {
    const p = await createProfile('in-use');
    await api.db.kysely
      .insertInto('cluster')
      .values({
        id: '11111111-1111-4111-8111-111111111111',
        name: 'c',
        profile_id: p.id,
        user: 'u',
        project: 'demo',
      })
      .execute();
    const res = await api.call('DELETE', `/v1/profiles/in-use`);
    expect(res.statusCode).toBe(409);
    expect(res.data.error.type).toBe('ResourceInUse');
    expect(errorMessage(res)).toBe(
      `The profile '${p.id}' cannot be deleted: still referenced by some clusters and/or nodes.`,
    );
    expect((await api.call('GET', `/v1/profiles/${p.id}`)).statusCode).toBe(200);
  });

  it('answers unknown and ambiguous identities with 404 and 400', async () => {
    expect(
      (await api.call('DELETE', '/v1/profiles/b6e7911d-5f65-4ec6-a08b-b88809fe2b9e')).statusCode,
    ).toBe(404);
    await createProfile('twin');
    await createProfile('twin');
    expect((await api.call('DELETE', '/v1/profiles/twin')).statusCode).toBe(400);
  });
});
