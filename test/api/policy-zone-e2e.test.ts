/**
 * The zone placement policy through the API, the engine and the fake cloud: new servers are
 * created in the zones it plans, scale-in keeps the zones balanced (with the deletion policy),
 * and detaching it leaves placement to Nova again.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

type Reply = { statusCode: number; headers: Record<string, unknown>; data: any };

async function done(res: Reply): Promise<any> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

let serial = 0;
async function newProfile(extra: Record<string, unknown> = {}): Promise<string> {
  serial += 1;
  const spec = { ...NOVA_SPEC, properties: { ...NOVA_SPEC.properties, ...extra } };
  const res = await api.call('POST', '/v1/profiles', {
    body: { profile: { name: `zp-${serial}`, spec } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.profile.id;
}

const profileId = await newProfile();

async function cluster(id: string): Promise<any> {
  return (await api.call('GET', `/v1/clusters/${id}`)).data.cluster;
}

async function act(id: string, body: Record<string, unknown>): Promise<any> {
  return done(await api.call('POST', `/v1/clusters/${id}/actions`, { body }));
}

async function newCluster(desired: number): Promise<string> {
  serial += 1;
  await done(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: `zc-${serial}`, profile_id: profileId, desired_capacity: desired } },
    }),
  );
  return (await cluster(`zc-${serial}`)).id;
}

async function policy(type: string, properties: Record<string, unknown>): Promise<string> {
  serial += 1;
  const res = await api.call('POST', '/v1/policies', {
    body: { policy: { name: `zpol-${serial}`, spec: { type, version: '1.0', properties } } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id;
}

function zonePolicy(zones: { name: string; weight?: number }[]): Promise<string> {
  return policy('senlin.policy.zone_placement', { zones });
}

async function attach(clusterId: string, policyId: string): Promise<void> {
  const action = await act(clusterId, { policy_attach: { policy_id: policyId } });
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
}

/** Zone of each member: as recorded on the node and as Nova placed its server. */
async function zones(
  clusterId: string,
): Promise<{ node: string; recorded: string; nova: string }[]> {
  const servers = api.backend.listAllServers();
  const result = [];
  for (const id of (await cluster(clusterId)).nodes as string[]) {
    const node = (await api.call('GET', `/v1/nodes/${id}`)).data.node;
    const server = servers.find((s) => s.id === node.physical_id);
    result.push({
      node: id,
      recorded: node.data?.placement?.zone,
      nova: String(server?.['OS-EXT-AZ:availability_zone']),
    });
  }
  return result;
}

function tally(list: { recorded: string; nova: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const z of list) {
    expect(z.recorded).toBe(z.nova);
    out[z.nova] = (out[z.nova] ?? 0) + 1;
  }
  return out;
}

describe('zone placement policy', () => {
  it('creates the servers of a scale-out in the zones it plans, evenly by equal weights', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]));
    const action = await act(id, { scale_out: { count: 4 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.creation).toMatchObject({ count: 4, zones: { ZONE1: 2, ZONE2: 2 } });
    expect(action.data.placement.placements).toEqual([
      { zone: 'ZONE1' },
      { zone: 'ZONE1' },
      { zone: 'ZONE2' },
      { zone: 'ZONE2' },
    ]);
    expect(tally(await zones(id))).toEqual({ ZONE1: 2, ZONE2: 2 });
  });

  it('follows the weights of the zones, also on resize', async () => {
    const id = await newCluster(0);
    await attach(
      id,
      await zonePolicy([
        { name: 'ZONE1', weight: 200 },
        { name: 'ZONE2', weight: 100 },
      ]),
    );
    const action = await act(id, { resize: { adjustment_type: 'EXACT_CAPACITY', number: 3 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(tally(await zones(id))).toEqual({ ZONE1: 2, ZONE2: 1 });
  });

  it('fills the emptier zone first when the cluster grows', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]));
    await act(id, { scale_out: { count: 1 } });
    const [first] = await zones(id);
    await act(id, { scale_out: { count: 1 } });
    const counts = tally(await zones(id));
    expect(counts).toEqual({ ZONE1: 1, ZONE2: 1 });
    expect(first?.nova).toBe('ZONE1');
  });

  it('with the deletion policy removes nodes so that the zones stay balanced', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]));
    await attach(id, await policy('senlin.policy.deletion', { criteria: 'YOUNGEST_FIRST' }));
    await act(id, { scale_out: { count: 4 } });
    const action = await act(id, { scale_in: { count: 2 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion).toMatchObject({ count: 2, zones: { ZONE1: 1, ZONE2: 1 } });
    expect(tally(await zones(id))).toEqual({ ZONE1: 1, ZONE2: 1 });
  });

  it('removes nodes from the zone with more than its share', async () => {
    const id = await newCluster(0);
    await attach(id, await policy('senlin.policy.deletion', {}));
    const zp = await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]);
    await attach(id, zp);
    await act(id, { scale_out: { count: 2 } });
    await act(id, { policy_detach: { policy_id: zp } });
    const weighted = await zonePolicy([
      { name: 'ZONE1', weight: 100 },
      { name: 'ZONE2', weight: 300 },
    ]);
    await attach(id, weighted);
    await act(id, { scale_out: { count: 2 } });
    expect(tally(await zones(id))).toEqual({ ZONE1: 1, ZONE2: 3 });
    await act(id, { policy_detach: { policy_id: weighted } });
    await attach(id, zp);
    const action = await act(id, { scale_in: { count: 2 } });
    expect(action.data.deletion.zones).toEqual({ ZONE2: 2 });
    expect(tally(await zones(id))).toEqual({ ZONE1: 1, ZONE2: 1 });
  });

  it('places only in zones that are available now', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]));
    api.backend.setHypervisorState('host1', 'down');
    try {
      await act(id, { scale_out: { count: 2 } });
    } finally {
      api.backend.setHypervisorState('host1', 'up');
    }
    expect(tally(await zones(id))).toEqual({ ZONE2: 2 });
  });

  it('cannot be created with a zone Nova does not offer', async () => {
    const spec = {
      type: 'senlin.policy.zone_placement',
      version: '1.0',
      properties: { zones: [{ name: 'ZONE9' }, { name: 'ZONE1' }] },
    };
    const res = await api.call('POST', '/v1/policies', {
      body: { policy: { name: 'zone9', spec } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.message).toBe("The specified name '['ZONE9']' could not be found.");
  });

  it('fails when none of its zones is available', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }]));
    api.backend.setHypervisorState('host1', 'down');
    let action: any;
    try {
      action = await act(id, { scale_out: { count: 1 } });
    } finally {
      api.backend.setHypervisorState('host1', 'up');
    }
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toBe(
      `Policy check failure: Failed policy 'zpol-${serial}': No availability zone found available.`,
    );
    expect((await cluster(id)).nodes).toEqual([]);
  });

  it('fails a scale-in when no member is in one of its zones', async () => {
    const id = await newCluster(2);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]));
    const action = await act(id, { scale_in: { count: 1 } });
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toContain('There is no feasible plan to handle all nodes.');
    expect((await cluster(id)).nodes).toHaveLength(2);
  });

  it('places a node a user creates in the cluster', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }, { name: 'ZONE2' }]));
    await act(id, { scale_out: { count: 1 } });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'by-hand', profile_id: profileId, cluster_id: id } },
    });
    const action = await done(res);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.placement.placements).toEqual([{ zone: 'ZONE2' }]);
    expect(tally(await zones(id))).toEqual({ ZONE1: 1, ZONE2: 1 });
  });

  it('leaves a node alone whose profile names its zone', async () => {
    const id = await newCluster(0);
    await attach(id, await zonePolicy([{ name: 'ZONE1' }]));
    const fixed = await newProfile({ availability_zone: 'ZONE2' });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'fixed', profile_id: fixed, cluster_id: id } },
    });
    const action = await done(res);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.placement).toBeUndefined();
    expect(tally(await zones(id))).toEqual({ ZONE2: 1 });
  });

  it('places nothing once detached', async () => {
    const id = await newCluster(0);
    const zp = await zonePolicy([{ name: 'ZONE2' }]);
    await attach(id, zp);
    await act(id, { scale_out: { count: 1 } });
    const detach = await act(id, { policy_detach: { policy_id: zp } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect((await api.call('GET', `/v1/clusters/${id}/policies/${zp}`)).statusCode).toBe(404);
    const action = await act(id, { scale_out: { count: 1 } });
    expect(action.data.placement).toBeUndefined();
    expect(action.data.creation.zones).toBeUndefined();
    expect(tally(await zones(id))).toEqual({ ZONE2: 1, nova: 1 });
  });
});
