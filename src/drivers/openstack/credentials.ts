/**
 * How senlin-ts authenticates for a set of CloudCredentials:
 * - with a trust (the usual case): the service user's password, scoped by the trust of the
 *   object's owner, so that calls act as the owner in the owner's project;
 * - without a trust: the service user in its own project;
 * - a profile `context` may name another Keystone (`auth_url`), give a token (`auth_token`,
 *   exchanged for one scoped to `project_id` or the owner's project), or other user
 *   credentials (`user_name`, `password`, `user_domain_name`, `project_id` / `project_name`,
 *   `project_domain_name`), and chooses the region (`region_name`).
 */
import type { CloudCredentials } from '../types.js';
import type { AuthMethod, AuthScope } from './auth.js';

/** The service user and defaults from the configuration. */
export interface CredentialSettings {
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly userDomain: string;
  readonly projectName: string;
  readonly projectDomain: string;
  readonly defaultRegion: string | null;
}

/** What a session for the credentials is made of. */
export interface ResolvedAuth {
  readonly method: AuthMethod;
  readonly region: string | null;
  /** Global request id to pass on (`X-OpenStack-Request-ID`), when the context has one. */
  readonly requestId: string | null;
  /** Identifies the session: equal keys may share one (holds secrets: hash before keeping). */
  readonly key: string;
}

const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function userScope(ctx: Readonly<Record<string, unknown>>, fallbackProject: string): AuthScope {
  const projectId = text(ctx.project_id);
  if (projectId) return { projectId };
  const projectName = text(ctx.project_name);
  if (projectName) {
    return { projectName, projectDomain: text(ctx.project_domain_name) ?? 'Default' };
  }
  return fallbackProject ? { projectId: fallbackProject } : null;
}

/** The authentication of `credentials` (see the file comment for the rules). */
export function resolveAuth(
  settings: CredentialSettings,
  credentials: CloudCredentials,
): ResolvedAuth {
  const ctx = credentials.context ?? {};
  const authUrl = text(ctx.auth_url) ?? settings.authUrl;
  const region = text(ctx.region_name) ?? settings.defaultRegion;
  const requestId = text(ctx.request_id);
  let method: AuthMethod;
  const token = text(ctx.auth_token);
  const otherUser = text(ctx.user_name);
  if (token) {
    method = {
      authUrl,
      identity: { kind: 'token', token },
      scope: userScope(ctx, credentials.projectId),
    };
  } else if (otherUser) {
    method = {
      authUrl,
      identity: {
        kind: 'password',
        username: otherUser,
        password: text(ctx.password) ?? '',
        userDomain: text(ctx.user_domain_name) ?? 'Default',
      },
      scope: userScope(ctx, credentials.projectId),
    };
  } else {
    const identity = {
      kind: 'password' as const,
      username: settings.username,
      password: settings.password,
      userDomain: settings.userDomain,
    };
    const scope: AuthScope = credentials.trustId
      ? { trustId: credentials.trustId }
      : { projectName: settings.projectName, projectDomain: settings.projectDomain };
    method = { authUrl, identity, scope };
  }
  return {
    method,
    region,
    requestId: requestId && REQUEST_ID.test(requestId) ? requestId : null,
    key: JSON.stringify([authUrl, method.identity, method.scope, region]),
  };
}
