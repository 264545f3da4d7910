import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterServers,
  hostOf,
  serverGroupsNamed,
  serverOrNull,
} from '../support/cloud-checks.js';
import { uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { novaSpec, policySpec } from '../support/specs.js';

// The affinity policy on a real Nova server group: with anti-affinity the lab's two fake hosts
// take one server each; a third server has no valid host, which the node and the action say,
// and no server is left behind for it.
const api = new SenlinClient();
const cleanups: (() => Promise<unknown>)[] = [];
const groupName = uniqueName('anti');
let clusterId = '';

beforeAll(async () => {
  const profile = await api.createProfile(uniqueName('aff-nova'), novaSpec());
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const created = await api.createCluster({
    name: uniqueName('aff'),
    profile_id: profile,
    desired_capacity: 0,
    min_size: 0,
    max_size: 5,
  });
  clusterId = created.id;
  cleanups.push(() => api.deleteCluster(clusterId));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
  const policy = await api.createPolicy(
    uniqueName('anti'),
    policySpec('senlin.policy.affinity', '1.0', {
      servergroup: { name: groupName, policies: 'anti-affinity' },
    }),
  );
  cleanups.push(() => api.request('DELETE', `/v1/policies/${policy}`));
  await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
    policy_attach: { policy_id: policy, enabled: true },
  });
  cleanups.push(() =>
    api.request('POST', `/v1/clusters/${clusterId}/actions`, {
      policy_detach: { policy_id: policy },
    }),
  );
});

afterAll(async () => {
  await runCleanups(cleanups);
});

describe('anti-affinity through a Nova server group', () => {
  it('makes the server group in Nova when the policy is attached', async () => {
    const groups = await serverGroupsNamed(groupName);
    expect(groups).toHaveLength(1);
    const group = groups[0] as { policy?: string; policies?: string[] };
    expect(group.policy ?? group.policies?.[0]).toBe('anti-affinity');
  });

  it('places two servers on two different hosts, both members of the group', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { scale_out: { count: 2 } });
    const servers = await clusterServers(clusterId);
    expect(servers).toHaveLength(2);
    const hosts = new Set(servers.map(hostOf));
    expect(hosts.size).toBe(2);
    const [group] = await serverGroupsNamed(groupName);
    expect(new Set(group?.members as string[])).toEqual(new Set(servers.map((s) => s.id)));
  });

  it('fails a third server with no valid host and leaves no server behind for it', async () => {
    const action = await api.act('POST', `/v1/clusters/${clusterId}/actions`, {
      scale_out: { count: 1 },
    });
    expect(action.status).toBe('FAILED');
    const nodes = await api.clusterNodes(clusterId);
    const failed = nodes.filter((n) => n.status === 'ERROR');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status_reason).toMatch(/no valid host/i);
    const failedServer = failed[0]?.physical_id as string | null;
    if (failedServer) expect(await serverOrNull(failedServer)).toBeNull();
    const servers = await clusterServers(clusterId);
    expect(servers.filter((s) => s.status === 'ERROR')).toEqual([]);
  });

  it('leaves no server and no server group once the cluster is deleted', async () => {
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterServers(clusterId)).toEqual([]);
    expect(await serverGroupsNamed(groupName)).toEqual([]);
  });
});
