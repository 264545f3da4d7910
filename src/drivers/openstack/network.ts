/** The NetworkDriver over Neutron (API v2.0). */
import { CloudConflict, CloudError, type NetworkDriver, type Resource } from '../types.js';
import { findByNameOrId, isMissing, seg } from './find.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';

type Json = Record<string, unknown>;

function member(body: unknown, key: string): Resource {
  const value = (body as Json | null)?.[key] as Resource | undefined;
  if (!value || typeof value.id !== 'string') {
    throw new CloudError(502, `Neutron answered without '${key}'.`);
  }
  return value;
}

/**
 * Neutron query parameters of a port filter: `ip_address` and `subnet_id` match one of the
 * port's fixed IPs (`fixed_ips=ip_address=…`), other keys are port fields.
 */
export function portQuery(filter: Record<string, string>): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  const fixed: string[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'ip_address' || key === 'subnet_id') fixed.push(`${key}=${value}`);
    else query[key] = value;
  }
  if (fixed.length > 0) query.fixed_ips = fixed;
  return query;
}

/** Neutron calls of one session. */
export function createNetworkDriver(
  session: OpenStackSession,
  _options: OpenStackDriverOptions,
): NetworkDriver {
  const get = async (collection: string, key: string, id: string): Promise<Resource> =>
    member((await session.request('network', `/v2.0/${collection}/${seg(id)}`)).body, key);
  const list = (collection: string, query: Record<string, string | string[]> = {}) =>
    session.list<Resource>('network', `/v2.0/${collection}`, collection.replace(/-/g, '_'), {
      query,
    });
  const find = (collection: string, key: string, label: string, nameOrId: string) =>
    findByNameOrId(
      nameOrId,
      label,
      (id) => get(collection, key, id),
      (name) => list(collection, { name }),
    );
  const create = async (collection: string, key: string, body: Json): Promise<Resource> =>
    member(
      (
        await session.request('network', `/v2.0/${collection}`, {
          method: 'POST',
          body: { [key]: body },
        })
      ).body,
      key,
    );
  const update = async (collection: string, key: string, id: string, changes: Json) =>
    member(
      (
        await session.request('network', `/v2.0/${collection}/${seg(id)}`, {
          method: 'PUT',
          body: { [key]: changes },
        })
      ).body,
      key,
    );
  const remove = async (collection: string, id: string): Promise<void> => {
    await session.request('network', `/v2.0/${collection}/${seg(id)}`, { method: 'DELETE' });
  };

  return {
    findNetwork: (nameOrId) => find('networks', 'network', 'network', nameOrId),
    findSubnet: (nameOrId) => find('subnets', 'subnet', 'subnet', nameOrId),
    findPort: (nameOrId) => find('ports', 'port', 'port', nameOrId),
    getPort: (id) => get('ports', 'port', id),
    listPorts: (filter = {}) => list('ports', portQuery(filter)),
    createPort: (body) => create('ports', 'port', body),
    updatePort: (id, changes) => update('ports', 'port', id, changes),
    deletePort: (id) => remove('ports', id),
    async findSecurityGroup(nameOrId, projectId) {
      try {
        const byId = await get('security-groups', 'security_group', nameOrId);
        if (projectId === undefined || byId.project_id === projectId) return byId;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      const scope = projectId ?? (await session.auth()).projectId;
      const named = (await list('security-groups', { name: nameOrId })).filter(
        (sg) => sg.name === nameOrId,
      );
      const own = named.filter((sg) => sg.project_id === scope);
      const candidates = own.length > 0 || projectId !== undefined ? own : named;
      if (candidates.length > 1) {
        throw new CloudConflict(
          `Multiple security_group matches found for name '${nameOrId}', use an ID to be more specific.`,
        );
      }
      return candidates[0] ?? null;
    },
    async findFloatingIp(address) {
      try {
        return await get('floatingips', 'floatingip', address);
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
      const found = await list('floatingips', { floating_ip_address: address });
      return found[0] ?? null;
    },
    listFloatingIps: (filter = {}) => list('floatingips', filter),
    createFloatingIp: (body) => create('floatingips', 'floatingip', body),
    updateFloatingIp: (id, changes) => update('floatingips', 'floatingip', id, changes),
    deleteFloatingIp: (id) => remove('floatingips', id),
  };
}
