import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/api/auth/errors.js';
import { createAuthenticator, keystoneAuthOptions } from '../../src/api/auth/index.js';
import { KeystoneAuthenticator } from '../../src/api/auth/keystone.js';
import { NoAuthAuthenticator } from '../../src/api/auth/noauth.js';
import { type Config, OPTIONS } from '../../src/config/options.js';

type Section = Record<string, unknown>;

function config(overrides: Record<string, Section> = {}): Config {
  const groups = Object.entries(OPTIONS).map(([group, options]) => [
    group,
    {
      ...Object.fromEntries(Object.entries(options).map(([name, def]) => [name, def.default])),
      ...overrides[group],
    },
  ]);
  return Object.fromEntries(groups) as unknown as Config;
}

const keystoneSection = {
  auth_url: 'http://127.0.0.1:5000/v3',
  username: 'senlin',
  password: 'secret',
  project_name: 'service',
};

describe('authenticator selection', () => {
  it('gives the noauth strategy for auth_strategy = noauth', () => {
    const auth = createAuthenticator(config({ DEFAULT: { auth_strategy: 'noauth' } }));
    expect(auth).toBeInstanceOf(NoAuthAuthenticator);
  });

  it('gives the keystone strategy for auth_strategy = keystone', () => {
    const auth = createAuthenticator(config({ keystone_authtoken: keystoneSection }));
    expect(auth).toBeInstanceOf(KeystoneAuthenticator);
  });

  it('refuses the keystone strategy without service credentials', () => {
    expect(() => createAuthenticator(config())).toThrow(AuthConfigError);
    expect(() => createAuthenticator(config())).toThrow(/auth_url, username, password/);
  });

  it('refuses authentication plugins other than password', () => {
    const section = { ...keystoneSection, auth_type: 'v3applicationcredential' };
    expect(() => createAuthenticator(config({ keystone_authtoken: section }))).toThrow(
      /not supported/,
    );
  });

  it('reads timeouts, retries and cache time from [keystone_authtoken]', () => {
    const options = keystoneAuthOptions(
      config({
        keystone_authtoken: {
          ...keystoneSection,
          http_connect_timeout: 3,
          http_request_max_retries: 5,
          token_cache_time: 42,
        },
      }).keystone_authtoken,
    );
    expect(options).toMatchObject({ timeoutMs: 3000, maxRetries: 5, tokenCacheTime: 42 });
  });

  it('waits 10 seconds for Keystone when http_connect_timeout is unset', () => {
    const options = keystoneAuthOptions(
      config({ keystone_authtoken: keystoneSection }).keystone_authtoken,
    );
    expect(options.timeoutMs).toBe(10_000);
  });
});
