import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorMessage, startApi } from './harness.js';

const api = await startApi();
const reference = JSON.parse(
  readFileSync(new URL('../../../shared/reference/type-schemas.json', import.meta.url), 'utf8'),
) as Record<'profile_types' | 'policy_types', Record<string, any>>;

function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'description')
        .map(([k, v]) => [k, withoutDescriptions(v)]),
    );
  }
  return value;
}

describe('profile types', () => {
  it('lists name-version strings up to 1.4', async () => {
    const res = await api.call('GET', '/v1/profile-types', { version: '1.4' });
    expect(res.statusCode).toBe(200);
    expect(res.data.profile_types).toEqual(
      expect.arrayContaining([
        { name: 'os.nova.server-1.0' },
        { name: 'os.heat.stack-1.0' },
        { name: 'container.dockerinc.docker-1.0' },
      ]),
    );
  });

  it("lists name, version and that version's support status from 1.5", async () => {
    const res = await api.call('GET', '/v1/profile-types', { version: '1.5' });
    const nova = res.data.profile_types.find((t: any) => t.name === 'os.nova.server');
    expect(nova).toEqual({
      name: 'os.nova.server',
      version: '1.0',
      support_status: reference.profile_types['os.nova.server-1.0'].support_status_in_list_v1_5,
    });
    for (const t of res.data.profile_types) {
      expect(['os.nova.server', 'os.heat.stack', 'container.dockerinc.docker']).toContain(t.name);
    }
  });

  it.each(Object.keys(reference.profile_types))(
    'shows %s exactly as upstream, descriptions aside',
    async (name) => {
      const res = await api.call('GET', `/v1/profile-types/${name}`, { version: '1.5' });
      expect(res.statusCode).toBe(200);
      expect(res.data.profile_type.name).toBe(name);
      expect(withoutDescriptions(res.data.profile_type.schema)).toEqual(
        withoutDescriptions(reference.profile_types[name].schema),
      );
      expect(res.data.profile_type.support_status).toEqual(
        reference.profile_types[name].support_status_in_show_v1_5,
      );
      const ops = await api.call('GET', `/v1/profile-types/${name}/ops`, { version: '1.4' });
      expect(withoutDescriptions(ops.data.operations)).toEqual(
        withoutDescriptions(reference.profile_types[name].operations),
      );
    },
  );

  it('leaves support_status out of show below 1.5', async () => {
    const res = await api.call('GET', '/v1/profile-types/os.nova.server-1.0', { version: '1.4' });
    expect(Object.keys(res.data.profile_type).sort()).toEqual(['name', 'schema']);
  });

  it('describes change_password among the nova operations', async () => {
    const res = await api.call('GET', '/v1/profile-types/os.nova.server-1.0/ops', {
      version: '1.4',
    });
    expect(res.data.operations.change_password.description).toEqual(expect.any(String));
    expect(res.data.operations.change_password.parameters).toBeDefined();
  });

  it('answers an unknown type with 404 on show and 400 on ops', async () => {
    const show = await api.call('GET', '/v1/profile-types/58181c56-3166-4478-8981-e1d476065f2b');
    expect(show.statusCode).toBe(404);
    expect(errorMessage(show)).toBe(
      "The profile_type '58181c56-3166-4478-8981-e1d476065f2b' could not be found.",
    );
    const ops = await api.call('GET', '/v1/profile-types/bogus-1.0/ops');
    expect(ops.statusCode).toBe(400);
    expect(errorMessage(ops)).toBe("The profile_type 'bogus-1.0' could not be found.");
  });
});

describe('policy types', () => {
  it('lists all 14 type-versions', async () => {
    const res = await api.call('GET', '/v1/policy-types', { version: '1.4' });
    expect(res.data.policy_types.map((t: any) => t.name).sort()).toEqual(
      Object.keys(reference.policy_types).sort(),
    );
  });

  it('splits names and versions from 1.5', async () => {
    const res = await api.call('GET', '/v1/policy-types', { version: '1.5' });
    const bases = [
      'affinity',
      'batch',
      'deletion',
      'health',
      'loadbalance',
      'region_placement',
      'scaling',
      'zone_placement',
    ];
    for (const t of res.data.policy_types) {
      expect(bases.map((b) => `senlin.policy.${b}`)).toContain(t.name);
      const key = `${t.name}-${t.version}`;
      expect(t.support_status).toEqual(reference.policy_types[key].support_status_in_list_v1_5);
    }
  });

  it.each(Object.keys(reference.policy_types))(
    'shows %s exactly as upstream, descriptions aside',
    async (name) => {
      const res = await api.call('GET', `/v1/policy-types/${name}`, { version: '1.5' });
      expect(res.statusCode).toBe(200);
      expect(res.data.policy_type.name).toBe(name);
      expect(withoutDescriptions(res.data.policy_type.schema)).toEqual(
        withoutDescriptions(reference.policy_types[name].schema),
      );
      expect(res.data.policy_type.support_status).toEqual(
        reference.policy_types[name].support_status_in_show_v1_5,
      );
    },
  );

  it('answers an unknown type with 404', async () => {
    const res = await api.call('GET', '/v1/policy-types/13d70be3-5998-412b-ab75-da72a2f84c75');
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(
      "The policy_type '13d70be3-5998-412b-ab75-da72a2f84c75' could not be found.",
    );
  });
});
