/**
 * The ContainerDriver over the Docker Engine REST API, reached over plain HTTP at the daemon's
 * `tcp://<host>:<port>` (the address the container profile builds from its host node). Docker
 * is not in the service catalog, so this driver talks to the daemon directly, with the request
 * timeout of the OpenStack drivers.
 */
import { CloudConflict, CloudError, CloudNotFound, type ContainerDriver } from '../types.js';
import { containerBaseUrl, dockerError } from './container-http.js';
import type { OpenStackDriverOptions } from './options.js';

/** What the driver sends requests with (the global `fetch` unless a test gives another). */
export type ContainerFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Docker calls for the daemon at `url` (`tcp://host:port`, `http://…` or `https://…`). */
export function createContainerDriver(
  url: string,
  options: OpenStackDriverOptions,
  fetchImpl: ContainerFetch = fetch,
): ContainerDriver {
  const base = containerBaseUrl(url);

  async function call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    init: { query?: Record<string, string | number | boolean>; body?: unknown } = {},
  ): Promise<unknown> {
    const target = new URL(`${base}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) target.searchParams.set(k, String(v));
    let response: Response;
    try {
      response = await fetchImpl(target.toString(), {
        method,
        headers:
          init.body === undefined
            ? { Accept: 'application/json' }
            : { Accept: 'application/json', 'Content-Type': 'application/json' },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
    } catch (err) {
      const why = err instanceof Error && err.name === 'TimeoutError' ? ' (timed out)' : '';
      throw new CloudError(
        503,
        `Cannot connect to the Docker daemon at ${url}${why}. Is the docker daemon running?`,
      );
    }
    const text = await response.text();
    // 304: already started / already stopped, which is what was asked for
    if (response.ok || response.status === 304) return text === '' ? null : JSON.parse(text);
    const error = dockerError(response.status, text);
    if (response.status === 404) throw new CloudNotFound(error);
    if (response.status === 409) throw new CloudConflict(error);
    throw new CloudError(response.status, error);
  }

  const container = (id: string, action = ''): string =>
    `/containers/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;
  const stopQuery = (timeout: number | undefined) =>
    timeout === undefined ? {} : { query: { t: timeout } };

  return {
    async createContainer(create) {
      if (!create.image) throw new CloudError(400, 'image is required');
      const cmd = create.command ? create.command.split(' ').filter(Boolean) : null;
      const created = (await call('POST', '/containers/create', {
        ...(create.name ? { query: { name: create.name } } : {}),
        body: { Image: create.image, ...(cmd && cmd.length > 0 ? { Cmd: cmd } : {}) },
      })) as { Id?: unknown } | null;
      if (typeof created?.Id !== 'string')
        throw new CloudError(502, 'The Docker daemon answered a create without a container id.');
      return created.Id;
    },
    async startContainer(id) {
      await call('POST', container(id, 'start'));
    },
    async stopContainer(id, timeout) {
      await call('POST', container(id, 'stop'), stopQuery(timeout));
    },
    async restartContainer(id, timeout) {
      await call('POST', container(id, 'restart'), stopQuery(timeout));
    },
    async pauseContainer(id) {
      await call('POST', container(id, 'pause'));
    },
    async unpauseContainer(id) {
      await call('POST', container(id, 'unpause'));
    },
    async renameContainer(id, name) {
      await call('POST', container(id, 'rename'), { query: { name } });
    },
    async removeContainer(id, removeOptions = {}) {
      await call('DELETE', container(id), removeOptions.force ? { query: { force: true } } : {});
    },
    async inspectContainer(id) {
      const found = await call('GET', container(id, 'json'));
      if (found === null || typeof found !== 'object')
        throw new CloudError(502, `The Docker daemon answered no details of container ${id}.`);
      return found as Record<string, unknown>;
    },
  };
}
