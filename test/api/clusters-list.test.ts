import { describe, expect, it } from 'vitest';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

let clock = Date.parse('2026-01-01T00:00:00Z');
const api = await startApi({ now: () => new Date(clock) });

const profile = (
  await api.call('POST', '/v1/profiles', { body: { profile: { name: 'p', spec: NOVA_SPEC } } })
).data.profile;
const altProfile = (
  await api.call('POST', '/v1/profiles', {
    body: { profile: { name: 'p', spec: NOVA_SPEC } },
    as: ALT,
  })
).data.profile;

async function make(name: string, status: string, as = DEMO) {
  clock += 3_600_000; // one hour apart
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name, profile_id: as === ALT ? altProfile.id : profile.id } },
    as,
  });
  expect(res.statusCode).toBe(202);
  await api.db.kysely
    .updateTable('cluster')
    .set({ status })
    .where('id', '=', res.data.cluster.id)
    .execute();
  return res.data.cluster;
}

const created = [
  await make('delta', 'ACTIVE'),
  await make('alpha', 'ERROR'),
  await make('charlie', 'ACTIVE'),
  await make('bravo', 'WARNING'),
];
await make('foreign', 'ACTIVE', ALT);

async function names(
  query: Record<string, string | string[]>,
  version = 'latest',
  as = DEMO,
): Promise<string[]> {
  const res = await api.call('GET', '/v1/clusters', { query, version, as });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(200);
  return res.data.clusters.map((c: any) => c.name);
}

describe('cluster list', () => {
  it("lists the project's clusters in init_at order with the full cluster shape", async () => {
    const res = await api.call('GET', '/v1/clusters');
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.data)).toEqual(['clusters']);
    expect(res.data.clusters.map((c: any) => c.id)).toEqual(created.map((c) => c.id));
    expect(res.data.clusters[0]).toMatchObject({
      ...created[0],
      status: 'ACTIVE',
    });
  });

  it('shows admins every project', async () => {
    expect(await names({}, 'latest', ADMIN)).toContain('foreign');
  });

  it.each([
    [{ bogus: 'foo' }, "Invalid parameter 'bogus'"],
    [{ limit: 'not-int' }, "The value for limit must be an integer: 'not-int'."],
    [{ global_project: 'not-bool' }, "Invalid value 'not-bool' specified for 'global_project'"],
    [{ sort: 'bad-sort' }, "Unsupported sort key 'bad-sort' for 'sort'."],
    [{ marker: 'bad-marker' }, "The value for marker is not a valid UUID: 'bad-marker'."],
    [{ status: "['bad-status']" }, "Field value ['bad-status'] is invalid"],
  ])('refuses %j with 400: %s', async (query, message) => {
    const res = await api.call('GET', '/v1/clusters', { query });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(message);
  });

  it('refuses global_project=true from a member with 403', async () => {
    const res = await api.call('GET', '/v1/clusters', { query: { global_project: 'True' } });
    expect(res.statusCode).toBe(403);
    expect(errorMessage(res)).toBe('You are not authorized to complete this operation.');
  });

  it('filters by name and status (values OR-ed, keys AND-ed)', async () => {
    expect(await names({ name: ['alpha', 'bravo'] })).toEqual(['alpha', 'bravo']);
    expect(await names({ status: 'ACTIVE' })).toEqual(['delta', 'charlie']);
    expect(await names({ status: 'ACTIVE', name: 'charlie' })).toEqual(['charlie']);
  });

  it('sorts by the allowed keys and pages with limit and marker', async () => {
    expect(await names({ sort: 'name' })).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    expect(await names({ sort: 'status:desc,name' })).toEqual([
      'bravo',
      'alpha',
      'charlie',
      'delta',
    ]);
    expect(await names({ limit: '2', marker: created[0]?.id })).toEqual(['alpha', 'charlie']);
  });

  it('accepts the advanced filter operators from 1.15 only', async () => {
    expect(await names({ status: 'in:ERROR,WARNING' })).toEqual(['alpha', 'bravo']);
    expect(await names({ init_at: 'gte:2026-01-01T03:00:00Z' })).toEqual(['charlie', 'bravo']);
    const old = await api.call('GET', '/v1/clusters', {
      version: '1.14',
      query: { status: 'in:ERROR' },
    });
    expect(old.statusCode).toBe(400);
    expect(errorMessage(old)).toBe('Field value in:ERROR is invalid');
    const time = await api.call('GET', '/v1/clusters', {
      version: '1.14',
      query: { init_at: 'gte:2026-01-01T03:00:00Z' },
    });
    expect(errorMessage(time)).toBe("Invalid parameter 'init_at'");
  });
});
