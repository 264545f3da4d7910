import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailable } from '../../src/api/auth/errors.js';
import type { FetchLike } from '../../src/api/auth/index.js';
import { trustBrokerOptions } from '../../src/api/auth/index.js';
import { TrustBroker } from '../../src/api/auth/trust-broker.js';
import type { Identity } from '../../src/api/auth-types.js';
import { Forbidden } from '../../src/common/errors.js';
import { newId } from '../../src/common/ids.js';
import { getReceiver, insertReceiver } from '../../src/db/queries/receivers.js';
import { testConfig } from '../support/engine.js';
import { type KeystoneApi, startKeystoneApi, storedTrust } from './keystone-api.js';
import {
  ACCOUNTS,
  createAppCredential,
  deleteAllTrusts,
  deleteAppCredential,
  deleteTrust,
  getTrust,
  type IssuedToken,
  issueAppCredentialToken,
  issueToken,
  keystoneConfig,
  listTrusts,
  revokeToken,
  userIdOf,
} from './keystone-env.js';

/** A fetch that counts the trust API calls and validations it passes to Keystone. */
function countingFetch() {
  const log = { trustCalls: [] as string[], validations: 0 };
  const wrapped: FetchLike = async (url, init) => {
    const path = new URL(url).pathname;
    if (path.includes('/OS-TRUST/')) log.trustCalls.push(`${init.method ?? 'GET'} ${path}`);
    if (path.endsWith('/auth/tokens') && (init.method ?? 'GET') === 'GET') log.validations++;
    return fetch(url, init);
  };
  return { log, fetch: wrapped };
}

const withToken = (token: string) => ({ headers: { 'x-auth-token': token } });

let senlinId: string;
const opened: KeystoneApi[] = [];

async function open(options: Parameters<typeof startKeystoneApi>[0] = {}): Promise<KeystoneApi> {
  const api = await startKeystoneApi({ engine: false, ...options });
  opened.push(api);
  return api;
}

async function identityOf(api: KeystoneApi, issued: IssuedToken): Promise<Identity> {
  return api.authenticator.authenticate(withToken(issued.token));
}

beforeAll(async () => {
  senlinId = await userIdOf(ACCOUNTS.senlin);
  await Promise.all([deleteAllTrusts(ACCOUNTS.demo), deleteAllTrusts(ACCOUNTS.alt)]);
});

afterAll(async () => {
  for (const api of opened) await api.close();
  await Promise.all([deleteAllTrusts(ACCOUNTS.demo), deleteAllTrusts(ACCOUNTS.alt)]);
});

describe('the trust of a requester', () => {
  it('is created from the user to the service user with the roles of the token, and stored as upstream does', async () => {
    const api = await open();
    const demo = await issueToken(ACCOUNTS.demo);
    const trustId = await api.trusts.ensure(await identityOf(api, demo));
    expect(trustId).toEqual(expect.any(String));

    const row = await api.db.kysely
      .selectFrom('credential')
      .selectAll()
      .where('user', '=', demo.userId)
      .where('project', '=', demo.projectId)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.cred ?? 'null')).toEqual({ openstack: { trust: trustId } });

    const trust = await getTrust(demo, trustId ?? '');
    expect(trust).toMatchObject({
      trustor_user_id: demo.userId,
      trustee_user_id: senlinId,
      project_id: demo.projectId,
      impersonation: true,
    });
    expect(trust?.roles?.map((r) => r.name).sort()).toEqual([...demo.roles].sort());
  });

  it('costs Keystone calls once per user and project, not once per request', async () => {
    const counting = countingFetch();
    const api = await open({ fetch: counting.fetch });
    const first = await issueToken(ACCOUNTS.demo);
    const second = await issueToken(ACCOUNTS.demo);
    const trustId = await api.trusts.ensure(await identityOf(api, first));
    const calls = counting.log.trustCalls.length;
    expect(calls).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      expect(await api.trusts.ensure(await identityOf(api, second))).toBe(trustId);
    }
    expect(counting.log.trustCalls).toHaveLength(calls);

    const alt = await issueToken(ACCOUNTS.alt);
    const altTrust = await api.trusts.ensure(await identityOf(api, alt));
    expect(altTrust).not.toBe(trustId);
    expect(counting.log.trustCalls.length).toBeGreaterThan(calls);
  });

  it('reuses the trust Keystone already has instead of creating another one', async () => {
    const demo = await issueToken(ACCOUNTS.demo);
    const before = (await listTrusts(demo)).filter((t) => t.trustee_user_id === senlinId);
    expect(before).toHaveLength(1);
    const counting = countingFetch();
    const api = await open({ fetch: counting.fetch }); // a database without credentials
    const trustId = await api.trusts.ensure(await identityOf(api, demo));
    expect(trustId).toBe(before[0]?.id);
    expect(counting.log.trustCalls.filter((c) => c.startsWith('POST'))).toEqual([]);
    expect(await storedTrust(api, demo.userId, demo.projectId)).toBe(trustId);
  });

  it('checks a stored trust with one Keystone call when its cached answer has ended', async () => {
    let clock = Date.now();
    const counting = countingFetch();
    const api = await open({
      fetch: counting.fetch,
      now: () => clock,
      config: { authentication: { trust_cache_time: 60 } },
    });
    const demo = await issueToken(ACCOUNTS.demo);
    const trustId = await api.trusts.ensure(await identityOf(api, demo));
    counting.log.trustCalls.length = 0;
    clock += 61_000;
    expect(await api.trusts.ensure(await identityOf(api, demo))).toBe(trustId);
    expect(counting.log.trustCalls).toEqual([`GET /v3/OS-TRUST/trusts/${trustId}`]);
  });

  it('is replaced when Keystone no longer knows it, and webhooks follow the new trust', async () => {
    let clock = Date.now();
    const api = await open({
      now: () => clock,
      config: { authentication: { trust_cache_time: 60 } },
    });
    const demo = await issueToken(ACCOUNTS.demo);
    const old = (await api.trusts.ensure(await identityOf(api, demo))) ?? '';
    const receiverId = newId();
    await insertReceiver(api.db.kysely, {
      id: receiverId,
      name: 'follows-trust',
      type: 'webhook',
      user: demo.userId,
      project: demo.projectId,
      domain: null,
      createdAt: new Date(),
      updatedAt: null,
      clusterId: newId(),
      actor: { trust_id: old },
      action: 'CLUSTER_SCALE_OUT',
      params: {},
      channel: {},
    });
    await deleteTrust(demo, old);

    // within the cache time the answer stands (the documented bound)
    expect(await api.trusts.ensure(await identityOf(api, demo))).toBe(old);
    clock += 61_000;
    const renewed = await api.trusts.ensure(await identityOf(api, demo));
    expect(renewed).not.toBe(old);
    expect(await getTrust(demo, renewed ?? '')).toMatchObject({ trustee_user_id: senlinId });
    expect(await storedTrust(api, demo.userId, demo.projectId)).toBe(renewed);
    expect((await getReceiver(api.db.kysely, receiverId))?.actor).toEqual({ trust_id: renewed });
  });

  it('delegates the roles of [DEFAULT] trust_roles when they are set', async () => {
    await deleteAllTrusts(ACCOUNTS.alt);
    const api = await open({ config: { DEFAULT: { trust_roles: ['reader'] } } });
    const alt = await issueToken(ACCOUNTS.alt);
    expect(alt.roles).toContain('member');
    const trustId = await api.trusts.ensure(await identityOf(api, alt));
    const trust = await getTrust(alt, trustId ?? '');
    expect(trust?.roles?.map((r) => r.name)).toEqual(['reader']);
  });

  it('keeps the trust of a trust-scoped token without a user or project untouched', async () => {
    const api = await open();
    const identity: Identity = {
      ...(await identityOf(api, await issueToken(ACCOUNTS.demo))),
      projectId: null,
      trustId: 'from-the-token',
    };
    expect(await api.trusts.ensure(identity)).toBe('from-the-token');
  });
});

describe('failures while obtaining a trust', () => {
  it('answer 503 and store nothing when the [authentication] password is wrong', async () => {
    await deleteAllTrusts(ACCOUNTS.alt);
    const api = await open({ config: { authentication: { service_password: 'wrong' } } });
    const alt = await issueToken(ACCOUNTS.alt);
    const error = await api.trusts.ensure(await identityOf(api, alt)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailable);
    expect((error as ServiceUnavailable).detail).toMatch(/\[authentication\]/);
    expect(await storedTrust(api, alt.userId, alt.projectId)).toBeNull();
    expect(await listTrusts(alt)).toEqual([]);
  });

  it('answer 403 and store nothing when Keystone does not let the token delegate', async () => {
    await deleteAllTrusts(ACCOUNTS.alt);
    const alt = await issueToken(ACCOUNTS.alt);
    const cred = await createAppCredential(
      alt,
      `no-trusts-${Date.now()}`,
      new Date(Date.now() + 600_000),
    );
    try {
      const restricted = await issueAppCredentialToken(cred.id, cred.secret);
      const api = await open();
      const error = await api.trusts
        .ensure(await identityOf(api, restricted))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Forbidden);
      expect((error as Forbidden).message).toMatch(/Delegated tokens cannot manage trusts/);
      expect(await storedTrust(api, alt.userId, alt.projectId)).toBeNull();
      expect(await listTrusts(alt)).toEqual([]);
    } finally {
      await deleteAppCredential(alt, cred.id);
    }
  });

  it('delete the trust they created when the credential cannot be stored', async () => {
    await deleteAllTrusts(ACCOUNTS.alt);
    const config = testConfig(keystoneConfig());
    const broker = new TrustBroker(
      {
        trustOf: async () => null,
        saveTrust: async () => {
          throw new Error('database gone');
        },
      },
      trustBrokerOptions(config),
    );
    const api = await open();
    const alt = await issueToken(ACCOUNTS.alt);
    await expect(broker.ensure(await identityOf(api, alt))).rejects.toThrow('database gone');
    expect(await listTrusts(alt)).toEqual([]);
  });

  it('refuse a token Keystone revoked after it was cached, and drop it from the token cache', async () => {
    await deleteAllTrusts(ACCOUNTS.alt);
    const counting = countingFetch();
    const api = await open({ fetch: counting.fetch });
    const alt = await issueToken(ACCOUNTS.alt);
    const admin = await issueToken(ACCOUNTS.admin);
    await identityOf(api, alt); // validated and cached
    await revokeToken(admin.token, alt.token);

    const first = await api.send('GET', '/v1/profiles', alt.token);
    expect(first.status).toBe(401);
    expect(first.headers['www-authenticate']).toMatch(/^Keystone uri=/);
    const validations = counting.log.validations;
    expect((await api.send('GET', '/v1/profiles', alt.token)).status).toBe(401);
    expect(counting.log.validations).toBe(validations + 1);
  });
});

describe('acting with a trust', () => {
  it('acts as the trustor in the trust project with the delegated roles', async () => {
    const api = await open();
    const demo = await issueToken(ACCOUNTS.demo);
    const trustId = (await api.trusts.ensure(await identityOf(api, demo))) ?? '';
    const acting = await api.trusts.actAs(trustId);
    expect(acting).toMatchObject({
      userId: demo.userId,
      projectId: demo.projectId,
      trustId,
    });
    expect(acting.roles).toContain('member');
  });

  it('is refused with 403 once the trust is deleted', async () => {
    const api = await open();
    const alt = await issueToken(ACCOUNTS.alt);
    const trustId = (await api.trusts.ensure(await identityOf(api, alt))) ?? '';
    await deleteTrust(alt, trustId);
    const error = await api.trusts.actAs(trustId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Forbidden);
    expect((error as Forbidden).status).toBe(403);
  });

  it('is refused with 403 for a trust Keystone never issued', async () => {
    const api = await open();
    await expect(api.trusts.actAs('0123456789abcdef0123456789abcdef')).rejects.toBeInstanceOf(
      Forbidden,
    );
  });
});
