/** Nova flavors, key pairs, availability zones, hypervisors and compute services. */
import { CloudError, type Resource } from '../types.js';
import type { ComputeApi } from './compute-api.js';
import { findByNameOrId, orNull, seg } from './find.js';

type Json = Record<string, unknown>;

function member<T>(body: unknown, key: string): T {
  const value = (body as Json | null)?.[key];
  if (typeof value !== 'object' || value === null) {
    throw new CloudError(502, `Nova answered without '${key}'.`);
  }
  return value as T;
}

/** A flavor by id or name (private flavors included for administrators), or null. */
export function findFlavor(api: ComputeApi, nameOrId: string): Promise<Resource | null> {
  return findByNameOrId(
    nameOrId,
    'flavor',
    async (id) => member<Resource>((await api.request(`/flavors/${seg(id)}`)).body, 'flavor'),
    () => api.list<Resource>('/flavors/detail', 'flavors', { query: { is_public: 'None' } }),
  );
}

/** The key pair of the user called `name`, or null. */
export async function findKeypair(api: ComputeApi, name: string): Promise<Resource | null> {
  if (name === '') return null;
  const found = await orNull(api.request(`/os-keypairs/${seg(name)}`));
  if (found === null) return null;
  const keypair = member<Json>(found.body, 'keypair');
  return { ...keypair, id: String(keypair.id ?? keypair.name) } as Resource;
}

/** The availability zones of servers with their state. */
export async function availabilityZones(
  api: ComputeApi,
): Promise<{ zoneName: string; available: boolean }[]> {
  const { body } = await api.request('/os-availability-zone');
  return member<Json[]>(body, 'availabilityZoneInfo').map((zone) => ({
    zoneName: String(zone.zoneName),
    available: (zone.zoneState as { available?: unknown } | null)?.available === true,
  }));
}

/**
 * Hypervisors whose host name contains `hostnamePattern` (all without it). Nova answers 404
 * when no host name matches: that is an empty list.
 */
export async function listHypervisors(
  api: ComputeApi,
  options: { hostnamePattern?: string } = {},
): Promise<Resource[]> {
  const pattern = options.hostnamePattern;
  if (pattern !== undefined && (await api.atLeast('2.53'))) {
    const found = await orNull(
      api.list<Resource>('/os-hypervisors/detail', 'hypervisors', {
        query: { hypervisor_hostname_pattern: pattern },
      }),
    );
    return found ?? [];
  }
  const all = await api.list<Resource>('/os-hypervisors/detail', 'hypervisors');
  return pattern === undefined
    ? all
    : all.filter((h) => String(h.hypervisor_hostname ?? '').includes(pattern));
}

/** A hypervisor by id. */
export async function getHypervisor(api: ComputeApi, id: string): Promise<Resource> {
  const { body } = await api.request(`/os-hypervisors/${seg(id)}`);
  return member<Resource>(body, 'hypervisor');
}

/** Compute services, optionally of one binary and/or host. */
export async function listServices(
  api: ComputeApi,
  options: { binary?: string; host?: string } = {},
): Promise<Resource[]> {
  const { body } = await api.request('/os-services', {
    query: { binary: options.binary, host: options.host },
  });
  return member<Resource[]>(body, 'services');
}

/** Marks a compute service forced down (by id from 2.53, by host and binary before). */
export async function forceServiceDown(
  api: ComputeApi,
  serviceId: string,
  host: string,
  binary: string,
): Promise<void> {
  if (await api.atLeast('2.53')) {
    await api.request(`/os-services/${seg(serviceId)}`, {
      method: 'PUT',
      body: { forced_down: true },
    });
    return;
  }
  await api.request('/os-services/force-down', {
    method: 'PUT',
    body: { host, binary, forced_down: true },
  });
}
