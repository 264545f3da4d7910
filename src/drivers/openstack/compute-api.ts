/**
 * Requests to Nova at one negotiated microversion: the version senlin-ts is written for
 * (2.79, Train) or, on an older cloud, the newest the cloud offers. The version is read once
 * per session from the compute endpoint's version document.
 */
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession, RequestOptions, ServiceResponse } from './session.js';

/** The compute microversion the driver is written for. */
export const COMPUTE_MICROVERSION = '2.79';

/** `a` compared with `b` as microversions (`2.9` < `2.10`): negative, zero or positive. */
export function compareVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor === bMajor ? aMinor - bMinor : aMajor - bMajor;
}

const negotiated = new WeakMap<OpenStackSession, Promise<string | null>>();

/** The version to use; null when the cloud could not be asked (ask again next time). */
async function discover(session: OpenStackSession): Promise<string | null> {
  try {
    const { body } = await session.request<{ version?: { version?: unknown } }>('compute', '/');
    const max = body?.version?.version;
    if (typeof max === 'string' && /^\d+\.\d+$/.test(max)) {
      return compareVersions(max, COMPUTE_MICROVERSION) < 0 ? max : COMPUTE_MICROVERSION;
    }
  } catch (error) {
    // Unreachable or unauthenticated: try again later. An endpoint without a version
    // document: ask for our version and let Nova say no.
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number' || status >= 500 || status === 401) return null;
  }
  return COMPUTE_MICROVERSION;
}

/** Nova requests of one session. */
export class ComputeApi {
  constructor(
    readonly session: OpenStackSession,
    readonly options: OpenStackDriverOptions,
  ) {}

  /** The microversion used with this cloud. */
  async version(): Promise<string> {
    let found = negotiated.get(this.session);
    if (!found) {
      found = discover(this.session);
      negotiated.set(this.session, found);
    }
    const version = await found;
    if (version !== null) return version;
    negotiated.delete(this.session);
    return COMPUTE_MICROVERSION;
  }

  /** True when the negotiated microversion is `v` or later. */
  async atLeast(v: string): Promise<boolean> {
    return compareVersions(await this.version(), v) >= 0;
  }

  /** A request at the negotiated microversion. */
  async request<T = unknown>(
    path: string,
    options: RequestOptions = {},
  ): Promise<ServiceResponse<T>> {
    const microversion = await this.version();
    return this.session.request<T>('compute', path, { microversion, ...options });
  }

  /** A paginated listing at the negotiated microversion. */
  async list<T = unknown>(path: string, key: string, options: RequestOptions = {}): Promise<T[]> {
    const microversion = await this.version();
    return this.session.list<T>('compute', path, key, { microversion, ...options });
  }

  /** `POST /servers/{id}/action` with one action body. */
  async action<T = unknown>(serverId: string, body: Record<string, unknown>): Promise<T> {
    const response = await this.request<T>(`/servers/${encodeURIComponent(serverId)}/action`, {
      method: 'POST',
      body,
    });
    return response.body;
  }
}
