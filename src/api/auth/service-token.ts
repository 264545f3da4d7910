/** The token senlin-ts itself presents to Keystone when it validates the tokens of callers. */
import { ServiceUnavailable } from './errors.js';
import { discardBody, type KeystoneHttp, keystoneRequest } from './keystone-http.js';

/** Password credentials of the service user (`[keystone_authtoken]`). */
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
          ? 'Keystone refused the service credentials of [keystone_authtoken]'
          : `Keystone answered ${response.status} to the service authentication`;
      throw new ServiceUnavailable(reason);
    }
    const token = response.headers.get('x-subject-token');
    let expiresAt = Number.NaN;
    try {
      const body = (await response.json()) as { token?: { expires_at?: unknown } };
      expiresAt = Date.parse(String(body.token?.expires_at));
    } catch {
      // handled below
    }
    if (!token || Number.isNaN(expiresAt)) {
      throw new ServiceUnavailable('Keystone answered the service authentication without a token');
    }
    const now = this.#now();
    const margin = Math.min(RENEW_MARGIN_MS, Math.max(0, (expiresAt - now) / 2));
    this.#held = { token, renewAt: expiresAt - margin };
    return token;
  }
}
