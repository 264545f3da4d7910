/**
 * One Keystone session: a token for one set of credentials (renewed before it expires and once
 * more when a service answers 401), its service catalog, and JSON requests to the services
 * with microversions, request ids, retries, timeouts and pagination.
 */
import { CloudError } from '../types.js';
import { type AuthMethod, type IssuedToken, identityV3Url, issueToken } from './auth.js';
import { findEndpoint, requireEndpoint } from './catalog.js';
import { cloudErrorOf, errorMessage } from './error-body.js';
import { discardBody, type HttpSettings, send } from './http.js';
import { nextPage } from './pagination.js';
import { isAbsoluteUrl, joinUrl, type QueryParams, withQuery } from './url.js';

/** Options of one request. */
export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  query?: QueryParams;
  /** JSON-encoded (Content-Type: application/json) unless `rawBody` is given. */
  body?: unknown;
  /** Sent as it is (e.g. Glance image data as application/octet-stream). */
  rawBody?: Uint8Array | string;
  headers?: Record<string, string>;
  /** `OpenStack-API-Version: <service> <v>` (and `X-OpenStack-Nova-API-Version` for compute). */
  microversion?: string;
  /** Statuses that are not errors (default: any 2xx). */
  ok?: readonly number[];
  signal?: AbortSignal;
  /** Milliseconds before the request is abandoned (default: the session's). */
  timeoutMs?: number;
}

/** A successful answer: status, headers and the parsed JSON body (text when not JSON). */
export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** Who a token is for, and until when. */
export interface SessionAuth {
  token: string;
  userId: string;
  projectId: string | null;
  expiresAt: Date;
}

/** Requests to the services of one cloud for one set of credentials. */
export interface OpenStackSession {
  /**
   * `path` is relative to the catalog endpoint of `serviceType` (or an absolute URL). Errors
   * throw CloudError/CloudNotFound carrying the service's own error message.
   */
  request<T = unknown>(
    serviceType: string,
    path: string,
    options?: RequestOptions,
  ): Promise<ServiceResponse<T>>;
  /** GET and follow pagination (`<key>_links` next / `links` next / marker) collecting `body[key]`. */
  list<T = unknown>(
    serviceType: string,
    path: string,
    key: string,
    options?: RequestOptions,
  ): Promise<T[]>;
  /** Catalog endpoint URL (interface and region from configuration / the profile context). */
  endpoint(serviceType: string): Promise<string>;
  /** A valid token and who it is for (refreshed before expiry). */
  auth(): Promise<SessionAuth>;
}

/** How a session is built. */
export interface SessionSettings {
  readonly http: HttpSettings;
  readonly method: AuthMethod;
  /** Catalog interface (public, internal, admin). */
  readonly interface: string;
  /** Catalog region (null: the first endpoint of any region). */
  readonly region: string | null;
  /** Global request id sent as `X-OpenStack-Request-ID` (null: none). */
  readonly requestId?: string | null;
  /** Clock (tests). */
  readonly now?: () => number;
}

/** A token is renewed this long before it expires (half its life for short-lived tokens). */
const RENEW_MARGIN_MS = 300_000;

/** The value of the microversion header for a service type. */
function microversionService(serviceType: string): string {
  if (serviceType === 'block-storage' || serviceType.startsWith('volume')) return 'volume';
  return serviceType;
}

interface Held {
  readonly token: IssuedToken;
  readonly renewAt: number;
}

/** The session over Keystone v3 and the services of its catalog. */
export class KeystoneSession implements OpenStackSession {
  readonly #settings: SessionSettings;
  readonly #now: () => number;
  #held: Held | null = null;
  #pending: Promise<IssuedToken> | null = null;

  constructor(settings: SessionSettings) {
    this.#settings = settings;
    this.#now = settings.now ?? Date.now;
  }

  /** The catalog region this session uses. */
  get region(): string | null {
    return this.#settings.region;
  }

  async auth(): Promise<SessionAuth> {
    const token = await this.#token();
    return {
      token: token.id,
      userId: token.userId,
      projectId: token.projectId,
      expiresAt: token.expiresAt,
    };
  }

  /** Drops the token (if it is still `tokenId`) so that the next call authenticates again. */
  invalidate(tokenId?: string): void {
    if (tokenId === undefined || this.#held?.token.id === tokenId) this.#held = null;
  }

  async endpoint(serviceType: string): Promise<string> {
    return this.#endpointOf(await this.#token(), serviceType);
  }

  #endpointOf(token: IssuedToken, serviceType: string): string {
    const { interface: iface, region, method } = this.#settings;
    if (serviceType === 'identity') {
      return (
        findEndpoint(token.catalog, 'identity', iface, region) ?? identityV3Url(method.authUrl)
      );
    }
    return requireEndpoint(token.catalog, serviceType, iface, region);
  }

  async #token(): Promise<IssuedToken> {
    const held = this.#held;
    if (held && this.#now() < held.renewAt) return held.token;
    if (this.#pending === null) {
      this.#pending = issueToken(this.#settings.http, this.#settings.method)
        .then((token) => {
          const now = this.#now();
          const life = token.expiresAt.getTime() - now;
          const margin = Math.min(RENEW_MARGIN_MS, Math.max(0, life / 2));
          this.#held = { token, renewAt: token.expiresAt.getTime() - margin };
          return token;
        })
        .finally(() => {
          this.#pending = null;
        });
    }
    return this.#pending;
  }

  #headers(token: IssuedToken, serviceType: string, options: RequestOptions): Headers {
    const headers = new Headers({ Accept: 'application/json', 'User-Agent': 'senlin-ts' });
    headers.set('X-Auth-Token', token.id);
    if (this.#settings.requestId) headers.set('X-OpenStack-Request-ID', this.#settings.requestId);
    if (options.microversion) {
      headers.set(
        'OpenStack-API-Version',
        `${microversionService(serviceType)} ${options.microversion}`,
      );
      if (serviceType === 'compute') {
        headers.set('X-OpenStack-Nova-API-Version', options.microversion);
      }
    }
    if (options.rawBody !== undefined) headers.set('Content-Type', 'application/octet-stream');
    else if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(options.headers ?? {})) headers.set(k, v);
    return headers;
  }

  async request<T = unknown>(
    serviceType: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ServiceResponse<T>> {
    const method = options.method ?? 'GET';
    let body: string | Uint8Array | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.#token();
      const base = isAbsoluteUrl(path) ? '' : this.#endpointOf(token, serviceType);
      const url = withQuery(joinUrl(base, path), options.query);
      const response = await send(
        this.#settings.http,
        url,
        { method, headers: this.#headers(token, serviceType, options), body },
        { signal: options.signal, timeoutMs: options.timeoutMs },
      );
      if (response.status === 401 && attempt === 0) {
        // The token may have been revoked or expired early: authenticate once more.
        await discardBody(response);
        this.invalidate(token.id);
        continue;
      }
      return readResponse<T>(response, method, url, options.ok);
    }
  }

  async list<T = unknown>(
    serviceType: string,
    path: string,
    key: string,
    options: RequestOptions = {},
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    const endpoint = isAbsoluteUrl(path) ? new URL(path).origin : await this.endpoint(serviceType);
    let next: string | null = withQuery(joinUrl(endpoint, path), options.query);
    const limit = options.query?.limit;
    while (next !== null && !seen.has(next)) {
      seen.add(next);
      const page: ServiceResponse<Record<string, unknown>> = await this.request<
        Record<string, unknown>
      >(serviceType, next, { ...options, method: 'GET', query: undefined });
      const chunk = page.body?.[key];
      if (!Array.isArray(chunk)) {
        throw new CloudError(502, `The ${serviceType} service answered without a '${key}' list.`);
      }
      items.push(...(chunk as T[]));
      next = nextPage(page.body, key, next, endpoint, typeof limit === 'number' ? limit : null);
    }
    return items;
  }
}

async function readResponse<T>(
  response: Response,
  method: string,
  url: string,
  ok: readonly number[] | undefined,
): Promise<ServiceResponse<T>> {
  const raw = method === 'HEAD' ? '' : await response.text();
  const good = ok ? ok.includes(response.status) : response.status >= 200 && response.status < 300;
  if (!good) {
    const message = errorMessage(response.status, raw, response.statusText);
    throw cloudErrorOf(response.status, message);
  }
  let body: unknown = raw;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json')) {
        throw new CloudError(502, `${method} ${url.replace(/\?.*$/, '')} answered invalid JSON.`);
      }
    }
  } else body = null;
  return { status: response.status, headers: response.headers, body: body as T };
}
