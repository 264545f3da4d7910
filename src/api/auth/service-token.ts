/** The token senlin-ts itself presents to Keystone when it validates the tokens of callers. */
import { ServiceUnavailable } from './errors.js';
import { discardBody, type KeystoneHttp, keystoneRequest } from './keystone-http.js';

/** Password credentials of a service user (`[keystone_authtoken]` or `[authentication]`). */
export interface ServiceCredentials {
  /** Keystone's base URL, without `/v3`. */
  baseUrl: string;
  username: string;
  password: string;
  userDomainId: string | null;
  userDomainName: string | null;
  projectName: string | null;
  projectDomainId: string | null;
  projectDomainName: string | null;
  /** Configuration section the credentials come from, named in error details. */
  section?: string;
}

/** A token is renewed this long before it expires (less for tokens that live shorter). */
const RENEW_MARGIN_MS = 120_000;

interface Held {
  token: string;
  renewAt: number;
}

function domainRef(id: string | null, name: string | null): Record<string, string> {
  return id ? { id } : { name: name ?? 'Default' };
}

/** The body of a password authentication request for the service user. */
export function passwordAuthBody(creds: ServiceCredentials): Record<string, unknown> {
  const auth: Record<string, unknown> = {
    identity: {
      methods: ['password'],
      password: {
        user: {
          name: creds.username,
          password: creds.password,
          domain: domainRef(creds.userDomainId, creds.userDomainName),
        },
      },
    },
  };
  if (creds.projectName) {
    auth.scope = {
      project: {
        name: creds.projectName,
        domain: domainRef(creds.projectDomainId, creds.projectDomainName),
      },
    };
  }
  return { auth };
}

/** The identity part of a password authentication request (no scope). */
export function passwordIdentity(creds: ServiceCredentials): Record<string, unknown> {
  const auth = passwordAuthBody(creds).auth as { identity: Record<string, unknown> };
  return auth.identity;
}

/**
 * Obtains the service token with password authentication and keeps it until shortly before it
 * expires. Concurrent callers share one authentication request. `invalidate` drops a token that
 * Keystone refused so that the next `get` authenticates again.
 */
export class ServiceTokenProvider {
  readonly #creds: ServiceCredentials;
  readonly #http: KeystoneHttp;
  readonly #now: () => number;
  #held: Held | null = null;
  /** Id of the service user, from the first token body that had it. */
  #userId: string | null = null;
  #pending: Promise<string> | null = null;

  constructor(creds: ServiceCredentials, http: KeystoneHttp, now: () => number) {
    this.#creds = creds;
    this.#http = http;
    this.#now = now;
  }

  /** A service token that is valid for a while yet. */
  async get(): Promise<string> {
    const held = this.#held;
    if (held && this.#now() < held.renewAt) return held.token;
    if (this.#pending === null) {
      this.#pending = this.#authenticate().finally(() => {
        this.#pending = null;
      });
    }
    return this.#pending;
  }

  /** The id of the service user, learnt from its token (authenticating first if needed). */
  async userId(): Promise<string> {
    if (this.#userId === null) await this.get();
    const id = this.#userId;
    if (id === null)
      throw new ServiceUnavailable(
        'Keystone answered the service authentication without a user id',
      );
    return id;
  }

  /** Forgets `token` if it is the one held (Keystone said it is no longer valid). */
  invalidate(token: string): void {
    if (this.#held?.token === token) this.#held = null;
  }

  /** Forgets whatever token is held. */
  clear(): void {
    this.#held = null;
  }

  async #authenticate(): Promise<string> {
    const response = await keystoneRequest(this.#http, `${this.#creds.baseUrl}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(passwordAuthBody(this.#creds)),
    });
    if (response.status !== 201) {
      await discardBody(response);
      const reason =
        response.status === 401
          ? `Keystone refused the service credentials of [${this.#creds.section ?? 'keystone_authtoken'}]`
          : `Keystone answered ${response.status} to the service authentication`;
      throw new ServiceUnavailable(reason);
    }
    const token = response.headers.get('x-subject-token');
    let expiresAt = Number.NaN;
    let userId: string | null = null;
    try {
      const body = (await response.json()) as {
        token?: { expires_at?: unknown; user?: { id?: unknown } };
      };
      expiresAt = Date.parse(String(body.token?.expires_at));
      const id = body.token?.user?.id;
      userId = typeof id === 'string' && id !== '' ? id : null;
    } catch {
      // handled below
    }
    if (!token || Number.isNaN(expiresAt)) {
      throw new ServiceUnavailable('Keystone answered the service authentication without a token');
    }
    const now = this.#now();
    const margin = Math.min(RENEW_MARGIN_MS, Math.max(0, (expiresAt - now) / 2));
    this.#held = { token, renewAt: expiresAt - margin };
    if (userId !== null) this.#userId = userId;
    return token;
  }
}
