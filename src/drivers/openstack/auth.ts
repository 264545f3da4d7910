/**
 * Keystone v3 authentication: password (the service user, optionally scoped by a trust) or
 * token, scoped to a project or a trust. The answer is a token with its user, project, expiry
 * and service catalog.
 */
import { CloudError } from '../types.js';
import type { CatalogEntry } from './catalog.js';
import { errorMessage } from './error-body.js';
import { type HttpSettings, send } from './http.js';

/** A user and password (names within a domain). */
export interface PasswordIdentity {
  readonly kind: 'password';
  readonly username: string;
  readonly password: string;
  /** Domain name of the user (`Default` unless told otherwise). */
  readonly userDomain: string;
}

/** An existing token to exchange for a scoped one. */
export interface TokenIdentity {
  readonly kind: 'token';
  readonly token: string;
}

/** What the token is scoped to (null: Keystone's default scope of the user). */
export type AuthScope =
  | { readonly trustId: string }
  | { readonly projectId: string }
  | { readonly projectName: string; readonly projectDomain: string }
  | null;

/** One way to obtain a token. */
export interface AuthMethod {
  /** Keystone URL, with or without `/v3`. */
  readonly authUrl: string;
  readonly identity: PasswordIdentity | TokenIdentity;
  readonly scope: AuthScope;
}

/** A token Keystone issued. */
export interface IssuedToken {
  readonly id: string;
  readonly userId: string;
  readonly projectId: string | null;
  readonly trustId: string | null;
  readonly expiresAt: Date;
  readonly catalog: readonly CatalogEntry[];
}

/** Keystone's v3 base URL from an `auth_url` that may or may not end in `/v3`. */
export function identityV3Url(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '').replace(/\/v(3|2\.0)$/, '');
  return `${base}/v3`;
}

function scopeBody(scope: AuthScope): Record<string, unknown> | undefined {
  if (scope === null) return undefined;
  if ('trustId' in scope) return { 'OS-TRUST:trust': { id: scope.trustId } };
  if ('projectId' in scope) return { project: { id: scope.projectId } };
  return { project: { name: scope.projectName, domain: { name: scope.projectDomain } } };
}

/** The body of `POST /v3/auth/tokens` for a method. */
export function authRequestBody(method: AuthMethod): Record<string, unknown> {
  const id = method.identity;
  const identity =
    id.kind === 'password'
      ? {
          methods: ['password'],
          password: {
            user: { name: id.username, password: id.password, domain: { name: id.userDomain } },
          },
        }
      : { methods: ['token'], token: { id: id.token } };
  const scope = scopeBody(method.scope);
  return { auth: scope ? { identity, scope } : { identity } };
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The token of a successful answer (header `X-Subject-Token`, body `token`). */
export function parseIssuedToken(subject: string | null, body: unknown): IssuedToken {
  const token = obj(obj(body).token);
  const userId = obj(token.user).id;
  const expires = typeof token.expires_at === 'string' ? Date.parse(token.expires_at) : Number.NaN;
  if (!subject || typeof userId !== 'string' || Number.isNaN(expires)) {
    throw new CloudError(502, 'Keystone answered the token request without a usable token.');
  }
  const projectId = obj(token.project).id;
  const trustId = obj(token['OS-TRUST:trust']).id;
  return {
    id: subject,
    userId,
    projectId: typeof projectId === 'string' ? projectId : null,
    trustId: typeof trustId === 'string' ? trustId : null,
    expiresAt: new Date(expires),
    catalog: Array.isArray(token.catalog) ? (token.catalog as CatalogEntry[]) : [],
  };
}

/** Obtains a token; Keystone's refusals become CloudErrors carrying Keystone's message. */
export async function issueToken(
  http: HttpSettings,
  method: AuthMethod,
  signal?: AbortSignal,
): Promise<IssuedToken> {
  if (!method.authUrl) {
    throw new CloudError(500, 'No Keystone URL is configured ([authentication] auth_url).');
  }
  const url = `${identityV3Url(method.authUrl)}/auth/tokens`;
  const response = await send(
    http,
    url,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(authRequestBody(method)),
    },
    { signal, idempotent: true },
  );
  const raw = await response.text();
  if (!response.ok) {
    const message = errorMessage(response.status, raw, response.statusText);
    throw new CloudError(response.status, `Authentication failed: ${message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new CloudError(502, 'Keystone answered the token request with invalid JSON.');
  }
  return parseIssuedToken(response.headers.get('x-subject-token'), body);
}
