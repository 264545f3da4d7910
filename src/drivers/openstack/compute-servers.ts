/** Nova servers: create, read, list, rename, delete and the waits for a status or for deletion. */
import { CloudError, type Resource, type WaitOptions } from '../types.js';
import type { ComputeApi } from './compute-api.js';
import { seg } from './find.js';
import { waitForStatus, waitTiming } from './wait.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The create request as Nova takes it from the body callers give (the fake cloud's form):
 * the server fields, optionally wrapped in `server`; scheduler hints inside the server
 * (`scheduler_hints`, `os:scheduler_hints`) move to the top-level `os:scheduler_hints`; no
 * `networks` means `auto` (Nova requires the key since 2.37).
 */
export function serverCreateRequest(input: Json): Json {
  const server: Json = { ...(isObject(input.server) ? input.server : input) };
  const hints: Json = {
    ...(isObject(input['os:scheduler_hints']) ? input['os:scheduler_hints'] : {}),
    ...(isObject(server.scheduler_hints) ? server.scheduler_hints : {}),
    ...(isObject(server['os:scheduler_hints']) ? server['os:scheduler_hints'] : {}),
  };
  delete server.scheduler_hints;
  delete server['os:scheduler_hints'];
  if (server.networks === undefined || server.networks === null) server.networks = 'auto';
  for (const key of Object.keys(server)) if (server[key] === undefined) delete server[key];
  const request: Json = { server };
  if (Object.keys(hints).length > 0) request['os:scheduler_hints'] = hints;
  return request;
}

/** The server resource of an answer. */
export function serverOf(body: unknown): Resource {
  const server = isObject(body) ? body.server : undefined;
  if (!isObject(server) || typeof server.id !== 'string') {
    throw new CloudError(502, 'Nova answered without a server.');
  }
  return server as Resource;
}

/** GET /servers/{id}. */
export async function getServer(
  api: ComputeApi,
  id: string,
  signal?: AbortSignal,
): Promise<Resource> {
  const options = signal ? { signal } : {};
  return serverOf((await api.request(`/servers/${seg(id)}`, options)).body);
}

/**
 * POST /servers, then the server as GET shows it (plus `adminPass`); the POST answer when that
 * read fails.
 */
export async function createServer(api: ComputeApi, input: Json): Promise<Resource> {
  const { body } = await api.request('/servers', {
    method: 'POST',
    body: serverCreateRequest(input),
  });
  const made = serverOf(body);
  let server: Resource;
  try {
    server = await getServer(api, made.id);
  } catch {
    // The server exists: its id matters more than the details a failed read would give.
    return made;
  }
  return made.adminPass === undefined ? server : { ...server, adminPass: made.adminPass };
}

/** Servers with the given name (a regular expression, as Nova reads it), status, project, metadata. */
export async function listServers(
  api: ComputeApi,
  filter: { metadata?: Record<string, string>; name?: string; status?: string; projectId?: string },
): Promise<Resource[]> {
  const query: Record<string, string> = {};
  if (filter.name !== undefined) query.name = filter.name;
  if (filter.status !== undefined) query.status = filter.status;
  if (filter.projectId !== undefined) {
    const { projectId } = await api.session.auth();
    if (projectId !== filter.projectId) {
      query.all_tenants = '1';
      query.project_id = filter.projectId;
    }
  }
  const servers = await api.list<Resource>('/servers/detail', 'servers', { query });
  const wanted = Object.entries(filter.metadata ?? {});
  if (wanted.length === 0) return servers;
  return servers.filter((s) => {
    const md = isObject(s.metadata) ? s.metadata : {};
    return wanted.every(([k, v]) => md[k] === v);
  });
}

/** PUT /servers/{id} (name), then the server as GET shows it. */
export async function updateServer(
  api: ComputeApi,
  id: string,
  changes: { name?: string },
): Promise<Resource> {
  const server: Json = {};
  if (changes.name !== undefined) server.name = changes.name;
  await api.request(`/servers/${seg(id)}`, { method: 'PUT', body: { server } });
  return getServer(api, id);
}

/**
 * Deletes a server. `force` asks for `forceDelete`, which Nova only accepts for a soft-deleted
 * server: when it refuses (409), the server is deleted the normal way.
 */
export async function deleteServer(
  api: ComputeApi,
  id: string,
  options: { force?: boolean } = {},
): Promise<void> {
  if (options.force) {
    try {
      await api.action(id, { forceDelete: null });
      return;
    } catch (error) {
      if (!(error instanceof CloudError) || error.status !== 409) throw error;
    }
  }
  await api.request(`/servers/${seg(id)}`, { method: 'DELETE' });
}

function faultOf(server: Resource): string | null {
  const fault = server.fault;
  return isObject(fault) && typeof fault.message === 'string' ? fault.message : null;
}

/** Waits for a server status; ERROR (unless waited for) and `failures` end it with a failure. */
export async function waitForServer(
  api: ComputeApi,
  id: string,
  status: string,
  wait: WaitOptions,
): Promise<Resource> {
  const failOn = ['ERROR', ...(wait.failures ?? [])].filter((s) => s !== status);
  return waitForStatus(
    () => getServer(api, id, wait.signal),
    (s) => String(s.status),
    {
      until: [status],
      failOn,
      what: `Server ${id}`,
      reasonOf: faultOf,
      ...waitTiming(wait, {
        timeoutSeconds: api.options.novaTimeout,
        intervalMs: api.options.waitIntervalMs,
      }),
    },
  );
}

/** Waits until GET answers 404 (or the server shows as DELETED). */
export async function waitForServerDelete(
  api: ComputeApi,
  id: string,
  wait: WaitOptions,
): Promise<void> {
  await waitForStatus(
    () => getServer(api, id, wait.signal),
    (s) => String(s.status),
    {
      until: ['DELETED', 'SOFT_DELETED'],
      failOn: wait.failures ?? [],
      notFoundIsDone: true,
      what: `Server ${id}`,
      reasonOf: faultOf,
      ...waitTiming(wait, {
        timeoutSeconds: api.options.novaTimeout,
        intervalMs: api.options.waitIntervalMs,
      }),
    },
  );
}
