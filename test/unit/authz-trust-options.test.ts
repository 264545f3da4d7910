import { describe, expect, it } from 'vitest';
import { AuthConfigError } from '../../src/api/auth/errors.js';
import { createTrustBroker, trustBrokerOptions } from '../../src/api/auth/index.js';
import { TrustBroker } from '../../src/api/auth/trust-broker.js';
import { defaultConfig } from '../../src/config/load.js';

const store = { trustOf: async () => null, saveTrust: async () => {} };

const keystone = {
  DEFAULT: { auth_strategy: 'keystone' },
  keystone_authtoken: {
    auth_url: 'http://keystone.test:5000/v3',
    username: 'senlin',
    password: 'secret',
    project_name: 'service',
  },
  authentication: { service_password: 'trustee-secret' },
} as const;

describe('trust broker selection and settings', () => {
  it('is not used with auth_strategy = noauth', () => {
    expect(
      createTrustBroker(defaultConfig({ DEFAULT: { auth_strategy: 'noauth' } }), store),
    ).toBeNull();
  });

  it('is used with auth_strategy = keystone', () => {
    expect(createTrustBroker(defaultConfig(keystone), store)).toBeInstanceOf(TrustBroker);
  });

  it('takes the service user from [authentication], its auth_url from [keystone_authtoken] when unset', () => {
    const options = trustBrokerOptions(defaultConfig(keystone));
    expect(options.service).toMatchObject({
      authUrl: 'http://keystone.test:5000/v3',
      username: 'senlin',
      password: 'trustee-secret',
      projectName: 'service',
      userDomainName: 'Default',
      projectDomainName: 'Default',
    });
    expect(options).toMatchObject({ trustRoles: [], cacheTime: 300 });
  });

  it('prefers the auth_url of [authentication] and reads trust_roles and trust_cache_time', () => {
    const options = trustBrokerOptions(
      defaultConfig({
        ...keystone,
        DEFAULT: { ...keystone.DEFAULT, trust_roles: ['member'] },
        authentication: {
          ...keystone.authentication,
          auth_url: 'http://identity.test/v3',
          trust_cache_time: 0,
        },
      }),
    );
    expect(options).toMatchObject({
      service: { authUrl: 'http://identity.test/v3' },
      trustRoles: ['member'],
      cacheTime: 0,
    });
  });

  it('refuses to start without the password of the service user', () => {
    const config = defaultConfig({ ...keystone, authentication: { service_password: '' } });
    expect(() => createTrustBroker(config, store)).toThrow(AuthConfigError);
    expect(() => createTrustBroker(config, store)).toThrow(/\[authentication\] service_password/);
  });
});
