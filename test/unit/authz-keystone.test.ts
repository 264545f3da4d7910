import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceUnavailable } from '../../src/api/auth/errors.js';
import { KeystoneAuthenticator, type KeystoneAuthOptions } from '../../src/api/auth/keystone.js';
import { Unauthorized } from '../../src/api/auth-types.js';
import { FakeKeystone } from './authz-fake-keystone.js';

const HOUR = 3_600_000;

let clock: number;
let keystone: FakeKeystone;

const options = (extra: Partial<KeystoneAuthOptions> = {}): KeystoneAuthOptions => ({
  authUrl: 'http://keystone.test:5000/v3/',
  wwwAuthenticateUri: null,
  username: 'senlin',
  password: 'secret',
  userDomainId: null,
  userDomainName: 'Default',
  projectName: 'service',
  projectDomainId: null,
  projectDomainName: 'Default',
  tokenCacheTime: 300,
  maxRetries: 2,
  ...extra,
});

function authenticator(extra: Partial<KeystoneAuthOptions> = {}): KeystoneAuthenticator {
  return new KeystoneAuthenticator(options(extra), {
    fetch: keystone.fetch,
    now: () => clock,
    sleep: async () => {},
  });
}

const withToken = (token: string) => ({ headers: { 'x-auth-token': token } });

beforeEach(() => {
  clock = Date.parse('2030-01-01T00:00:00Z');
  keystone = new FakeKeystone(() => clock);
  keystone.tokens.set('member-token', {
    userId: 'u1',
    projectId: 'p1',
    roles: ['member', 'reader'],
    expiresAt: clock + HOUR,
  });
});

describe('keystone authentication', () => {
  it('maps a valid token to the identity Keystone reports', async () => {
    const identity = await authenticator().authenticate(withToken('member-token'));
    expect(identity).toEqual({
      userId: 'u1',
      userName: 'name-u1',
      projectId: 'p1',
      projectName: 'name-p1',
      domainId: null,
      userDomainId: 'default',
      userDomainName: 'Default',
      projectDomainId: 'default',
      projectDomainName: 'Default',
      roles: ['member', 'reader'],
      authToken: 'member-token',
      trustId: null,
    });
  });

  it('reports the trust of a trust-scoped token', async () => {
    keystone.tokens.set('trust-token', {
      userId: 'u2',
      projectId: 'p1',
      roles: ['member'],
      expiresAt: clock + HOUR,
      trustId: 't1',
    });
    const identity = await authenticator().authenticate(withToken('trust-token'));
    expect(identity.trustId).toBe('t1');
  });

  it('reports the domain of a domain-scoped token', async () => {
    keystone.tokens.set('domain-token', {
      userId: 'u3',
      projectId: null,
      roles: ['admin'],
      expiresAt: clock + HOUR,
      domainScoped: 'd9',
    });
    const identity = await authenticator().authenticate(withToken('domain-token'));
    expect(identity.domainId).toBe('d9');
    expect(identity.projectId).toBeNull();
  });

  it('refuses a request without a token without asking Keystone', async () => {
    const error = await authenticator()
      .authenticate({ headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unauthorized);
    expect((error as Unauthorized).message).toBe(
      'The request you have made requires authentication.',
    );
    expect(keystone.requests).toEqual([]);
  });

  it('announces the configured Keystone in WWW-Authenticate', async () => {
    const auth = authenticator({ wwwAuthenticateUri: 'https://id.example/v3' });
    const error = await auth.authenticate(withToken('nope')).catch((e: unknown) => e);
    expect((error as Unauthorized).wwwAuthenticate).toBe('Keystone uri="https://id.example/v3"');
  });

  it('announces auth_url in WWW-Authenticate when no other URI is configured', () => {
    expect(authenticator().wwwAuthenticate).toBe('Keystone uri="http://keystone.test:5000/v3/"');
  });

  it('refuses a token Keystone does not know', async () => {
    await expect(authenticator().authenticate(withToken('garbage'))).rejects.toBeInstanceOf(
      Unauthorized,
    );
  });

  it('validates at /v3/auth/tokens whether auth_url ends in /v3 or not', async () => {
    await authenticator({ authUrl: 'http://keystone.test:5000' }).authenticate(
      withToken('member-token'),
    );
    await authenticator().authenticate(withToken('member-token'));
    expect(keystone.requests.filter((r) => r.startsWith('GET'))).toEqual([
      'GET /v3/auth/tokens',
      'GET /v3/auth/tokens',
    ]);
  });

  it('accepts X-Storage-Token as the token header', async () => {
    const identity = await authenticator().authenticate({
      headers: { 'x-storage-token': 'member-token' },
    });
    expect(identity.userId).toBe('u1');
  });
});

describe('keystone token cache', () => {
  it('answers a second validation of the same token from the cache', async () => {
    const auth = authenticator();
    await auth.authenticate(withToken('member-token'));
    await auth.authenticate(withToken('member-token'));
    expect(keystone.validations).toBe(1);
  });

  it('shares one Keystone request between concurrent validations of a token', async () => {
    const auth = authenticator();
    await Promise.all([1, 2, 3].map(() => auth.authenticate(withToken('member-token'))));
    expect(keystone.validations).toBe(1);
  });

  it('asks Keystone again once token_cache_time has passed', async () => {
    const auth = authenticator({ tokenCacheTime: 60 });
    await auth.authenticate(withToken('member-token'));
    clock += 61_000;
    await auth.authenticate(withToken('member-token'));
    expect(keystone.validations).toBe(2);
  });

  it('never serves a token past its expiry', async () => {
    keystone.tokens.set('short-token', {
      userId: 'u1',
      projectId: 'p1',
      roles: [],
      expiresAt: clock + 30_000,
    });
    const auth = authenticator({ tokenCacheTime: 300 });
    await auth.authenticate(withToken('short-token'));
    clock += 31_000;
    await expect(auth.authenticate(withToken('short-token'))).rejects.toBeInstanceOf(Unauthorized);
    expect(keystone.validations).toBe(2);
  });

  it('does not cache when token_cache_time is -1', async () => {
    const auth = authenticator({ tokenCacheTime: -1 });
    await auth.authenticate(withToken('member-token'));
    await auth.authenticate(withToken('member-token'));
    expect(keystone.validations).toBe(2);
  });

  it('remembers a refused token for a short while', async () => {
    const auth = authenticator();
    await expect(auth.authenticate(withToken('garbage'))).rejects.toBeInstanceOf(Unauthorized);
    await expect(auth.authenticate(withToken('garbage'))).rejects.toBeInstanceOf(Unauthorized);
    expect(keystone.validations).toBe(1);
    clock += 11_000;
    await expect(auth.authenticate(withToken('garbage'))).rejects.toBeInstanceOf(Unauthorized);
    expect(keystone.validations).toBe(2);
  });

  it('keeps no more tokens than its size allows', async () => {
    const auth = authenticator({ cacheSize: 2 });
    for (const name of ['a', 'b', 'c']) {
      keystone.tokens.set(name, {
        userId: name,
        projectId: 'p',
        roles: [],
        expiresAt: clock + HOUR,
      });
      await auth.authenticate(withToken(name));
    }
    await auth.authenticate(withToken('a'));
    expect(keystone.validations).toBe(4);
  });

  it('returns the caller its own token even from the cache', async () => {
    const auth = authenticator();
    await auth.authenticate(withToken('member-token'));
    const identity = await auth.authenticate(withToken('member-token'));
    expect(identity.authToken).toBe('member-token');
  });

  it('forgets everything on close', async () => {
    const auth = authenticator();
    await auth.authenticate(withToken('member-token'));
    await auth.close();
    await auth.authenticate(withToken('member-token'));
    expect(keystone.validations).toBe(2);
  });
});

describe('keystone service token', () => {
  it('is obtained once and reused for many validations', async () => {
    const auth = authenticator({ tokenCacheTime: -1 });
    for (let i = 0; i < 3; i++) await auth.authenticate(withToken('member-token'));
    expect(keystone.serviceAuths).toBe(1);
  });

  it('is renewed shortly before it expires', async () => {
    const auth = authenticator({ tokenCacheTime: -1 });
    await auth.authenticate(withToken('member-token'));
    clock += HOUR - 60_000;
    keystone.tokens.set('member-token', {
      userId: 'u1',
      projectId: 'p1',
      roles: [],
      expiresAt: clock + HOUR,
    });
    await auth.authenticate(withToken('member-token'));
    expect(keystone.serviceAuths).toBe(2);
    expect(keystone.validations).toBe(2);
  });

  it('is renewed and the validation retried when Keystone refuses it', async () => {
    const auth = authenticator({ tokenCacheTime: -1 });
    await auth.authenticate(withToken('member-token'));
    keystone.serviceTokens.clear();
    const identity = await auth.authenticate(withToken('member-token'));
    expect(identity.userId).toBe('u1');
    expect(keystone.serviceAuths).toBe(2);
    expect(keystone.validations).toBe(3);
  });

  it('makes the service unavailable when Keystone refuses the service credentials', async () => {
    const auth = authenticator({ password: 'wrong' });
    const error = await auth.authenticate(withToken('member-token')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).status).toBe(503);
    expect((error as ServiceUnavailable).detail).toMatch(/service credentials/);
  });

  it('makes the service unavailable when the service user may not validate tokens', async () => {
    keystone.validationStatus = 403;
    await expect(authenticator().authenticate(withToken('member-token'))).rejects.toBeInstanceOf(
      ServiceUnavailable,
    );
  });
});

describe('keystone failures', () => {
  it('make the service unavailable when Keystone cannot be reached', async () => {
    keystone.down = true;
    const error = await authenticator()
      .authenticate(withToken('member-token'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).message).toBe(
      'The server is currently unavailable. Please try again at a later time.',
    );
  });

  it('are retried http_request_max_retries times', async () => {
    keystone.down = true;
    await authenticator({ maxRetries: 2 })
      .authenticate(withToken('member-token'))
      .catch(() => {});
    expect(keystone.requests).toHaveLength(3);
  });

  it('are ridden out when Keystone answers 5xx fewer times than the retries', async () => {
    keystone.failures = 2;
    const identity = await authenticator({ maxRetries: 2 }).authenticate(withToken('member-token'));
    expect(identity.userId).toBe('u1');
  });

  it('make the service unavailable when Keystone keeps answering 5xx', async () => {
    keystone.failures = 10;
    await expect(
      authenticator({ maxRetries: 2 }).authenticate(withToken('member-token')),
    ).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it('are not remembered: the next request asks Keystone again', async () => {
    const auth = authenticator({ maxRetries: 0 });
    keystone.down = true;
    await expect(auth.authenticate(withToken('member-token'))).rejects.toBeInstanceOf(
      ServiceUnavailable,
    );
    keystone.down = false;
    const identity = await auth.authenticate(withToken('member-token'));
    expect(identity.userId).toBe('u1');
  });

  it('include requests that time out', async () => {
    const hanging = (_url: string, init: RequestInit): Promise<Response> =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const auth = new KeystoneAuthenticator(options({ timeoutMs: 20, maxRetries: 1 }), {
      fetch: hanging,
      sleep: async () => {},
    });
    const error = await auth.authenticate(withToken('member-token')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).detail).toMatch(/TimeoutError/);
  });
});

describe('keystone authentication logging', () => {
  it('logs why tokens could not be validated', async () => {
    const warnings: string[] = [];
    keystone.down = true;
    const auth = new KeystoneAuthenticator(options({ maxRetries: 0 }), {
      fetch: keystone.fetch,
      now: () => clock,
      sleep: async () => {},
      logger: { warn: (message: string) => warnings.push(message) },
    });
    await auth.authenticate(withToken('member-token')).catch(() => {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not be reached.*ECONNREFUSED/);
  });
});
