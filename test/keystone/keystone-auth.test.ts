import { spawnSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailable } from '../../src/api/auth/errors.js';
import {
  type KeystoneAuthDeps,
  KeystoneAuthenticator,
  type KeystoneAuthOptions,
} from '../../src/api/auth/keystone.js';
import type { FetchLike } from '../../src/api/auth/keystone-http.js';
import { Unauthorized } from '../../src/api/auth-types.js';
import {
  ACCOUNTS,
  createAppCredential,
  deleteAppCredential,
  type IssuedToken,
  issueAppCredentialToken,
  issueToken,
  KEYSTONE_URL,
  revokeToken,
} from './keystone-env.js';

/** A fetch that counts what it sends to Keystone and remembers the service tokens issued. */
function countingFetch() {
  const log = { validations: 0, serviceAuths: 0, serviceTokens: [] as string[] };
  const wrapped: FetchLike = async (url, init) => {
    const response = await fetch(url, init);
    if (init.method === 'POST') {
      log.serviceAuths++;
      log.serviceTokens.push(response.headers.get('x-subject-token') ?? '');
    } else {
      log.validations++;
    }
    return response;
  };
  return { log, fetch: wrapped };
}

function options(extra: Partial<KeystoneAuthOptions> = {}): KeystoneAuthOptions {
  return {
    authUrl: `${KEYSTONE_URL}/v3`,
    wwwAuthenticateUri: null,
    username: ACCOUNTS.senlin.user,
    password: ACCOUNTS.senlin.password,
    userDomainId: null,
    userDomainName: 'Default',
    projectName: ACCOUNTS.senlin.project,
    projectDomainId: null,
    projectDomainName: 'Default',
    tokenCacheTime: 300,
    maxRetries: 1,
    timeoutMs: 5000,
    ...extra,
  };
}

function authenticator(
  extra: Partial<KeystoneAuthOptions> = {},
  deps: KeystoneAuthDeps = {},
): KeystoneAuthenticator {
  return new KeystoneAuthenticator(options(extra), deps);
}

const withToken = (token: string) => ({ headers: { 'x-auth-token': token } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let admin: IssuedToken;

beforeAll(async () => {
  const response = await fetch(`${KEYSTONE_URL}/v3`).catch(() => null);
  if (response?.status !== 200) {
    throw new Error(`no Keystone at ${KEYSTONE_URL}; run these tests with test/keystone/run.sh`);
  }
  admin = await issueToken(ACCOUNTS.admin);
});

describe('keystone harness', () => {
  it('Keystone answers on its port', async () => {
    const response = await fetch(`${KEYSTONE_URL}/v3`);
    const body = (await response.json()) as { version: { id: string } };
    expect(body.version.id).toMatch(/^v3\./);
  });
});

describe('tokens issued by Keystone', () => {
  it('a member token gives the user, project and roles of the token', async () => {
    const issued = await issueToken(ACCOUNTS.demo);
    const identity = await authenticator().authenticate(withToken(issued.token));
    expect(identity).toMatchObject({
      userId: issued.userId,
      userName: 'demo',
      projectId: issued.projectId,
      projectName: 'demo',
      userDomainId: 'default',
      projectDomainId: 'default',
      authToken: issued.token,
      trustId: null,
    });
    expect(identity.roles).toContain('member');
    expect(identity.roles).not.toContain('admin');
  });

  it('a token of another project gives that project', async () => {
    const demo = await issueToken(ACCOUNTS.demo);
    const alt = await issueToken(ACCOUNTS.alt);
    const auth = authenticator();
    const identity = await auth.authenticate(withToken(alt.token));
    expect(identity.projectName).toBe('alt');
    expect(identity.projectId).not.toBe((await auth.authenticate(withToken(demo.token))).projectId);
  });

  it('an admin token has the admin role', async () => {
    const issued = await issueToken(ACCOUNTS.demoAdmin);
    const identity = await authenticator().authenticate(withToken(issued.token));
    expect(identity.roles).toContain('admin');
    expect(identity.userName).toBe('demo-admin');
    expect(identity.projectName).toBe('demo');
  });

  it('a request without a token is refused', async () => {
    const error = await authenticator()
      .authenticate({ headers: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unauthorized);
    expect((error as Unauthorized).wwwAuthenticate).toBe(`Keystone uri="${KEYSTONE_URL}/v3"`);
  });

  it('a garbage token is refused', async () => {
    await expect(
      authenticator().authenticate(withToken('gAAAAABnot-a-real-token')),
    ).rejects.toBeInstanceOf(Unauthorized);
  });

  it('a revoked token is refused', async () => {
    const issued = await issueToken(ACCOUNTS.demo);
    await revokeToken(issued.token, issued.token);
    await expect(authenticator().authenticate(withToken(issued.token))).rejects.toBeInstanceOf(
      Unauthorized,
    );
  });

  it('a token revoked after use is refused at once when caching is off', async () => {
    const issued = await issueToken(ACCOUNTS.demo);
    const auth = authenticator({ tokenCacheTime: -1 });
    await auth.authenticate(withToken(issued.token));
    await revokeToken(admin.token, issued.token);
    await expect(auth.authenticate(withToken(issued.token))).rejects.toBeInstanceOf(Unauthorized);
  });

  it('a token that expired is refused, even though it was cached while valid', async () => {
    // An application credential caps the expiry of the tokens it issues: a real token that
    // expires a few seconds from now, without shortening Keystone's token lifetime.
    const demo = await issueToken(ACCOUNTS.demo);
    const expiry = new Date(Date.now() + 4000);
    const cred = await createAppCredential(demo, `expiry-${Date.now()}`, expiry);
    try {
      const issued = await issueAppCredentialToken(cred.id, cred.secret);
      expect(Date.parse(issued.expiresAt)).toBeLessThanOrEqual(expiry.getTime() + 1000);

      const counting = countingFetch();
      const auth = authenticator({ tokenCacheTime: 300 }, { fetch: counting.fetch });
      const identity = await auth.authenticate(withToken(issued.token));
      expect(identity.userName).toBe('demo');
      await sleep(Math.max(0, Date.parse(issued.expiresAt) - Date.now()) + 1500);
      await expect(auth.authenticate(withToken(issued.token))).rejects.toBeInstanceOf(Unauthorized);
      expect(counting.log.validations).toBe(2);
    } finally {
      await deleteAppCredential(demo, cred.id);
    }
  });
});

describe('caching of validated tokens', () => {
  it('a second validation of a token does not reach Keystone', async () => {
    const issued = await issueToken(ACCOUNTS.demo);
    const counting = countingFetch();
    const auth = authenticator({}, { fetch: counting.fetch });
    const first = await auth.authenticate(withToken(issued.token));
    const second = await auth.authenticate(withToken(issued.token));
    expect(second).toEqual(first);
    expect(counting.log.validations).toBe(1);
    expect(counting.log.serviceAuths).toBe(1);
  });

  it('a refused token is remembered for a short while', async () => {
    const counting = countingFetch();
    const auth = authenticator({}, { fetch: counting.fetch });
    for (let i = 0; i < 2; i++) {
      await expect(auth.authenticate(withToken('bogus'))).rejects.toBeInstanceOf(Unauthorized);
    }
    expect(counting.log.validations).toBe(1);
  });
});

describe('the service token', () => {
  it('is obtained again and the validation retried when Keystone revokes it', async () => {
    const counting = countingFetch();
    const auth = authenticator({ tokenCacheTime: -1 }, { fetch: counting.fetch });
    const user = await issueToken(ACCOUNTS.demo);
    await auth.authenticate(withToken(user.token));
    const [serviceToken] = counting.log.serviceTokens;
    await revokeToken(admin.token, serviceToken ?? '');

    const identity = await auth.authenticate(withToken(user.token));
    expect(identity.userName).toBe('demo');
    expect(counting.log.serviceAuths).toBe(2);
    expect(counting.log.serviceTokens[1]).not.toBe(serviceToken);
  });

  it('is renewed before it expires', async () => {
    // Keystone's tokens live an hour; move our clock to just before the service token's end.
    let offset = 0;
    const counting = countingFetch();
    const auth = authenticator(
      { tokenCacheTime: -1 },
      { fetch: counting.fetch, now: () => Date.now() + offset },
    );
    const user = await issueToken(ACCOUNTS.demo);
    await auth.authenticate(withToken(user.token));
    await auth.authenticate(withToken(user.token));
    expect(counting.log.serviceAuths).toBe(1);
    offset = Date.parse(user.expiresAt) - Date.now() - 100_000;
    await auth.authenticate(withToken(user.token));
    expect(counting.log.serviceAuths).toBe(2);
  });

  it('cannot be obtained with a wrong password: the service is unavailable', async () => {
    const user = await issueToken(ACCOUNTS.demo);
    const error = await authenticator({ password: 'wrong-password' })
      .authenticate(withToken(user.token))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).status).toBe(503);
  });
});

describe('Keystone out of service', () => {
  let closedPort: number;
  let silent: Server;
  let silentPort: number;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    silent = createServer((socket) => {
      sockets.add(socket); // accepts and never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('a Keystone that refuses connections makes the service unavailable', async () => {
    const user = await issueToken(ACCOUNTS.demo);
    const auth = authenticator({ authUrl: `http://127.0.0.1:${closedPort}/v3` });
    await expect(auth.authenticate(withToken(user.token))).rejects.toBeInstanceOf(
      ServiceUnavailable,
    );
  });

  it('a Keystone that does not answer makes the service unavailable after the timeout', async () => {
    const user = await issueToken(ACCOUNTS.demo);
    const auth = authenticator({
      authUrl: `http://127.0.0.1:${silentPort}/v3`,
      timeoutMs: 300,
      maxRetries: 1,
    });
    const started = Date.now();
    const error = await auth.authenticate(withToken(user.token)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('npm run test:keystone', () => {
  it('runs the Keystone tests and leaves an already running Keystone running', () => {
    const result = spawnSync(
      'npm',
      ['run', 'test:keystone', '--', '-t', 'Keystone answers on its port'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/1 passed/);
    const status = spawnSync('bash', ['.ci/keystone.sh', 'status'], { encoding: 'utf8' });
    expect(status.status, status.stdout).toBe(0);
  });
});
