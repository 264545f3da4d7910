/**
 * `auth_strategy = noauth`: the caller says who it is in request headers, nothing is verified.
 * Meant for local use (the embedded, single-process mode and tests): anyone who can reach the
 * API can claim any user, project and role.
 */
import type { Authenticator, AuthRequest, Identity } from '../auth-types.js';
import { firstHeader, headerValue, splitList } from './headers.js';

/** What a request without identity headers is taken to be: the administrator. */
export const NOAUTH_DEFAULTS = Object.freeze({
  userId: 'admin',
  userName: 'admin',
  projectId: 'admin',
  projectName: 'admin',
  roles: Object.freeze(['admin']),
});

/**
 * Identity from the headers keystonemiddleware would have set after validating a token:
 * `X-User-Id`, `X-User-Name`, `X-Project-Id` (alias `X-Tenant-Id`), `X-Project-Name` (alias
 * `X-Tenant-Name`), `X-Domain-Id`, `X-User-Domain-Id`/`-Name`, `X-Project-Domain-Id`/`-Name`,
 * `X-Roles` (comma-separated), `X-Trust-Id`, and the token itself from `X-Auth-Token`.
 *
 * Absent user id, project id or roles default to `admin` (see NOAUTH_DEFAULTS); a defaulted id
 * also defaults its name. An `X-Roles` header that is present but empty means "no roles".
 */
export function identityFromHeaders(request: AuthRequest): Identity {
  const userId = firstHeader(request, 'x-user-id');
  const projectId = firstHeader(request, 'x-project-id', 'x-tenant-id');
  const rolesHeader = headerValue(request, 'x-roles');
  return {
    userId: userId ?? NOAUTH_DEFAULTS.userId,
    userName:
      firstHeader(request, 'x-user-name') ??
      (userId === undefined ? NOAUTH_DEFAULTS.userName : null),
    projectId: projectId ?? NOAUTH_DEFAULTS.projectId,
    projectName:
      firstHeader(request, 'x-project-name', 'x-tenant-name') ??
      (projectId === undefined ? NOAUTH_DEFAULTS.projectName : null),
    domainId: firstHeader(request, 'x-domain-id') ?? null,
    userDomainId: firstHeader(request, 'x-user-domain-id') ?? null,
    userDomainName: firstHeader(request, 'x-user-domain-name') ?? null,
    projectDomainId: firstHeader(request, 'x-project-domain-id') ?? null,
    projectDomainName: firstHeader(request, 'x-project-domain-name') ?? null,
    roles: rolesHeader === undefined ? [...NOAUTH_DEFAULTS.roles] : splitList(rolesHeader),
    authToken: firstHeader(request, 'x-auth-token') ?? null,
    trustId: firstHeader(request, 'x-trust-id') ?? null,
  };
}

/** The `noauth` strategy: never refuses a request. */
export class NoAuthAuthenticator implements Authenticator {
  async authenticate(request: AuthRequest): Promise<Identity> {
    return identityFromHeaders(request);
  }

  async close(): Promise<void> {}
}
