/** Authentication strategies of the API (`[DEFAULT] auth_strategy`). */
import type { Config } from '../../config/options.js';
import type { Authenticator } from '../auth-types.js';
import { AuthConfigError } from './errors.js';
import {
  type KeystoneAuthDeps,
  KeystoneAuthenticator,
  type KeystoneAuthOptions,
} from './keystone.js';
import { NoAuthAuthenticator } from './noauth.js';
import {
  type CredentialStore,
  TrustBroker,
  type TrustBrokerDeps,
  type TrustBrokerOptions,
} from './trust-broker.js';

export { AuthConfigError, ServiceUnavailable } from './errors.js';
export type { AuthLogger, KeystoneAuthDeps, KeystoneAuthOptions } from './keystone.js';
export { KeystoneAuthenticator } from './keystone.js';
export type { FetchLike } from './keystone-http.js';
export { identityFromHeaders, NOAUTH_DEFAULTS, NoAuthAuthenticator } from './noauth.js';
export type {
  CredentialStore,
  TrustBrokerDeps,
  TrustBrokerOptions,
} from './trust-broker.js';
export { TrustBroker } from './trust-broker.js';

/**
 * The Keystone strategy's settings from `[keystone_authtoken]`; throws AuthConfigError when
 * auth_url, username or password is missing.
 */
export function keystoneAuthOptions(section: Config['keystone_authtoken']): KeystoneAuthOptions {
  const missing = (['auth_url', 'username', 'password'] as const).filter((name) => !section[name]);
  if (missing.length > 0) {
    throw new AuthConfigError(
      `auth_strategy = keystone needs [keystone_authtoken] ${missing.join(', ')}`,
    );
  }
  if (section.auth_type !== 'password') {
    throw new AuthConfigError(
      `[keystone_authtoken] auth_type ${section.auth_type} is not supported; use password`,
    );
  }
  return {
    authUrl: section.auth_url ?? '',
    wwwAuthenticateUri: section.www_authenticate_uri,
    username: section.username ?? '',
    password: section.password ?? '',
    userDomainId: section.user_domain_id,
    userDomainName: section.user_domain_name,
    projectName: section.project_name,
    projectDomainId: section.project_domain_id,
    projectDomainName: section.project_domain_name,
    tokenCacheTime: section.token_cache_time,
    timeoutMs: (section.http_connect_timeout ?? 10) * 1000,
    maxRetries: section.http_request_max_retries,
  };
}

/** The authenticator selected by `[DEFAULT] auth_strategy` (keystone or noauth). */
export function createAuthenticator(config: Config, deps: KeystoneAuthDeps = {}): Authenticator {
  const strategy = config.DEFAULT.auth_strategy;
  if (strategy === 'noauth') return new NoAuthAuthenticator();
  if (strategy === 'keystone') {
    return new KeystoneAuthenticator(keystoneAuthOptions(config.keystone_authtoken), deps);
  }
  throw new AuthConfigError(`unknown auth_strategy ${strategy}`);
}

/**
 * The trust broker's settings: senlin's service user from `[authentication]` (its auth_url
 * defaults to `[keystone_authtoken] auth_url`), `[DEFAULT] trust_roles` and
 * `[authentication] trust_cache_time`. Throws AuthConfigError without a service password or
 * any Keystone URL.
 */
export function trustBrokerOptions(config: Config): TrustBrokerOptions {
  const section = config.authentication;
  const authUrl = section.auth_url || config.keystone_authtoken.auth_url || '';
  const missing = [
    ...(authUrl ? [] : ['auth_url']),
    ...(section.service_username ? [] : ['service_username']),
    ...(section.service_password ? [] : ['service_password']),
  ];
  if (missing.length > 0) {
    throw new AuthConfigError(
      `auth_strategy = keystone needs [authentication] ${missing.join(', ')} (the senlin service user that users delegate their roles to)`,
    );
  }
  const www = config.keystone_authtoken.www_authenticate_uri ?? config.keystone_authtoken.auth_url;
  return {
    service: {
      authUrl,
      username: section.service_username,
      password: section.service_password,
      userDomainId: null,
      userDomainName: section.service_user_domain,
      projectName: section.service_project_name,
      projectDomainId: null,
      projectDomainName: section.service_project_domain,
    },
    trustRoles: config.DEFAULT.trust_roles,
    cacheTime: section.trust_cache_time,
    wwwAuthenticate: `Keystone uri="${www ?? authUrl}"`,
    timeoutMs: (section.timeout ?? config.keystone_authtoken.http_connect_timeout ?? 10) * 1000,
    maxRetries: config.keystone_authtoken.http_request_max_retries,
  };
}

/**
 * The trust middleware for `auth_strategy = keystone` (null for noauth, where no token can
 * create trusts).
 */
export function createTrustBroker(
  config: Config,
  store: CredentialStore,
  deps: TrustBrokerDeps = {},
): TrustBroker | null {
  if (config.DEFAULT.auth_strategy !== 'keystone') return null;
  return new TrustBroker(store, trustBrokerOptions(config), deps);
}
