import { afterAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/drivers/types.js';
import { clusterServers, hostOf } from '../support/cloud-checks.js';
import { REGION, REGION2, uniqueName, ZONES } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { novaSpec, policySpec } from '../support/specs.js';

// Placement policies on the lab's real availability zones (host aggregates of the two fake
// hosts) and on the two regions of its catalog.
const api = new SenlinClient();
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  await runCleanups(cleanups);
});

/** A cluster with `policy` attached while empty, then scaled out by `count`. */
async function clusterWith(prefix: string, policy: Record<string, unknown>, count: number) {
  const profile = await api.createProfile(uniqueName(`${prefix}-nova`), novaSpec());
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const created = await api.createCluster({
    name: uniqueName(prefix),
    profile_id: profile,
    desired_capacity: 0,
    min_size: 0,
    max_size: 6,
  });
  const clusterId = created.id;
  cleanups.push(() => api.deleteCluster(clusterId));
  const policyId = await api.createPolicy(uniqueName(prefix), policy);
  cleanups.push(() => api.request('DELETE', `/v1/policies/${policyId}`));
  await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
    policy_attach: { policy_id: policyId, enabled: true },
  });
  await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_out: { count } });
  return clusterId;
}

function countBy(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[item] = (out[item] ?? 0) + 1;
  return out;
}

describe('zone placement', () => {
  it('spreads the servers evenly over the availability zones, each zone on its own host', async () => {
    const clusterId = await clusterWith(
      'zone',
      policySpec('senlin.policy.zone_placement', '1.0', {
        zones: ZONES.map((name) => ({ name, weight: 100 })),
      }),
      4,
    );
    const servers = await clusterServers(clusterId);
    expect(servers).toHaveLength(4);
    const zoneOf = (s: Resource) => String(s['OS-EXT-AZ:availability_zone']);
    expect(countBy(servers.map(zoneOf))).toEqual(Object.fromEntries(ZONES.map((z) => [z, 2])));
    for (const zone of ZONES) {
      const hosts = new Set(servers.filter((s) => zoneOf(s) === zone).map(hostOf));
      expect(hosts.size).toBe(1);
    }
    const nodes = await Promise.all((await api.clusterNodes(clusterId)).map((n) => api.node(n.id)));
    for (const node of nodes) {
      const server = servers.find((s) => s.id === node.physical_id);
      expect(server && zoneOf(server)).toBe(node.data.placement.zone);
    }
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterServers(clusterId)).toEqual([]);
  });
});

describe('region placement', () => {
  it('places the nodes in both regions of the catalog and deletes them there', async () => {
    const clusterId = await clusterWith(
      'region',
      policySpec('senlin.policy.region_placement', '1.0', {
        regions: [
          { name: REGION, weight: 100 },
          { name: REGION2, weight: 100 },
        ],
      }),
      4,
    );
    const nodes = await Promise.all((await api.clusterNodes(clusterId)).map((n) => api.node(n.id)));
    expect(nodes.every((n) => n.status === 'ACTIVE')).toBe(true);
    expect(countBy(nodes.map((n) => String(n.data.placement.region_name)))).toEqual({
      [REGION]: 2,
      [REGION2]: 2,
    });
    expect(await clusterServers(clusterId)).toHaveLength(4);
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterServers(clusterId)).toEqual([]);
  });
});
