import { describe, expect, it } from 'vitest';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, SCALING_SPEC, startApi } from './harness.js';

let clock = Date.parse('2026-01-01T00:00:00Z');
const api = await startApi({ now: () => new Date(clock) });

const HEAT_SPEC = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
};

async function make(name: string, spec: unknown = NOVA_SPEC, as = DEMO) {
  clock += 3_600_000; // one hour apart
  const res = await api.call('POST', '/v1/profiles', { body: { profile: { name, spec } }, as });
  expect(res.statusCode).toBe(201);
  return res.data.profile;
}

const created = [
  await make('alpha'),
  await make('bravo', HEAT_SPEC),
  await make('charlie'),
  await make('delta', HEAT_SPEC),
  await make('echo'),
];
const other = await make('foxtrot', NOVA_SPEC, ALT);

async function names(
  query: Record<string, string | string[]>,
  version = 'latest',
  as = DEMO,
): Promise<string[]> {
  const res = await api.call('GET', '/v1/profiles', { query, version, as });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(200);
  return res.data.profiles.map((p: any) => p.name);
}

describe('list basics', () => {
  it("lists the project's objects in creation order by default", async () => {
    expect(await names({})).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  });

  it('shows admins every project without global_project', async () => {
    expect(await names({}, 'latest', ADMIN)).toContain('foxtrot');
    expect(await names({ global_project: 'true' }, 'latest', ADMIN)).toContain('foxtrot');
  });

  it('refuses global_project=true from a member with 403', async () => {
    const res = await api.call('GET', '/v1/profiles', { query: { global_project: 'True' } });
    expect(res.statusCode).toBe(403);
    expect(errorMessage(res)).toBe('You are not authorized to complete this operation.');
  });

  it('accepts global_project=false from a member', async () => {
    expect(await names({ global_project: 'FALSE' })).toHaveLength(5);
  });

  it.each([
    [{ bogus: 'foo' }, 'Invalid parameter bogus'],
    [{ limit: 'not-int' }, "The value for limit must be an integer: 'not-int'."],
    [{ limit: '-1' }, "Value must be >= 0 for field 'limit'."],
    [{ global_project: 'not-bool' }, "Invalid value 'not-bool' specified for 'global_project'"],
    [{ global_project: 'yes' }, "Invalid value 'yes' specified for 'global_project'"],
    [{ sort: 'bad-sort' }, "Unsupported sort key 'bad-sort' for 'sort'."],
    [{ sort: 'name:up' }, "Unsupported sort dir 'up' for 'sort'."],
    [{ marker: 'bad-marker' }, "The value for marker is not a valid UUID: 'bad-marker'."],
  ])('refuses %j with 400: %s', async (query, message) => {
    const res = await api.call('GET', '/v1/profiles', { query });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('rejects parameters before the project check', async () => {
    const res = await api.call('GET', '/v1/profiles', {
      query: { global_project: 'true', limit: 'x' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('pagination and sorting', () => {
  it('returns nothing for limit=0 and everything without limit', async () => {
    expect(await names({ limit: '0' })).toEqual([]);
    expect(await names({})).toHaveLength(5);
  });

  it('pages with limit and marker in sort order', async () => {
    const first = await names({ limit: '2' });
    expect(first).toEqual(['alpha', 'bravo']);
    const bravo = created[1].id;
    expect(await names({ limit: '2', marker: bravo })).toEqual(['charlie', 'delta']);
    expect(await names({ limit: '2', marker: created[3].id })).toEqual(['echo']);
  });

  it('pages in a descending order after the marker', async () => {
    expect(await names({ sort: 'name:desc', limit: '2', marker: created[3].id })).toEqual([
      'charlie',
      'bravo',
    ]);
  });

  it('ignores a well-formed marker that does not exist', async () => {
    expect(await names({ limit: '2', marker: '00000000-0000-4000-8000-000000000000' })).toEqual([
      'alpha',
      'bravo',
    ]);
  });

  it('takes the last occurrence of single-valued parameters', async () => {
    expect(await names({ limit: ['1', '3'] })).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('sorts by several keys and directions', async () => {
    expect(await names({ sort: 'type:desc,name:asc' })).toEqual([
      'alpha',
      'charlie',
      'echo',
      'bravo',
      'delta',
    ]);
    expect(await names({ sort: 'type,name:desc' })).toEqual([
      'delta',
      'bravo',
      'echo',
      'charlie',
      'alpha',
    ]);
  });

  it('sorts NULLs first ascending and last descending', async () => {
    await api.call('PATCH', `/v1/profiles/${created[2].id}`, {
      body: { profile: { name: 'charlie2' } },
    });
    try {
      // Rows with the same (NULL) updated_at are ordered by id.
      const nullsById = created
        .filter((_p, i) => i !== 2)
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((p) => p.name);
      expect(await names({ sort: 'updated_at' })).toEqual([...nullsById, 'charlie2']);
      expect(await names({ sort: 'updated_at:desc' })).toEqual(['charlie2', ...nullsById]);
      // keyset pagination across the NULL boundary, both ways
      expect(await names({ sort: 'updated_at:desc', limit: '2', marker: created[2].id })).toEqual(
        nullsById.slice(0, 2),
      );
      const lastNull = created.find((p) => p.name === nullsById[3]);
      expect(await names({ sort: 'updated_at', limit: '2', marker: lastNull.id })).toEqual([
        'charlie2',
      ]);
      const firstNull = created.find((p) => p.name === nullsById[0]);
      expect(await names({ sort: 'updated_at', limit: '2', marker: firstNull.id })).toEqual(
        nullsById.slice(1, 3),
      );
    } finally {
      await api.call('PATCH', `/v1/profiles/${created[2].id}`, {
        body: { profile: { name: 'charlie' } },
      });
    }
  });
});

describe('exact filters (upstream, microversion 1.14 and below)', () => {
  it('matches exactly and ORs repeated values of one key', async () => {
    expect(await names({ name: 'alpha' }, '1.14')).toEqual(['alpha']);
    expect(await names({ name: ['alpha', 'echo'] }, '1.14')).toEqual(['alpha', 'echo']);
    expect(await names({ name: 'alph' }, '1.14')).toEqual([]);
  });

  it('ANDs different keys', async () => {
    expect(await names({ type: 'os.heat.stack-1.0', name: ['alpha', 'bravo'] }, '1.14')).toEqual([
      'bravo',
    ]);
  });

  it('treats operator syntax as a literal value and rejects unknown keys', async () => {
    expect(await names({ name: 'in:alpha,echo' }, '1.14')).toEqual([]);
    const res = await api.call('GET', '/v1/profiles', {
      query: { created_at: 'gte:2026-01-01' },
      version: '1.14',
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe('Invalid parameter created_at');
  });
});

describe('advanced filters (microversion 1.15)', () => {
  it('supports in and nin', async () => {
    expect(await names({ name: 'in:alpha,echo,zulu' })).toEqual(['alpha', 'echo']);
    expect(await names({ name: 'nin:alpha,echo' })).toEqual(['bravo', 'charlie', 'delta']);
  });

  it('supports eq and neq', async () => {
    expect(await names({ type: 'eq:os.heat.stack-1.0' })).toEqual(['bravo', 'delta']);
    expect(await names({ type: 'neq:os.heat.stack-1.0' })).toEqual(['alpha', 'charlie', 'echo']);
  });

  it('supports gt, gte, lt and lte on times and combines conditions with AND', async () => {
    // created at 01:00, 02:00, 03:00, 04:00, 05:00 on 2026-01-01
    expect(await names({ created_at: 'gt:2026-01-01T02:00:00Z' })).toEqual([
      'charlie',
      'delta',
      'echo',
    ]);
    expect(await names({ created_at: 'gte:2026-01-01T02:00:00Z' })).toEqual([
      'bravo',
      'charlie',
      'delta',
      'echo',
    ]);
    expect(await names({ created_at: 'lt:2026-01-01T02:00:00Z' })).toEqual(['alpha']);
    expect(await names({ created_at: 'lte:2026-01-01T02:00:00+00:00' })).toEqual([
      'alpha',
      'bravo',
    ]);
    expect(
      await names({ created_at: ['gte:2026-01-01T02:00:00Z', 'lt:2026-01-01T04:00:00Z'] }),
    ).toEqual(['bravo', 'charlie']);
    expect(
      await names({ created_at: 'gte:2026-01-01T03:00:00Z', type: 'os.heat.stack-1.0' }),
    ).toEqual(['delta']);
  });

  it('accepts dates without a time and times with an offset', async () => {
    expect(await names({ created_at: 'gte:2026-01-02' })).toEqual([]);
    expect(await names({ created_at: 'lt:2026-01-01T04:00:00+01:00' })).toEqual(['alpha', 'bravo']);
  });

  it('keeps plain repeated values as an OR next to operators', async () => {
    expect(await names({ name: ['alpha', 'bravo', 'neq:alpha'] })).toEqual(['bravo']);
  });

  it('treats null columns as different in neq and nin', async () => {
    expect(await names({ updated_at: 'neq:2026-01-01T00:00:00Z' })).toHaveLength(5);
  });

  it.each([
    [
      { name: 'like:alp' },
      "Invalid filter operator 'like' for parameter 'name'; supported operators are: eq, neq, in, nin, gt, gte, lt, lte.",
    ],
    [
      { created_at: 'gte:yesterday' },
      "Invalid value 'yesterday' for parameter 'created_at': an ISO 8601 date and time is expected.",
    ],
    [
      { created_at: 'yesterday' },
      "Invalid value 'yesterday' for parameter 'created_at': an ISO 8601 date and time is expected.",
    ],
    [{ name: 'gt:alpha' }, "Filter operator 'gt' is not supported for parameter 'name'."],
  ])('refuses %j with a 400 naming the parameter', async (query, message) => {
    const res = await api.call('GET', '/v1/profiles', { query });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('applies to policies too', async () => {
    for (const name of ['pa', 'pb']) {
      await api.call('POST', '/v1/policies', { body: { policy: { name, spec: SCALING_SPEC } } });
    }
    const res = await api.call('GET', '/v1/policies', { query: { name: 'nin:pa' } });
    expect(res.data.policies.map((p: any) => p.name)).toEqual(['pb']);
  });

  it("still scopes advanced filters to the caller's project", async () => {
    expect(await names({ name: `in:alpha,${other.name}` })).toEqual(['alpha']);
  });
});
