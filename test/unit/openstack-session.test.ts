import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import {
  createOpenStackBackend,
  type OpenStackBackend,
} from '../../src/drivers/openstack/backend.js';
import type { HttpSettings } from '../../src/drivers/openstack/http.js';
import { KeystoneSession } from '../../src/drivers/openstack/session.js';
import { CloudError, CloudNotFound } from '../../src/drivers/types.js';
import { OpenStackStub, STUB_PROJECT } from '../support/openstack-stub.js';

let stub: OpenStackStub;
let backend: OpenStackBackend;

function http(overrides: Partial<HttpSettings> = {}): HttpSettings {
  return {
    fetch: (url, init) => fetch(url, init),
    connectRetries: 2,
    statusRetries: 2,
    retryDelayMs: 1,
    retryMaxDelayMs: 4,
    timeoutMs: 5_000,
    ...overrides,
  };
}

function makeBackend(extra: Record<string, Record<string, unknown>> = {}): OpenStackBackend {
  const config = defaultConfig({
    ...extra,
    DEFAULT: { cloud_backend: 'openstack', default_region_name: 'RegionOne', ...extra.DEFAULT },
    authentication: {
      auth_url: `${stub.url}/identity/v3`,
      service_username: 'senlin',
      service_password: 'secret',
      ...extra.authentication,
    },
  });
  return createOpenStackBackend(config, { retryDelayMs: 1, retryMaxDelayMs: 4, waitIntervalMs: 5 });
}

beforeEach(async () => {
  stub = await OpenStackStub.start();
  stub.keystone();
  stub.on('GET', '/compute/v2.1/', { body: { version: { version: '2.93', min_version: '2.1' } } });
  backend = makeBackend();
});

afterEach(async () => {
  await backend.close();
  await stub.close();
});

describe('Keystone authentication of the OpenStack backend', () => {
  it('authenticates the service user by password in the service project without a trust', async () => {
    await backend
      .drivers({ userId: 'u', projectId: 'p' })
      .identity.listRegions()
      .catch(() => null);
    const auth = stub.calls('/identity/v3/auth/tokens')[0]?.body.auth;
    expect(auth.identity).toEqual({
      methods: ['password'],
      password: { user: { name: 'senlin', password: 'secret', domain: { name: 'Default' } } },
    });
    expect(auth.scope).toEqual({ project: { name: 'service', domain: { name: 'Default' } } });
  });

  it('scopes the service user token by the trust of the owner', async () => {
    stub.on('GET', '/identity/v3/regions', { body: { regions: [{ id: 'RegionOne' }], links: {} } });
    const drivers = backend.drivers({ userId: 'u', projectId: 'p', trustId: 'trust-1' });
    expect(await drivers.identity.listRegions()).toEqual(['RegionOne']);
    const auth = stub.calls('/identity/v3/auth/tokens')[0]?.body.auth;
    expect(auth.identity.password.user.name).toBe('senlin');
    expect(auth.scope).toEqual({ 'OS-TRUST:trust': { id: 'trust-1' } });
    expect(stub.calls('/identity/v3/regions')[0]?.headers['x-auth-token']).toBe('tok-1');
  });

  it('exchanges a token from the profile context for one scoped to its project', async () => {
    stub.on('GET', '/identity/v3/regions', { body: { regions: [], links: {} } });
    const drivers = backend.drivers({
      userId: 'u',
      projectId: 'p',
      context: { auth_token: 'user-token', project_id: 'proj-9' },
    });
    await drivers.identity.listRegions();
    const auth = stub.calls('/identity/v3/auth/tokens')[0]?.body.auth;
    expect(auth.identity).toEqual({ methods: ['token'], token: { id: 'user-token' } });
    expect(auth.scope).toEqual({ project: { id: 'proj-9' } });
  });

  it('reports a refused authentication with the message of Keystone', async () => {
    stub.on('POST', '/identity/v3/auth/tokens', {
      status: 401,
      body: {
        error: {
          code: 401,
          title: 'Unauthorized',
          message: 'The request you have made requires authentication.',
        },
      },
    });
    const error = await backend
      .drivers({ userId: 'u', projectId: 'p' })
      .compute.getServer('s')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).status).toBe(401);
    expect((error as CloudError).message).toContain('requires authentication');
  });

  it('fails clearly when no Keystone URL is configured', async () => {
    const bare = createOpenStackBackend(defaultConfig({ DEFAULT: { cloud_backend: 'openstack' } }));
    const error = await bare
      .drivers({ userId: 'u', projectId: 'p' })
      .compute.getServer('s')
      .catch((e: unknown) => e);
    expect((error as CloudError).status).toBe(500);
    expect((error as CloudError).message).toContain('auth_url');
    await bare.close();
  });

  it('reuses one token for many calls of the same credentials', async () => {
    stub.on('GET', /^\/compute\/v2\.1\/servers\/s\d$/, (req) => ({
      body: { server: { id: req.path.split('/').pop(), status: 'ACTIVE' } },
    }));
    const compute = backend.drivers({ userId: 'u', projectId: 'p', trustId: 't' }).compute;
    await Promise.all([compute.getServer('s1'), compute.getServer('s2'), compute.getServer('s3')]);
    await backend.drivers({ userId: 'u', projectId: 'p', trustId: 't' }).compute.getServer('s4');
    expect(stub.tokensIssued).toBe(1);
  });

  it('authenticates again once when a service answers 401', async () => {
    let first = true;
    stub.on('GET', '/compute/v2.1/servers/s1', () => {
      if (first) {
        first = false;
        return { status: 401, body: { error: { message: 'token revoked' } } };
      }
      return { body: { server: { id: 's1', status: 'ACTIVE' } } };
    });
    const server = await backend.drivers({ userId: 'u', projectId: 'p' }).compute.getServer('s1');
    expect(server.id).toBe('s1');
    expect(stub.tokensIssued).toBe(2);
    const tokens = stub.calls('/compute/v2.1/servers/s1').map((r) => r.headers['x-auth-token']);
    expect(tokens).toEqual(['tok-1', 'tok-2']);
  });

  it('gives up with the 401 when the fresh token is refused too', async () => {
    stub.on('GET', '/compute/v2.1/servers/s1', { status: 401, body: { error: { message: 'no' } } });
    const error = await backend
      .drivers({ userId: 'u', projectId: 'p' })
      .compute.getServer('s1')
      .catch((e: unknown) => e);
    expect((error as CloudError).status).toBe(401);
    expect(stub.calls('/compute/v2.1/servers/s1')).toHaveLength(2);
  });

  it('renews a token before it expires', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    stub.on('POST', '/identity/v3/auth/tokens', () => ({
      status: 201,
      headers: { 'X-Subject-Token': `tok-at-${now}` },
      body: {
        token: {
          user: { id: 'u' },
          project: { id: 'p' },
          expires_at: new Date(now + 3_600_000).toISOString(),
          catalog: stub.catalog(),
        },
      },
    }));
    const session = new KeystoneSession({
      http: http(),
      method: {
        authUrl: `${stub.url}/identity`,
        identity: { kind: 'password', username: 'senlin', password: 'x', userDomain: 'Default' },
        scope: null,
      },
      interface: 'public',
      region: null,
      now: () => now,
    });
    const first = await session.auth();
    now += 30 * 60_000;
    expect((await session.auth()).token).toBe(first.token);
    now += 26 * 60_000; // four minutes before expiry: inside the renewal margin
    expect((await session.auth()).token).not.toBe(first.token);
  });
});

describe('requests of the OpenStack session', () => {
  it('sends the negotiated compute microversion in both headers', async () => {
    stub.on('GET', '/compute/v2.1/servers/s1', { body: { server: { id: 's1' } } });
    await backend.drivers({ userId: 'u', projectId: 'p' }).compute.getServer('s1');
    const headers = stub.calls('/compute/v2.1/servers/s1')[0]?.headers ?? {};
    expect(headers['openstack-api-version']).toBe('compute 2.79');
    expect(headers['x-openstack-nova-api-version']).toBe('2.79');
  });

  it('uses the newest microversion of an older Nova', async () => {
    stub.on('GET', '/compute/v2.1/', {
      body: { version: { version: '2.60', min_version: '2.1' } },
    });
    stub.on('GET', '/compute/v2.1/servers/s1', { body: { server: { id: 's1' } } });
    await backend.drivers({ userId: 'u', projectId: 'p' }).compute.getServer('s1');
    const headers = stub.calls('/compute/v2.1/servers/s1')[0]?.headers ?? {};
    expect(headers['openstack-api-version']).toBe('compute 2.60');
  });

  it('names the volume service in the microversion header of block storage', async () => {
    const session = new KeystoneSession({
      http: http(),
      method: {
        authUrl: `${stub.url}/identity/v3`,
        identity: { kind: 'password', username: 'senlin', password: 'x', userDomain: 'Default' },
        scope: null,
      },
      interface: 'public',
      region: null,
      requestId: 'req-00000000-0000-4000-8000-000000000001',
    });
    stub.on('GET', `/volume/v3/${STUB_PROJECT}/volumes/v1`, { body: { volume: { id: 'v1' } } });
    await session.request('block-storage', '/v3/volumes/v1', { microversion: '3.50' });
    const headers = stub.calls(`/volume/v3/${STUB_PROJECT}/volumes/v1`)[0]?.headers ?? {};
    expect(headers['openstack-api-version']).toBe('volume 3.50');
    expect(headers['x-openstack-nova-api-version']).toBeUndefined();
    expect(headers['x-openstack-request-id']).toBe('req-00000000-0000-4000-8000-000000000001');
  });

  it('picks the endpoint of the configured interface', async () => {
    backend = makeBackend({ authentication: { interface: 'internal' } });
    stub.on('GET', '/compute-internal/v2.1/servers/s1', { body: { server: { id: 's1' } } });
    await backend.drivers({ userId: 'u', projectId: 'p' }).compute.getServer('s1');
    expect(stub.calls('/compute-internal/v2.1/servers/s1')).toHaveLength(1);
  });

  it('lets region_name of the profile context override the default region', async () => {
    stub.on('GET', '/compute-two/v2.1/', { body: { version: { version: '2.93' } } });
    stub.on('GET', '/compute-two/v2.1/servers/s1', { body: { server: { id: 's1' } } });
    const drivers = backend.drivers({
      userId: 'u',
      projectId: 'p',
      context: { region_name: 'RegionTwo' },
    });
    await drivers.compute.getServer('s1');
    expect(stub.calls('/compute-two/v2.1/servers/s1')).toHaveLength(1);
    expect(stub.calls('/compute/v2.1/servers/s1')).toHaveLength(0);
  });

  it('fails clearly when the catalog has no endpoint in the region', async () => {
    const drivers = backend.drivers({
      userId: 'u',
      projectId: 'p',
      context: { region_name: 'Nowhere' },
    });
    const error = await drivers.network.getPort('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect(error).not.toBeInstanceOf(CloudNotFound);
    expect((error as CloudError).message).toBe(
      'No public endpoint of service type network in region Nowhere in the service catalog.',
    );
  });

  it('reports the clustering endpoint as null when the catalog has none', async () => {
    expect(
      await backend.drivers({ userId: 'u', projectId: 'p' }).identity.clusteringEndpoint(),
    ).toBeNull();
  });

  it('keeps a bounded number of sessions and fails every call once closed', async () => {
    const small = createOpenStackBackend(
      defaultConfig({
        DEFAULT: { cloud_backend: 'openstack' },
        authentication: { auth_url: `${stub.url}/identity/v3` },
      }),
      { maxSessions: 2 },
    );
    const first = small.drivers({ userId: 'a', projectId: 'p', trustId: 't1' });
    small.drivers({ userId: 'b', projectId: 'p', trustId: 't2' });
    small.drivers({ userId: 'c', projectId: 'p', trustId: 't3' });
    expect(small.sessionCount).toBe(2);
    expect(small.drivers({ userId: 'a', projectId: 'p', trustId: 't1' })).not.toBe(first);
    await small.close();
    const error = await first.compute.getServer('s').catch((e: unknown) => e);
    expect((error as CloudError).status).toBe(503);
  });
});
