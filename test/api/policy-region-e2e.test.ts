/**
 * The region placement policy through the API, the engine and the fake cloud: new nodes are
 * given the regions it plans (by weight and cap) and their servers are made there, scale-in
 * keeps the regions balanced (with the deletion policy), and detaching it ends all that.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { CloudCredentials, CloudDrivers } from '../../src/drivers/types.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

/** Region of the drivers each server was created through, by server id. */
const serverRegions = new Map<string, unknown>();
/** While true, Keystone lists no region. */
let regionsGone = false;
const drivers = api.backend.drivers.bind(api.backend);
api.backend.drivers = (credentials: CloudCredentials): CloudDrivers => {
  const made = drivers(credentials);
  const compute = {
    ...made.compute,
    async createServer(body: Record<string, unknown>) {
      const server = await made.compute.createServer(body);
      serverRegions.set(server.id, credentials.context?.region_name);
      return server;
    },
  };
  const identity = {
    ...made.identity,
    listRegions: async () => (regionsGone ? [] : made.identity.listRegions()),
  };
  return { ...made, compute, identity };
};

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
    body: { profile: { name: `rp-${serial}`, spec } },
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
      body: { cluster: { name: `rc-${serial}`, profile_id: profileId, desired_capacity: desired } },
    }),
  );
  return (await cluster(`rc-${serial}`)).id;
}

async function policy(type: string, properties: Record<string, unknown>): Promise<string> {
  serial += 1;
  const res = await api.call('POST', '/v1/policies', {
    body: { policy: { name: `rpol-${serial}`, spec: { type, version: '1.0', properties } } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(201);
  return res.data.policy.id;
}

function regionPolicy(regions: { name: string; weight?: number; cap?: number }[]) {
  return policy('senlin.policy.region_placement', { regions });
}

async function attach(clusterId: string, policyId: string): Promise<void> {
  const action = await act(clusterId, { policy_attach: { policy_id: policyId } });
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
}

/** Members per region, as recorded on the nodes. */
async function regions(clusterId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of (await cluster(clusterId)).nodes as string[]) {
    const node = (await api.call('GET', `/v1/nodes/${id}`)).data.node;
    const region = String(node.data?.placement?.region_name ?? 'none');
    out[region] = (out[region] ?? 0) + 1;
  }
  return out;
}

describe('region placement policy', () => {
  it('gives the nodes of a scale-out the regions it plans, evenly by equal weights', async () => {
    const id = await newCluster(0);
    await attach(id, await regionPolicy([{ name: 'RegionOne' }, { name: 'RegionTwo' }]));
    const action = await act(id, { scale_out: { count: 4 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.creation).toMatchObject({
      count: 4,
      regions: { RegionOne: 2, RegionTwo: 2 },
    });
    expect(await regions(id)).toEqual({ RegionOne: 2, RegionTwo: 2 });
  });

  it('creates each server in the region of its node', async () => {
    const id = await newCluster(0);
    await attach(id, await regionPolicy([{ name: 'RegionOne' }, { name: 'RegionTwo' }]));
    await act(id, { scale_out: { count: 2 } });
    for (const nodeId of (await cluster(id)).nodes as string[]) {
      const node = (await api.call('GET', `/v1/nodes/${nodeId}`)).data.node;
      expect(serverRegions.get(node.physical_id)).toBe(node.data.placement.region_name);
    }
  });

  it('puts no more nodes in a region than its cap', async () => {
    const id = await newCluster(0);
    await attach(
      id,
      await regionPolicy([
        { name: 'RegionOne', cap: 1 },
        { name: 'RegionTwo', weight: 50 },
      ]),
    );
    await act(id, { scale_out: { count: 4 } });
    expect(await regions(id)).toEqual({ RegionOne: 1, RegionTwo: 3 });
  });

  it('fails a scale-out that the caps cannot hold', async () => {
    const id = await newCluster(0);
    await attach(
      id,
      await regionPolicy([
        { name: 'RegionOne', cap: 1 },
        { name: 'RegionTwo', cap: 1 },
      ]),
    );
    const action = await act(id, { scale_out: { count: 3 } });
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toBe(
      `Policy check failure: Failed policy 'rpol-${serial}': There is no feasible plan to handle all nodes.`,
    );
    expect((await cluster(id)).nodes).toEqual([]);
  });

  it('cannot be created with a region Keystone does not know', async () => {
    const spec = {
      type: 'senlin.policy.region_placement',
      version: '1.0',
      properties: { regions: [{ name: 'RegionOne' }, { name: 'RegionNowhere' }] },
    };
    const res = await api.call('POST', '/v1/policies', {
      body: { policy: { name: 'nowhere', spec } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.message).toBe(
      "The specified regions '['RegionNowhere']' could not be found.",
    );
  });

  it('fails when none of its regions is known to Keystone any more', async () => {
    const id = await newCluster(0);
    await attach(id, await regionPolicy([{ name: 'RegionOne' }]));
    regionsGone = true;
    let action: any;
    try {
      action = await act(id, { scale_out: { count: 1 } });
    } finally {
      regionsGone = false;
    }
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toBe(
      `Policy check failure: Failed policy 'rpol-${serial}': No region is found usable.`,
    );
    expect((await cluster(id)).nodes).toEqual([]);
  });

  it('with the deletion policy removes nodes so that the regions stay balanced', async () => {
    const id = await newCluster(0);
    await attach(id, await regionPolicy([{ name: 'RegionOne' }, { name: 'RegionTwo' }]));
    await attach(id, await policy('senlin.policy.deletion', { criteria: 'OLDEST_FIRST' }));
    await act(id, { scale_out: { count: 4 } });
    const action = await act(id, { scale_in: { count: 2 } });
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.deletion).toMatchObject({
      count: 2,
      regions: { RegionOne: 1, RegionTwo: 1 },
    });
    expect(action.data.deletion.candidates).toHaveLength(2);
    expect(await regions(id)).toEqual({ RegionOne: 1, RegionTwo: 1 });
  });

  it('places a node a user creates in the cluster', async () => {
    const id = await newCluster(0);
    await attach(id, await regionPolicy([{ name: 'RegionOne' }, { name: 'RegionTwo' }]));
    await act(id, { scale_out: { count: 1 } });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'by-hand', profile_id: profileId, cluster_id: id } },
    });
    const action = await done(res);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.placement.placements).toEqual([{ region_name: 'RegionTwo' }]);
    expect(await regions(id)).toEqual({ RegionOne: 1, RegionTwo: 1 });
  });

  it('leaves a node alone whose profile names its region', async () => {
    const id = await newCluster(0);
    await attach(id, await regionPolicy([{ name: 'RegionOne' }]));
    const fixed = await newProfile({ context: { region_name: 'RegionTwo' } });
    const res = await api.call('POST', '/v1/nodes', {
      body: { node: { name: 'fixed', profile_id: fixed, cluster_id: id } },
    });
    const action = await done(res);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(action.data.placement).toBeUndefined();
  });

  it('places nothing once detached', async () => {
    const id = await newCluster(0);
    const rp = await regionPolicy([{ name: 'RegionTwo' }]);
    await attach(id, rp);
    await act(id, { scale_out: { count: 1 } });
    const detach = await act(id, { policy_detach: { policy_id: rp } });
    expect(detach.status, detach.status_reason).toBe('SUCCEEDED');
    expect((await api.call('GET', `/v1/clusters/${id}/policies/${rp}`)).statusCode).toBe(404);
    const action = await act(id, { scale_out: { count: 1 } });
    expect(action.data.placement).toBeUndefined();
    expect(await regions(id)).toEqual({ RegionTwo: 1, none: 1 });
  });
});
