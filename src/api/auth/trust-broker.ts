/**
 * The trust middleware of `auth_strategy = keystone`: every authenticated request gets the
 * Keystone trust its user gave senlin's service user in the request's project, so that work
 * done later without the user's token (deferred actions, webhook triggers, health recovery)
 * acts for the user. A trust is found in the credential table, or else found or created in
 * Keystone with the user's token and stored there; answers are cached per (user, project).
 */
import { Forbidden } from '../../common/errors.js';
import type { Identity } from '../auth-types.js';
import { Unauthorized } from '../auth-types.js';
import { ServiceUnavailable, UNAUTHORIZED_MESSAGE } from './errors.js';
import { type FetchLike, identityBase, type KeystoneHttp, sleep } from './keystone-http.js';
import {
  identityOfTrust,
  KeystoneRefusal,
  KeystoneTrustApi,
  type TrustRecord,
} from './keystone-trusts.js';
import { type ServiceCredentials, ServiceTokenProvider } from './service-token.js';
import { ExpiringLru } from './token-cache.js';

/** Where trusts are remembered: the credential table (through the conductor). */
export interface CredentialStore {
  /** The trust stored for a user in a project, or null. */
  trustOf(user: string, project: string): Promise<string | null>;
  /** Stores the trust of a user in a project; `replaced` is the trust it supersedes. */
  saveTrust(user: string, project: string, trustId: string, replaced: string | null): Promise<void>;
}

/** Settings of the trust broker (from `[authentication]` and `[DEFAULT] trust_roles`). */
export interface TrustBrokerOptions {
  /** senlin's service user, the trustee of every trust (`[authentication]`). */
  service: Omit<ServiceCredentials, 'baseUrl'> & { authUrl: string };
  /** Roles delegated; empty: the roles of the requester's token. */
  trustRoles: readonly string[];
  /** Seconds a (user, project) → trust answer is reused without asking Keystone; ≤ 0: never. */
  cacheTime: number;
  /** `WWW-Authenticate` value of 401 answers (the authenticator's). */
  wwwAuthenticate: string;
  timeoutMs?: number;
  maxRetries?: number;
  cacheSize?: number;
}

/** Replaceable collaborators, for tests. */
export interface TrustBrokerDeps {
  fetch?: FetchLike;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: { warn(message: string): void };
}

type Verdict = 'valid' | 'gone' | 'unverifiable';

/** Finds, creates, stores and caches the trusts of requesters. */
export class TrustBroker {
  readonly #store: CredentialStore;
  readonly #http: KeystoneHttp;
  readonly #creds: ServiceCredentials;
  readonly #service: ServiceTokenProvider;
  readonly #api: KeystoneTrustApi;
  readonly #roles: readonly string[];
  readonly #cacheMs: number;
  readonly #cache: ExpiringLru<string>;
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #wwwAuthenticate: string;
  readonly #now: () => number;
  readonly #logger: TrustBrokerDeps['logger'] | null;

  constructor(store: CredentialStore, options: TrustBrokerOptions, deps: TrustBrokerDeps = {}) {
    this.#store = store;
    this.#http = {
      fetch: deps.fetch ?? ((url, init) => fetch(url, init)),
      timeoutMs: options.timeoutMs ?? 10_000,
      maxRetries: options.maxRetries ?? 3,
      sleep: deps.sleep ?? sleep,
    };
    this.#now = deps.now ?? Date.now;
    this.#logger = deps.logger ?? null;
    const { authUrl, ...service } = options.service;
    this.#creds = { ...service, baseUrl: identityBase(authUrl), section: 'authentication' };
    this.#service = new ServiceTokenProvider(this.#creds, this.#http, this.#now);
    this.#api = new KeystoneTrustApi(this.#http, this.#creds.baseUrl);
    this.#roles = [...options.trustRoles];
    this.#cacheMs = Math.max(0, options.cacheTime) * 1000;
    this.#cache = new ExpiringLru(options.cacheSize ?? 10_000);
    this.#wwwAuthenticate = options.wwwAuthenticate;
  }

  /**
   * The trust of the requester in its project (what becomes `ctx.trusts`). Requests without a
   * user, a project or a token keep the trust of their token, if any.
   */
  async ensure(identity: Identity): Promise<string | null> {
    const { userId: user, projectId: project, authToken: token } = identity;
    if (!user || !project || !token) return identity.trustId;
    const key = `${user}\u0000${project}`;
    const cached = this.#cache.get(key, this.#now());
    if (cached !== undefined) return cached;
    let pending = this.#inFlight.get(key);
    if (pending === undefined) {
      pending = this.#resolve(user, project, token, identity.roles)
        .catch((error: unknown) => {
          if (error instanceof ServiceUnavailable) {
            this.#logger?.warn(`trust of user ${user} in project ${project}: ${error.detail}`);
          }
          throw error;
        })
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const trustId = await pending;
    if (this.#cacheMs > 0) this.#cache.set(key, trustId, this.#now() + this.#cacheMs);
    return trustId;
  }

  /**
   * Who acts through a trust: the service user authenticates scoped to it (webhook
   * triggers). A trust Keystone refuses is a 403, as upstream's webhook middleware answers.
   */
  async actAs(trustId: string): Promise<Identity> {
    try {
      return await identityOfTrust(this.#http, this.#creds, trustId);
    } catch (error) {
      if (error instanceof KeystoneRefusal) {
        this.#logger?.warn(`authentication with trust ${trustId} refused: ${error.message}`);
        throw new Forbidden();
      }
      throw error;
    }
  }

  /** Forgets the cached trust of a user in a project. */
  forget(user: string, project: string): void {
    this.#cache.delete(`${user}\u0000${project}`);
  }

  /** Drops caches and the service token. */
  close(): void {
    this.#cache.clear();
    this.#service.clear();
  }

  async #resolve(user: string, project: string, token: string, roles: readonly string[]) {
    const stored = await this.#store.trustOf(user, project);
    if (stored !== null && (await this.#check(token, stored, user, project)) !== 'gone') {
      return stored;
    }
    const { trust, created } = await this.#obtain(user, project, token, roles, stored);
    try {
      await this.#store.saveTrust(user, project, trust.id, stored);
    } catch (error) {
      // nothing half-written: a trust made for this request goes when it cannot be stored
      if (created) await this.#discard(token, trust.id);
      throw error;
    }
    return trust.id;
  }

  /** Whether a stored trust is still the right one in Keystone. */
  async #check(token: string, id: string, user: string, project: string): Promise<Verdict> {
    let trust: TrustRecord | null;
    try {
      trust = await this.#api.get(token, id);
    } catch (error) {
      // Delegated tokens (application credentials, trusts) may not look at trusts: the
      // stored trust is used as it is, as upstream always does.
      if (error instanceof KeystoneRefusal && error.status !== 401) return 'unverifiable';
      throw this.#translate(error, user, project);
    }
    if (trust === null) return 'gone';
    return this.#fits(trust, user, project, await this.#trusteeId()) ? 'valid' : 'gone';
  }

  #fits(trust: TrustRecord, user: string, project: string, trustee: string): boolean {
    return (
      trust.trustorUserId === user &&
      trust.trusteeUserId === trustee &&
      trust.projectId === project &&
      (trust.expiresAt === null || trust.expiresAt > this.#now())
    );
  }

  /** An existing trust of the user to the service user in the project, or a new one. */
  async #obtain(
    user: string,
    project: string,
    token: string,
    roles: readonly string[],
    stale: string | null,
  ): Promise<{ trust: TrustRecord; created: boolean }> {
    const trustee = await this.#trusteeId();
    try {
      const existing = (await this.#api.listByTrustor(token, user)).find(
        (t) => t.id !== stale && this.#fits(t, user, project, trustee),
      );
      if (existing) return { trust: existing, created: false };
      const delegated = this.#roles.length > 0 ? this.#roles : roles;
      const trust = await this.#api.create(token, {
        trustorUserId: user,
        trusteeUserId: trustee,
        projectId: project,
        roles: delegated,
      });
      return { trust, created: true };
    } catch (error) {
      throw this.#translate(error, user, project);
    }
  }

  async #trusteeId(): Promise<string> {
    return this.#service.userId();
  }

  async #discard(token: string, id: string): Promise<void> {
    try {
      await this.#api.delete(token, id);
    } catch (error) {
      this.#logger?.warn(`trust ${id} could not be deleted after a failure: ${String(error)}`);
    }
  }

  /** Keystone's refusals as API errors: 401 for the user's token, 403 for the delegation. */
  #translate(error: unknown, user: string, project: string): unknown {
    if (!(error instanceof KeystoneRefusal)) return error;
    if (error.status === 401) return new Unauthorized(UNAUTHORIZED_MESSAGE, this.#wwwAuthenticate);
    if (error.status >= 400 && error.status < 500) {
      return new Forbidden(
        `Keystone refused to let user ${user} delegate its roles in project ${project} to the senlin service user: ${error.message}`,
      );
    }
    return new ServiceUnavailable(`Keystone answered ${error.status} to a trust request`);
  }
}
