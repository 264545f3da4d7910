/**
 * Keystone's trust API (`/v3/OS-TRUST/trusts`), called with the token of the user who
 * delegates (the trustor), and authentication of the service user scoped to a trust.
 */
import type { Identity } from '../auth-types.js';
import { ServiceUnavailable } from './errors.js';
import { discardBody, type KeystoneHttp, keystoneRequest } from './keystone-http.js';
import { passwordIdentity, type ServiceCredentials } from './service-token.js';
import { identityFromTokenBody } from './token-identity.js';

/** What senlin-ts needs to know about a trust. */
export interface TrustRecord {
  id: string;
  trustorUserId: string;
  trusteeUserId: string;
  projectId: string | null;
  /** Milliseconds since the epoch; null for a trust that never expires. */
  expiresAt: number | null;
}

/** The trust senlin-ts asks for: the user delegates roles in a project to the service user. */
export interface TrustRequest {
  trustorUserId: string;
  trusteeUserId: string;
  projectId: string;
  roles: readonly string[];
}

/** Keystone answered a trust request with a 4xx; `status` and Keystone's message say why. */
export class KeystoneRefusal extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'KeystoneRefusal';
    this.status = status;
  }
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A trust from Keystone's JSON, or null when the id or parties are missing. */
export function trustFromJson(value: unknown): TrustRecord | null {
  const t = obj(value);
  const id = str(t?.id);
  const trustor = str(t?.trustor_user_id);
  const trustee = str(t?.trustee_user_id);
  if (t === null || id === null || trustor === null || trustee === null) return null;
  const expires = str(t.expires_at);
  const expiresAt = expires === null ? null : Date.parse(expires);
  return {
    id,
    trustorUserId: trustor,
    trusteeUserId: trustee,
    projectId: str(t.project_id),
    expiresAt: expiresAt === null || Number.isNaN(expiresAt) ? null : expiresAt,
  };
}

/** Keystone's error message from an error body, or a generic one. */
async function refusal(response: Response): Promise<KeystoneRefusal> {
  let message = `Keystone answered ${response.status}`;
  try {
    const body = obj(await response.json());
    const text = str(obj(body?.error)?.message);
    if (text !== null) message = text;
  } catch {
    // keep the generic message
  }
  return new KeystoneRefusal(response.status, message);
}

async function readJson(response: Response, what: string): Promise<Json> {
  try {
    const body = obj(await response.json());
    if (body !== null) return body;
  } catch (error) {
    throw new ServiceUnavailable(`Keystone answered ${what} with unreadable JSON`, {
      cause: error,
    });
  }
  throw new ServiceUnavailable(`Keystone answered ${what} with something that is not an object`);
}

/** Calls of the trust API with a user's token. */
export class KeystoneTrustApi {
  readonly #http: KeystoneHttp;
  readonly #base: string;

  /** `baseUrl` is Keystone's URL without `/v3`. */
  constructor(http: KeystoneHttp, baseUrl: string) {
    this.#http = http;
    this.#base = `${baseUrl}/v3/OS-TRUST/trusts`;
  }

  #send(token: string, url: string, method: string, body?: unknown): Promise<Response> {
    return keystoneRequest(this.#http, url, {
      method,
      headers: {
        Accept: 'application/json',
        'X-Auth-Token': token,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** The trust with this id, or null when Keystone does not know it (deleted, expired). */
  async get(token: string, id: string): Promise<TrustRecord | null> {
    const response = await this.#send(token, `${this.#base}/${encodeURIComponent(id)}`, 'GET');
    if (response.status === 404) {
      await discardBody(response);
      return null;
    }
    if (response.status !== 200) throw await refusal(response);
    const trust = trustFromJson((await readJson(response, 'a trust lookup')).trust);
    if (trust === null)
      throw new ServiceUnavailable('Keystone answered a trust lookup without a trust');
    return trust;
  }

  /** The trusts the user has given (Keystone filters by trustor only). */
  async listByTrustor(token: string, trustorUserId: string): Promise<TrustRecord[]> {
    const url = `${this.#base}?trustor_user_id=${encodeURIComponent(trustorUserId)}`;
    const response = await this.#send(token, url, 'GET');
    if (response.status !== 200) throw await refusal(response);
    const trusts = (await readJson(response, 'a trust listing')).trusts;
    if (!Array.isArray(trusts)) return [];
    return trusts.map(trustFromJson).filter((t): t is TrustRecord => t !== null);
  }

  /** Creates a trust with impersonation and redelegation, as upstream Senlin does. */
  async create(token: string, request: TrustRequest): Promise<TrustRecord> {
    const response = await this.#send(token, this.#base, 'POST', {
      trust: {
        trustor_user_id: request.trustorUserId,
        trustee_user_id: request.trusteeUserId,
        project_id: request.projectId,
        impersonation: true,
        allow_redelegation: true,
        roles: request.roles.map((name) => ({ name })),
      },
    });
    if (response.status !== 201) throw await refusal(response);
    const trust = trustFromJson((await readJson(response, 'a trust creation')).trust);
    if (trust === null) throw new ServiceUnavailable('Keystone created a trust without an id');
    return trust;
  }

  /** Deletes a trust; a trust that is already gone is fine. */
  async delete(token: string, id: string): Promise<void> {
    const response = await this.#send(token, `${this.#base}/${encodeURIComponent(id)}`, 'DELETE');
    if (response.status === 204 || response.status === 404) {
      await discardBody(response);
      return;
    }
    throw await refusal(response);
  }
}

/**
 * Authenticates the service user scoped to a trust (`OS-TRUST:trust`) and returns who the
 * resulting token acts as: the trustor (trusts senlin-ts creates allow impersonation), the
 * trust's project and the delegated roles. Keystone's 4xx (trust deleted or expired, trustor
 * disabled) is a KeystoneRefusal.
 */
export async function identityOfTrust(
  http: KeystoneHttp,
  creds: ServiceCredentials,
  trustId: string,
): Promise<Identity> {
  const response = await keystoneRequest(http, `${creds.baseUrl}/v3/auth/tokens?nocatalog`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      auth: { identity: passwordIdentity(creds), scope: { 'OS-TRUST:trust': { id: trustId } } },
    }),
  });
  if (response.status !== 201) throw await refusal(response);
  const token = response.headers.get('x-subject-token') ?? '';
  const validated = identityFromTokenBody(
    await readJson(response, 'a trust authentication'),
    token,
  );
  if (validated === null) {
    throw new ServiceUnavailable('Keystone answered a trust authentication without user or expiry');
  }
  return validated.identity;
}
