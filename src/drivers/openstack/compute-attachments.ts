/** Nova server metadata, network interfaces, volume attachments and server groups. */
import { CloudError, type Resource } from '../types.js';
import type { ComputeApi } from './compute-api.js';
import { findByNameOrId, seg } from './find.js';

type Json = Record<string, unknown>;

function member<T>(body: unknown, key: string, what: string): T {
  const value = (body as Json | null)?.[key];
  if (typeof value !== 'object' || value === null) {
    throw new CloudError(502, `Nova answered without ${what}.`);
  }
  return value as T;
}

/** The metadata of a server. */
export async function getMetadata(api: ComputeApi, id: string): Promise<Record<string, string>> {
  const { body } = await api.request(`/servers/${seg(id)}/metadata`);
  return { ...member<Record<string, string>>(body, 'metadata', 'metadata') };
}

/** Replaces all metadata of a server. */
export async function setMetadata(
  api: ComputeApi,
  id: string,
  metadata: Record<string, string>,
): Promise<void> {
  await api.request(`/servers/${seg(id)}/metadata`, { method: 'PUT', body: { metadata } });
}

/** Removes metadata keys; keys that are not set are ignored. */
export async function deleteMetadata(
  api: ComputeApi,
  id: string,
  keys: readonly string[],
): Promise<void> {
  for (const key of keys) {
    await api.request(`/servers/${seg(id)}/metadata/${seg(key)}`, {
      method: 'DELETE',
      ok: [200, 204, 404],
    });
  }
  // A 404 may also mean the server is gone: say so rather than succeed silently.
  await api.request(`/servers/${seg(id)}`);
}

/** An interface attachment as a resource (its id is the port id). */
function interfaceView(attachment: Json): Resource {
  return { ...attachment, id: String(attachment.port_id) } as Resource;
}

/** The network interfaces of a server. */
export async function listInterfaces(api: ComputeApi, id: string): Promise<Resource[]> {
  const { body } = await api.request(`/servers/${seg(id)}/os-interface`);
  return member<Json[]>(body, 'interfaceAttachments', 'interfaces').map(interfaceView);
}

/** Plugs an existing port, or a new port on a network, into a server. */
export async function createInterface(
  api: ComputeApi,
  id: string,
  options: { portId?: string; netId?: string },
): Promise<Resource> {
  const attachment: Json = {};
  if (options.portId) attachment.port_id = options.portId;
  else if (options.netId) attachment.net_id = options.netId;
  else
    throw new CloudError(400, 'Either a port or a network must be given to attach an interface.');
  const { body } = await api.request(`/servers/${seg(id)}/os-interface`, {
    method: 'POST',
    body: { interfaceAttachment: attachment },
  });
  return interfaceView(member<Json>(body, 'interfaceAttachment', 'the interface'));
}

/** Unplugs a port from a server. */
export async function deleteInterface(api: ComputeApi, id: string, portId: string): Promise<void> {
  await api.request(`/servers/${seg(id)}/os-interface/${seg(portId)}`, { method: 'DELETE' });
}

/** Attaches a volume (at `device` when given); returns the attachment. */
export async function attachVolume(
  api: ComputeApi,
  serverId: string,
  volumeId: string,
  device?: string,
): Promise<Resource> {
  const attachment: Json = { volumeId };
  if (device) attachment.device = device;
  const { body } = await api.request(`/servers/${seg(serverId)}/os-volume_attachments`, {
    method: 'POST',
    body: { volumeAttachment: attachment },
  });
  const made = member<Json>(body, 'volumeAttachment', 'the volume attachment');
  return { ...made, id: String(made.id ?? made.volumeId) } as Resource;
}

/** Detaches a volume. */
export async function detachVolume(
  api: ComputeApi,
  serverId: string,
  volumeId: string,
): Promise<void> {
  await api.request(`/servers/${seg(serverId)}/os-volume_attachments/${seg(volumeId)}`, {
    method: 'DELETE',
  });
}

/** A server group with both `policy` (2.64+) and `policies` (before), and `members`. */
export function serverGroupView(group: Json): Resource {
  const policies = Array.isArray(group.policies) ? (group.policies as string[]) : [];
  const policy = typeof group.policy === 'string' ? group.policy : (policies[0] ?? null);
  return {
    ...group,
    policy,
    policies: policies.length > 0 ? policies : policy ? [policy] : [],
    members: Array.isArray(group.members) ? group.members : [],
    metadata: group.metadata ?? {},
  } as unknown as Resource;
}

/** Creates a server group with one policy. */
export async function createServerGroup(
  api: ComputeApi,
  name: string,
  policy: string,
): Promise<Resource> {
  const group: Json = (await api.atLeast('2.64')) ? { name, policy } : { name, policies: [policy] };
  const { body } = await api.request('/os-server-groups', {
    method: 'POST',
    body: { server_group: group },
  });
  return serverGroupView(member<Json>(body, 'server_group', 'the server group'));
}

/** A server group by id. */
export async function getServerGroup(api: ComputeApi, id: string): Promise<Resource> {
  const { body } = await api.request(`/os-server-groups/${seg(id)}`);
  return serverGroupView(member<Json>(body, 'server_group', 'the server group'));
}

/** A server group by name or id, or null. */
export function findServerGroup(api: ComputeApi, nameOrId: string): Promise<Resource | null> {
  return findByNameOrId(
    nameOrId,
    'server group',
    (id) => getServerGroup(api, id),
    async () => (await api.list<Json>('/os-server-groups', 'server_groups')).map(serverGroupView),
  );
}

/** Deletes a server group. */
export async function deleteServerGroup(api: ComputeApi, id: string): Promise<void> {
  await api.request(`/os-server-groups/${seg(id)}`, { method: 'DELETE' });
}
