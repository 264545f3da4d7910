/**
 * Looks at the real services directly (as the lab's admin) for what senlin-ts made: the servers,
 * ports, stacks and load balancers of a cluster, and that none are left once it is deleted.
 */
import type { Resource } from '../../../src/drivers/types.js';
import { ACCOUNTS, labDrivers, labSession } from './lab.js';

const admin = labDrivers(ACCOUNTS.admin);
const adminSession = labSession(ACCOUNTS.admin);

/** The admin's drivers. */
export const adminCloud = admin;

/** Servers of every project whose metadata says they belong to `clusterId`. */
export async function clusterServers(clusterId: string): Promise<Resource[]> {
  const servers = await adminSession.list<Resource>('compute', '/servers/detail', 'servers', {
    query: { all_tenants: 1 },
  });
  return servers.filter(
    (s) => (s.metadata as Record<string, string> | undefined)?.cluster_id === clusterId,
  );
}

/** A server as the admin sees it (with its host), or null when it is gone. */
export async function serverOrNull(id: string): Promise<Resource | null> {
  try {
    const server = await admin.compute.getServer(id);
    return server.status === 'DELETED' ? null : server;
  } catch (err) {
    if ((err as { status?: number }).status === 404) return null;
    throw err;
  }
}

/** Ports of every project whose device is one of `serverIds`. */
export async function portsOfServers(serverIds: readonly string[]): Promise<Resource[]> {
  const ports = await admin.network.listPorts();
  return ports.filter((p) => serverIds.includes(String(p.device_id)));
}

const demoSession = labSession(ACCOUNTS.demo);

/**
 * Heat stacks of the demo project (where the scenarios work: Heat lets nobody list every
 * project's stacks) carrying the tag `cluster_id=<clusterId>`.
 */
export async function clusterStacks(clusterId: string): Promise<Resource[]> {
  const stacks = await demoSession.list<Resource>('orchestration', '/stacks', 'stacks', {
    query: { tags: `cluster_id=${clusterId}` },
  });
  return stacks.filter((s) => s.stack_status !== 'DELETE_COMPLETE');
}

/** Load balancers of every project whose name ends with `suffix` (e.g. the cluster name). */
export async function loadBalancersNamed(suffix: string): Promise<Resource[]> {
  const lbs = await adminSession.list<Resource>(
    'load-balancer',
    '/v2/lbaas/loadbalancers',
    'loadbalancers',
  );
  return lbs.filter(
    (lb) => String(lb.name ?? '').endsWith(suffix) && lb.provisioning_status !== 'DELETED',
  );
}

/** Server groups of every project with a name that starts with `prefix`. */
export async function serverGroupsNamed(prefix: string): Promise<Resource[]> {
  const groups = await adminSession.list<Resource>(
    'compute',
    '/os-server-groups',
    'server_groups',
    {
      query: { all_projects: true },
    },
  );
  return groups.filter((g) => String(g.name ?? '').startsWith(prefix));
}

/** The hypervisor host of a server (admin only attribute). */
export function hostOf(server: Resource): string {
  return String(server['OS-EXT-SRV-ATTR:host'] ?? '');
}
