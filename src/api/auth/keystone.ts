/**
 * `auth_strategy = keystone`: every request carries a Keystone token in `X-Auth-Token`, which is
 * validated against Keystone v3 (`GET /v3/auth/tokens`) with senlin-ts's own service token, the
 * way keystonemiddleware's auth_token filter does. Answers are cached in process.
 */
import { createHash } from 'node:crypto';
import type { Authenticator, AuthRequest, Identity } from '../auth-types.js';
import { Unauthorized } from '../auth-types.js';
import { ServiceUnavailable, UNAUTHORIZED_MESSAGE } from './errors.js';
import { firstHeader } from './headers.js';
import {
  discardBody,
  type FetchLike,
  identityBase,
  type KeystoneHttp,
  keystoneRequest,
  sleep,
} from './keystone-http.js';
import { type ServiceCredentials, ServiceTokenProvider } from './service-token.js';
import { ExpiringLru } from './token-cache.js';
import { identityFromTokenBody } from './token-identity.js';

/** Settings of the Keystone strategy (from `[keystone_authtoken]`). */
export interface KeystoneAuthOptions {
  /** Keystone URL, with or without `/v3`. */
  authUrl: string;
  /** Announced in `WWW-Authenticate`; defaults to authUrl. */
  wwwAuthenticateUri: string | null;
  username: string;
  password: string;
  userDomainId: string | null;
  userDomainName: string | null;
  projectName: string | null;
  projectDomainId: string | null;
  projectDomainName: string | null;
  /** Seconds a valid token stays cached (never past its expiry); 0 or less: no cache. */
  tokenCacheTime: number;
  /** Seconds a refused token stays cached; default 10. */
  negativeCacheTime?: number;
  /** Most tokens held in the cache; default 10000. */
  cacheSize?: number;
  /** Milliseconds before a request to Keystone is abandoned; default 10000. */
  timeoutMs?: number;
  /** Retries of a request that failed to connect, timed out or got a 5xx; default 3. */
  maxRetries?: number;
}

/** Something that takes warnings (a pino logger fits). */
export interface AuthLogger {
  warn(message: string): void;
}

/** Replaceable collaborators, for tests. */
export interface KeystoneAuthDeps {
  fetch?: FetchLike;
  /** Milliseconds since the epoch. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: AuthLogger;
}

type Cached = { ok: true; identity: Identity } | { ok: false };

/** Validates `X-Auth-Token` against Keystone v3. */
export class KeystoneAuthenticator implements Authenticator {
  readonly #baseUrl: string;
  readonly #wwwAuthenticate: string;
  readonly #http: KeystoneHttp;
  readonly #now: () => number;
  readonly #logger: AuthLogger | null;
  readonly #service: ServiceTokenProvider;
  readonly #cache: ExpiringLru<Cached>;
  readonly #cacheMs: number;
  readonly #negativeMs: number;
  readonly #inFlight = new Map<string, Promise<Cached>>();

  constructor(options: KeystoneAuthOptions, deps: KeystoneAuthDeps = {}) {
    this.#baseUrl = identityBase(options.authUrl);
    this.#wwwAuthenticate = `Keystone uri="${options.wwwAuthenticateUri ?? options.authUrl}"`;
    this.#http = {
      fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? 3,
      sleep: deps.sleep ?? sleep,
    };
    this.#now = deps.now ?? Date.now;
    this.#logger = deps.logger ?? null;
    const creds: ServiceCredentials = { ...options, baseUrl: this.#baseUrl };
    this.#service = new ServiceTokenProvider(creds, this.#http, this.#now);
    this.#cache = new ExpiringLru(options.cacheSize ?? 10_000);
    this.#cacheMs = Math.max(0, options.tokenCacheTime) * 1000;
    this.#negativeMs = (options.negativeCacheTime ?? 10) * 1000;
  }

  /** The `WWW-Authenticate` header value sent with 401 answers. */
  get wwwAuthenticate(): string {
    return this.#wwwAuthenticate;
  }

  async authenticate(request: AuthRequest): Promise<Identity> {
    const token = firstHeader(request, 'x-auth-token', 'x-storage-token');
    if (!token) throw this.#unauthorized();
    const key = createHash('sha256').update(token).digest('hex');
    let result = this.#cache.get(key, this.#now());
    if (result === undefined) {
      let pending = this.#inFlight.get(key);
      if (pending === undefined) {
        pending = this.#validate(token, key)
          .catch((error: unknown) => {
            if (error instanceof ServiceUnavailable) {
              this.#logger?.warn(`token validation impossible: ${error.detail}`);
            }
            throw error;
          })
          .finally(() => this.#inFlight.delete(key));
        this.#inFlight.set(key, pending);
      }
      result = await pending;
    }
    if (!result.ok) throw this.#unauthorized();
    return { ...result.identity, roles: [...result.identity.roles], authToken: token };
  }

  /** Drops the cached verdict on a token (Keystone refused it in another call). */
  forget(token: string): void {
    this.#cache.delete(createHash('sha256').update(token).digest('hex'));
  }

  async close(): Promise<void> {
    this.#cache.clear();
    this.#service.clear();
  }

  #unauthorized(): Unauthorized {
    return new Unauthorized(UNAUTHORIZED_MESSAGE, this.#wwwAuthenticate);
  }

  /** Asks Keystone about a token not in the cache and caches the verdict. */
  async #validate(token: string, key: string): Promise<Cached> {
    let asked = await this.#ask(token, null);
    if (asked.response.status === 401) {
      // our service token was refused (expired or revoked early): authenticate again, once
      await discardBody(asked.response);
      asked = await this.#ask(token, asked.serviceToken);
    }
    const { response } = asked;
    if (response.status === 403) {
      await discardBody(response);
      throw new ServiceUnavailable(
        'the [keystone_authtoken] user may not validate tokens (Keystone answered 403)',
      );
    }
    if (response.status !== 200) {
      await discardBody(response);
      if (response.status === 401) {
        // not the caller's fault, so not remembered
        this.#logger?.warn('Keystone refused a freshly obtained service token');
        return { ok: false };
      }
      const refused: Cached = { ok: false };
      if (this.#negativeMs > 0) this.#cache.set(key, refused, this.#now() + this.#negativeMs);
      return refused;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new ServiceUnavailable('Keystone answered token validation with unreadable JSON', {
        cause: error,
      });
    }
    const validated = identityFromTokenBody(body, token);
    if (validated === null) {
      throw new ServiceUnavailable('Keystone answered token validation without user or expiry');
    }
    const now = this.#now();
    if (validated.expiresAt <= now) return { ok: false };
    const accepted: Cached = { ok: true, identity: { ...validated.identity, authToken: null } };
    if (this.#cacheMs > 0) {
      this.#cache.set(key, accepted, Math.min(now + this.#cacheMs, validated.expiresAt));
    }
    return accepted;
  }

  /** One validation request; `refused` is a service token Keystone just refused. */
  async #ask(
    token: string,
    refused: string | null,
  ): Promise<{ response: Response; serviceToken: string }> {
    if (refused !== null) this.#service.invalidate(refused);
    const serviceToken = await this.#service.get();
    const response = await keystoneRequest(
      this.#http,
      `${this.#baseUrl}/v3/auth/tokens?nocatalog`,
      {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'X-Auth-Token': serviceToken,
          'X-Subject-Token': token,
        },
      },
    );
    return { response, serviceToken };
  }
}
