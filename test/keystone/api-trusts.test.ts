import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getAction } from '../../src/db/queries/actions.js';
import { getReceiver } from '../../src/db/queries/receivers.js';
import { NOVA_SPEC } from '../api/harness.js';
import { waitForAction } from '../support/engine.js';
import { actionOf, succeeds, triggerPath } from './isolation-fixture.js';
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
  revokeToken,
  userIdOf,
} from './keystone-env.js';

// The trust middleware, webhook triggers and deferred actions through the API, against the
// real Keystone (engine contract §1.7 and §12.3, api-contract §3.9).

let api: KeystoneApi;
let demo: IssuedToken;
let admin: IssuedToken;
let profileId: string;
let clusterId: string;
const others: KeystoneApi[] = [];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  await Promise.all([deleteAllTrusts(ACCOUNTS.demo), deleteAllTrusts(ACCOUNTS.admin)]);
  // trust_cache_time = 0: every request checks the stored trust in Keystone
  api = await startKeystoneApi({ config: { authentication: { trust_cache_time: 0 } } });
  [demo, admin] = await Promise.all([issueToken(ACCOUNTS.demo), issueToken(ACCOUNTS.admin)]);
});

afterAll(async () => {
  await api?.close();
  for (const other of others) await other.close();
  await Promise.all([deleteAllTrusts(ACCOUNTS.demo), deleteAllTrusts(ACCOUNTS.admin)]);
});

async function webhook(owner: IssuedToken, action = 'CLUSTER_SCALE_OUT') {
  const res = await api.send('POST', '/v1/receivers', owner.token, {
    body: { receiver: { name: 'hook', type: 'webhook', cluster_id: clusterId, action } },
  });
  expect(res.status, JSON.stringify(res.data)).toBe(201);
  return res.data.receiver as { id: string; channel: { alarm_url: string } };
}

describe('the trust middleware through the API', () => {
  it("stores the requester's trust on its first request", async () => {
    expect(await storedTrust(api, demo.userId, demo.projectId)).toBeNull();
    const res = await api.send('POST', '/v1/profiles', demo.token, {
      body: { profile: { name: 'trusted', spec: NOVA_SPEC } },
    });
    expect(res.status).toBe(201);
    profileId = res.data.profile.id;
    const trustId = await storedTrust(api, demo.userId, demo.projectId);
    const trust = await getTrust(demo, trustId ?? '');
    expect(trust).toMatchObject({
      trustor_user_id: demo.userId,
      trustee_user_id: await userIdOf(ACCOUNTS.senlin),
      project_id: demo.projectId,
    });
  });

  it("gives the actions a user starts the user's trust, and the engine acts with it", async () => {
    const trustId = await storedTrust(api, demo.userId, demo.projectId);
    const drivers = vi.spyOn(api.backend, 'drivers');
    try {
      const res = await api.send('POST', '/v1/clusters', demo.token, {
        body: { cluster: { name: 'deferred', profile_id: profileId, desired_capacity: 1 } },
      });
      const actionId = await succeeds(api, res);
      clusterId = res.data.cluster.id;
      expect((await getAction(api.db.kysely, actionId))?.context).toMatchObject({
        user_id: demo.userId,
        project_id: demo.projectId,
        trusts: trustId,
      });
      const used = drivers.mock.calls.map(([credentials]) => credentials);
      expect(used.length).toBeGreaterThan(0);
      for (const credentials of used) {
        expect(credentials).toMatchObject({
          userId: demo.userId,
          projectId: demo.projectId,
          trustId,
        });
      }
    } finally {
      drivers.mockRestore();
    }
  });
});

describe('webhook triggers behind Keystone', () => {
  it("act for the receiver's owner with the owner's trust, without a token", async () => {
    const receiver = await webhook(demo);
    const trustId = await storedTrust(api, demo.userId, demo.projectId);
    expect((await getReceiver(api.db.kysely, receiver.id))?.actor).toEqual({ trust_id: trustId });
    const res = await api.send('POST', triggerPath(receiver.channel.alarm_url), null);
    const actionId = actionOf(res);
    expect((await getAction(api.db.kysely, actionId))?.context).toMatchObject({
      user_id: demo.userId,
      project_id: demo.projectId,
      trusts: trustId,
    });
    expect((await waitForAction(api.db, actionId)).status).toBe('SUCCEEDED');
  });

  it("made by an admin on a member's cluster act with the cluster owner's trust", async () => {
    const receiver = await webhook(admin, 'CLUSTER_CHECK');
    const trustId = await storedTrust(api, demo.userId, demo.projectId);
    expect(trustId).not.toBe(await storedTrust(api, admin.userId, admin.projectId));
    expect((await getReceiver(api.db.kysely, receiver.id))?.actor).toEqual({ trust_id: trustId });
    const res = await api.send('POST', triggerPath(receiver.channel.alarm_url), null);
    const actionId = actionOf(res);
    // the trust acts as its trustor, the owner of the cluster (as upstream's trust token does)
    expect((await getAction(api.db.kysely, actionId))?.context).toMatchObject({
      user_id: demo.userId,
      project_id: demo.projectId,
      trusts: trustId,
    });
    expect((await waitForAction(api.db, actionId)).status).toBe('SUCCEEDED');
  });

  it("are refused with 403 while the owner's trust is deleted, and work again once it is replaced", async () => {
    const receiver = await webhook(demo, 'CLUSTER_CHECK');
    const path = triggerPath(receiver.channel.alarm_url);
    const old = (await storedTrust(api, demo.userId, demo.projectId)) ?? '';
    await deleteTrust(demo, old);

    const refused = await api.send('POST', path, null);
    expect(refused.status).toBe(403);
    expect(refused.data.error).toMatchObject({
      type: 'Forbidden',
      message: 'You are not authorized to complete this operation.',
    });
    // the missing V is still reported first, and an unknown receiver is still a 404
    const withoutV = await api.send('POST', path.replace(/\?.*$/, ''), null);
    expect(withoutV.status).toBe(400);
    const unknown = await api.send(
      'POST',
      '/v1/webhooks/9b0f4a6e-2f55-4b7e-9d44-2a0c8f7e1c11/trigger?V=2',
      null,
    );
    expect(unknown.status).toBe(404);

    // the owner's next request replaces the trust; the receiver follows it
    expect((await api.send('GET', '/v1/receivers', demo.token)).status).toBe(200);
    const renewed = await storedTrust(api, demo.userId, demo.projectId);
    expect(renewed).not.toBe(old);
    expect((await getReceiver(api.db.kysely, receiver.id))?.actor).toEqual({ trust_id: renewed });
    const res = await api.send('POST', path, null);
    const actionId = actionOf(res);
    expect((await getAction(api.db.kysely, actionId))?.context?.trusts).toBe(renewed);
    expect((await waitForAction(api.db, actionId)).status).toBe('SUCCEEDED');
  });
});

describe('revoked and expired tokens through the API', () => {
  it('refuses a revoked token at once when trusts are checked on every request', async () => {
    const fresh = await issueToken(ACCOUNTS.demo);
    expect((await api.send('GET', '/v1/clusters', fresh.token)).status).toBe(200);
    await revokeToken(admin.token, fresh.token);
    expect((await api.send('GET', '/v1/clusters', fresh.token)).status).toBe(401);
  });

  it('refuses a revoked token once token_cache_time has passed, not before', async () => {
    let clock = Date.now();
    const cached = await startKeystoneApi({
      engine: false,
      now: () => clock,
      config: {
        keystone_authtoken: { token_cache_time: 120 },
        authentication: { trust_cache_time: 120 },
      },
    });
    others.push(cached);
    const fresh = await issueToken(ACCOUNTS.demo);
    expect((await cached.send('GET', '/v1/clusters', fresh.token)).status).toBe(200);
    await revokeToken(admin.token, fresh.token);
    // the documented bound: both answers are still cached
    expect((await cached.send('GET', '/v1/clusters', fresh.token)).status).toBe(200);
    clock += 121_000;
    const refused = await cached.send('GET', '/v1/clusters', fresh.token);
    expect(refused.status).toBe(401);
    expect(refused.data).toEqual({
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
  });

  it('refuses a token once it has expired, although it was cached while valid', async () => {
    // an application credential caps the expiry of its tokens: a real token that ends soon
    const expiry = new Date(Date.now() + 4000);
    const cred = await createAppCredential(demo, `api-expiry-${Date.now()}`, expiry);
    try {
      const issued = await issueAppCredentialToken(cred.id, cred.secret);
      // the credential row of demo exists: the trust cannot be checked with a delegated
      // token, so the stored one is used
      expect((await api.send('GET', '/v1/clusters', issued.token)).status).toBe(200);
      await sleep(Math.max(0, Date.parse(issued.expiresAt) - Date.now()) + 1500);
      expect((await api.send('GET', '/v1/clusters', issued.token)).status).toBe(401);
    } finally {
      await deleteAppCredential(demo, cred.id);
    }
  });
});
