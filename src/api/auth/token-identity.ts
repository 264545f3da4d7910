/** Turning Keystone's token validation answer into an Identity. */
import type { Identity } from '../auth-types.js';

/** An identity established from a token, with the time the token expires. */
export interface ValidatedToken {
  identity: Identity;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Json)
    : null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Maps the body of `GET /v3/auth/tokens` (`{"token": {...}}`) to an identity: user and its
 * domain, project and its domain (project-scoped tokens), domain (domain-scoped tokens), role
 * names, trust id (`OS-TRUST:trust`) and `expires_at`. Returns null when the body lacks a user
 * id or a readable expiry.
 */
export function identityFromTokenBody(body: unknown, authToken: string): ValidatedToken | null {
  const token = obj(obj(body)?.token);
  const user = obj(token?.user);
  const userId = str(user?.id);
  const expiresAt = Date.parse(str(token?.expires_at) ?? '');
  if (token === null || user === null || userId === null || Number.isNaN(expiresAt)) return null;
  const userDomain = obj(user.domain);
  const project = obj(token.project);
  const projectDomain = obj(project?.domain);
  const roles = Array.isArray(token.roles)
    ? token.roles.map((role) => str(obj(role)?.name)).filter((name) => name !== null)
    : [];
  return {
    expiresAt,
    identity: {
      userId,
      userName: str(user.name),
      projectId: str(project?.id),
      projectName: str(project?.name),
      domainId: str(obj(token.domain)?.id),
      userDomainId: str(userDomain?.id),
      userDomainName: str(userDomain?.name),
      projectDomainId: str(projectDomain?.id),
      projectDomainName: str(projectDomain?.name),
      roles,
      authToken,
      trustId: str(obj(token['OS-TRUST:trust'])?.id),
    },
  };
}
