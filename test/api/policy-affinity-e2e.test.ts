/**
 * The affinity policy through the API, the engine and the fake cloud: server groups made,
 * inherited and removed, new servers placed in the group (the fake scheduler honours the
 * group's policy on its two hosts), zones and the vSphere DRS extension.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const OWNER = { userId: 'demo-user', projectId: 'demo' };
const compute = api.backend.drivers(OWNER).compute;

function novaSpec(extra: Record<string, unknown> = {}) {
  return {
    type: 'os.nova.server',
    version: '1.0',
    properties: {
      flavor: 'm1.tiny',
      image: 'cirros-0.4.0-x86_64-disk',
      networks: [{ network: 'private' }],
      ...extra,
    },
  };
}

async function done(res: { statusCode: number; headers: Record<string, unknown>; data: any }) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

async function profile(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api.call('POST', '/v1/profiles', {
    body: { profile: { name, spec: novaSpec(extra) } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.profile.id;
}

async function policy(name: string, properties: Record<string, unknown>): Promise<string> {
  const res = await api.call('POST', '/v1/policies', {
    body: {
      policy: { name, spec: { type: 'senlin.policy.affinity', version: '1.0', properties } },
    },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id;
}

async function cluster(name: string, profileId: string, desired = 0): Promise<string> {
  const action = await done(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name, profile_id: profileId, desired_capacity: desired } },
    }),
  );
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
  return (await api.call('GET', `/v1/clusters/${name}`)).data.cluster.id;
}

async function act(clusterId: string, body: Record<string, unknown>) {
  return done(await api.call('POST', `/v1/clusters/${clusterId}/actions`, { body }));
}

async function servers(clusterId: string) {
  const nodes = (await api.call('GET', '/v1/nodes', { query: { cluster_id: clusterId } })).data
    .nodes;
  const ids = new Set(nodes.map((n: any) => n.physical_id).filter(Boolean));
  return api.backend.listAllServers().filter((s) => ids.has(s.id));
}

function groupsNamed(prefix: string) {
  return api.backend
    .listAll('server_group')
    .filter((g) => String(g.name).startsWith(prefix) && g.project_id === OWNER.projectId);
}

describe('affinity policy', () => {
  it('creates a server group at attach and deletes it at detach', async () => {
    const c = await cluster('aff-made', await profile('aff-made'));
    const before = groupsNamed('server_group_').map((g) => g.id);
    const p = await policy('aff-made', { servergroup: { policies: 'soft-anti-affinity' } });
    expect((await act(c, { policy_attach: { policy_id: p } })).status).toBe('SUCCEEDED');
    const made = groupsNamed('server_group_').filter((g) => !before.includes(g.id));
    expect(made).toHaveLength(1);
    expect(made[0]?.name).toMatch(/^server_group_[A-Za-z0-9]{8}$/);
    expect(made[0]?.policies).toEqual(['soft-anti-affinity']);
    expect((await act(c, { policy_detach: { policy_id: p } })).status).toBe('SUCCEEDED');
    expect(api.backend.listAll('server_group').some((g) => g.id === made[0]?.id)).toBe(false);
  });

  it('puts the servers of new nodes into the group on different hosts (anti-affinity)', async () => {
    const c = await cluster('aff-anti', await profile('aff-anti'));
    const p = await policy('aff-anti', { servergroup: { name: 'aff-anti-group' } });
    await act(c, { policy_attach: { policy_id: p } });
    const out = await act(c, { scale_out: { count: 2 } });
    expect(out.status, out.status_reason).toBe('SUCCEEDED');
    const [group] = groupsNamed('aff-anti-group');
    const made = await servers(c);
    expect(made).toHaveLength(2);
    expect(made.every((s) => (s.server_groups as string[]).includes(String(group?.id)))).toBe(true);
    expect(new Set(made.map((s) => s['OS-EXT-SRV-ATTR:host']))).toEqual(
      new Set(['host1', 'host2']),
    );
    expect([...((group?.members ?? []) as string[])].sort()).toEqual(made.map((s) => s.id).sort());
  });

  it('fails a third server of an anti-affinity group on two hosts', async () => {
    const c = await cluster('aff-full', await profile('aff-full'));
    const p = await policy('aff-full', { servergroup: { name: 'aff-full-group' } });
    await act(c, { policy_attach: { policy_id: p } });
    expect((await act(c, { scale_out: { count: 2 } })).status).toBe('SUCCEEDED');
    const third = await act(c, { scale_out: { count: 1 } });
    expect(third.status).toBe('FAILED');
    const nodes = (await api.call('GET', '/v1/nodes', { query: { cluster_id: c } })).data.nodes;
    const failed = nodes.filter((n: any) => n.status === 'ERROR');
    expect(failed).toHaveLength(1);
    expect(failed[0].status_reason).toContain('No valid host was found');
  });

  it('lets soft-anti-affinity place more servers than hosts, spread over both', async () => {
    const c = await cluster('aff-soft', await profile('aff-soft'));
    const p = await policy('aff-soft', {
      servergroup: { name: 'aff-soft-group', policies: 'soft-anti-affinity' },
    });
    await act(c, { policy_attach: { policy_id: p } });
    const out = await act(c, { resize: { adjustment_type: 'EXACT_CAPACITY', number: 3 } });
    expect(out.status, out.status_reason).toBe('SUCCEEDED');
    const made = await servers(c);
    expect(made).toHaveLength(3);
    expect(new Set(made.map((s) => s['OS-EXT-SRV-ATTR:host']))).toEqual(
      new Set(['host1', 'host2']),
    );
  });

  it('inherits an existing group of the same policy and keeps it at detach', async () => {
    const group = await compute.createServerGroup('aff-existing', 'affinity');
    const c = await cluster('aff-inherit', await profile('aff-inherit'));
    const p = await policy('aff-inherit', {
      servergroup: { name: 'aff-existing', policies: 'affinity' },
    });
    expect((await act(c, { policy_attach: { policy_id: p } })).status).toBe('SUCCEEDED');
    expect((await act(c, { scale_out: { count: 2 } })).status).toBe('SUCCEEDED');
    const made = await servers(c);
    expect(made.every((s) => (s.server_groups as string[]).includes(group.id))).toBe(true);
    expect(new Set(made.map((s) => s['OS-EXT-SRV-ATTR:host'])).size).toBe(1);
    expect(groupsNamed('aff-existing')).toHaveLength(1);
    expect((await act(c, { policy_detach: { policy_id: p } })).status).toBe('SUCCEEDED');
    expect((await compute.getServerGroup(group.id)).id).toBe(group.id);
  });

  it('takes the group named by the profile scheduler hints when the spec names none', async () => {
    const group = await compute.createServerGroup('aff-hinted', 'anti-affinity');
    const c = await cluster(
      'aff-hint',
      await profile('aff-hint', { scheduler_hints: { group: group.id } }),
    );
    const p = await policy('aff-hint', {});
    expect((await act(c, { policy_attach: { policy_id: p } })).status).toBe('SUCCEEDED');
    expect((await act(c, { scale_out: { count: 1 } })).status).toBe('SUCCEEDED');
    const [server] = await servers(c);
    expect(server?.server_groups).toEqual([group.id]);
    await act(c, { policy_detach: { policy_id: p } });
    expect((await compute.getServerGroup(group.id)).id).toBe(group.id);
  });

  it('refuses to attach when the existing group has another policy', async () => {
    await compute.createServerGroup('aff-other', 'affinity');
    const c = await cluster('aff-mismatch', await profile('aff-mismatch'));
    const p = await policy('aff-mismatch', { servergroup: { name: 'aff-other' } });
    const attach = await act(c, { policy_attach: { policy_id: p } });
    expect(attach.status).toBe('FAILED');
    expect(attach.status_reason).toBe(
      "Policies specified (anti-affinity) doesn't match that of the existing servergroup (affinity).",
    );
  });

  it('creates the servers of new nodes in the zone of the spec', async () => {
    const c = await cluster('aff-zone', await profile('aff-zone'));
    const p = await policy('aff-zone', {
      servergroup: { policies: 'soft-anti-affinity' },
      availability_zone: 'ZONE2',
    });
    await act(c, { policy_attach: { policy_id: p } });
    expect((await act(c, { scale_out: { count: 2 } })).status).toBe('SUCCEEDED');
    const made = await servers(c);
    expect(made.map((s) => s['OS-EXT-AZ:availability_zone'])).toEqual(['ZONE2', 'ZONE2']);
    expect(made.map((s) => s['OS-EXT-SRV-ATTR:host'])).toEqual(['host2', 'host2']);
  });

  it('fails scaling with the DRS extension when no hypervisor is a DRS host', async () => {
    const c = await cluster('aff-drs', await profile('aff-drs'));
    const p = await policy('aff-drs', {
      servergroup: { policies: 'soft-affinity' },
      enable_drs_extension: true,
    });
    await act(c, { policy_attach: { policy_id: p } });
    const out = await act(c, { scale_out: { count: 1 } });
    expect(out.status).toBe('FAILED');
    expect(out.status_reason).toBe(
      "Policy check failure: Failed policy 'aff-drs': No suitable vSphere host is available.",
    );
    expect(await servers(c)).toHaveLength(0);
  });

  it('places a node created in the cluster by a node request into the group', async () => {
    const c = await cluster('aff-node', await profile('aff-node'));
    const p = await policy('aff-node', { servergroup: { name: 'aff-node-group' } });
    await act(c, { policy_attach: { policy_id: p } });
    const create = await api.call('POST', '/v1/nodes', {
      body: {
        node: {
          name: 'aff-node-1',
          profile_id: (await api.call('GET', `/v1/clusters/${c}`)).data.cluster.profile_id,
          cluster_id: c,
        },
      },
    });
    const action = await done(create);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.placement.placements).toEqual([
      { servergroup: groupsNamed('aff-node-group')[0]?.id },
    ]);
  });
});
