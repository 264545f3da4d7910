import { describe, expect, it } from 'vitest';
import type { Resource } from '../../src/drivers/types.js';
import { ACCOUNTS, labSession } from './support/lab.js';
import { SenlinClient } from './support/senlin.js';

// Runs after every other file of the suite (the sequencer orders files by path): whatever
// senlin-ts made in the lab for the tests is gone again.
const admin = labSession(ACCOUNTS.admin);
const demo = labSession(ACCOUNTS.demo);

describe('after the suite', () => {
  it('leaves no cluster, node or receiver of the demo user in senlin-ts', async () => {
    const api = new SenlinClient();
    for (const kind of ['clusters', 'nodes', 'receivers']) {
      const answer = await api.expect(200, 'GET', `/v1/${kind}`);
      expect(answer.body[kind].map((o: { name: string }) => `${kind}: ${o.name}`)).toEqual([]);
    }
  });

  it('leaves no server of a senlin-ts node in Nova', async () => {
    const servers = await admin.list<Resource>('compute', '/servers/detail', 'servers', {
      query: { all_tenants: 1 },
    });
    const ofNodes = servers.filter(
      (s) => 'cluster_node_id' in ((s.metadata as Record<string, string> | undefined) ?? {}),
    );
    expect(ofNodes.map((s) => `${s.name} ${s.status}`)).toEqual([]);
  });

  it('leaves no server in the demo project', async () => {
    const servers = await demo.list<Resource>('compute', '/servers', 'servers');
    expect(servers.map((s) => s.name)).toEqual([]);
  });

  it('leaves no port of a deleted server and no unattached port in Neutron', async () => {
    const servers = await admin.list<Resource>('compute', '/servers', 'servers', {
      query: { all_tenants: 1 },
    });
    const live = new Set(servers.map((s) => s.id));
    const ports = await admin.list<Resource>('network', '/v2.0/ports', 'ports');
    const orphans = ports.filter(
      (p) => String(p.device_owner ?? '').startsWith('compute:') && !live.has(String(p.device_id)),
    );
    expect(orphans.map((p) => p.id)).toEqual([]);
    // ports senlin-ts makes for a server are unattached until the server is booted
    const { projectId } = await demo.auth();
    const loose = ports.filter(
      (p) => p.project_id === projectId && !p.device_owner && !p.device_id,
    );
    expect(loose.map((p) => p.id)).toEqual([]);
  });

  it('leaves no load balancer in Octavia', async () => {
    const lbs = await admin.list<Resource>(
      'load-balancer',
      '/v2/lbaas/loadbalancers',
      'loadbalancers',
    );
    expect(lbs.map((lb) => `${lb.name} ${lb.provisioning_status}`)).toEqual([]);
  });

  it('leaves no stack in Heat', async () => {
    const stacks = await demo.list<Resource>('orchestration', '/stacks', 'stacks');
    expect(stacks.map((s) => `${s.stack_name} ${s.stack_status}`)).toEqual([]);
  });

  it('leaves no server group in Nova', async () => {
    const groups = await admin.list<Resource>('compute', '/os-server-groups', 'server_groups', {
      query: { all_projects: true },
    });
    expect(groups.map((g) => g.name)).toEqual([]);
  });

  it('leaves no receiver queue in Zaqar', async () => {
    const res = await demo.request<{ queues?: { name: string }[] }>('messaging', '/v2/queues', {
      query: { name: 'senlin-receiver-', limit: 20 },
      headers: { 'Client-ID': '4e6f7468-696e-4c65-8674-000000000001' },
    });
    expect((res.body?.queues ?? []).map((q) => q.name)).toEqual([]);
  });
});
