/**
 * senlin-ts with auth_strategy = keystone in front of the real Keystone of .ci/keystone.sh:
 * API (token validation and trust middleware), conductor and an engine over a fresh SQLite
 * database and the fake cloud, driven with fastify's inject().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.js';
import {
  type AuthLogger,
  createAuthenticator,
  createTrustBroker,
  type FetchLike,
  type TrustBroker,
} from '../../src/api/auth/index.js';
import type { Authenticator } from '../../src/api/auth-types.js';
import { PolicyEnforcer } from '../../src/api/policy/index.js';
import type { Conductor } from '../../src/conductor/index.js';
import { createConductor } from '../../src/conductor/index.js';
import type { ConfigOverrides } from '../../src/config/load.js';
import type { Db } from '../../src/db/connection.js';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import type { FakeCloud } from '../../src/drivers/fake/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { startEngine, testConfig, testServices } from '../support/engine.js';
import { keystoneConfig } from './keystone-env.js';

/** A response of inject() with its JSON body parsed when there is one. */
export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  data: any;
}

/** Options of one request. */
export interface SendOptions {
  body?: unknown;
  /** Microversion (default `latest`). */
  version?: string;
  headers?: Record<string, string>;
}

/** A running senlin-ts behind Keystone. */
export interface KeystoneApi {
  app: FastifyInstance;
  db: Db;
  conductor: Conductor;
  backend: FakeCloud;
  authenticator: Authenticator;
  trusts: TrustBroker;
  /** Sends a request with `token` in X-Auth-Token (none when null). */
  send(method: string, url: string, token: string | null, options?: SendOptions): Promise<Answer>;
  close(): Promise<void>;
}

/** Options of the API under test. */
export interface KeystoneApiOptions {
  config?: ConfigOverrides;
  /** Keystone calls of the authenticator and the trust broker go through it. */
  fetch?: FetchLike;
  /** Clock of the authenticator and the trust broker. */
  now?: () => number;
  /** Start an engine (default true). */
  engine?: boolean;
}

/** Starts senlin-ts behind the test Keystone. */
export async function startKeystoneApi(options: KeystoneApiOptions = {}): Promise<KeystoneApi> {
  const dir = mkdtempSync(join(tmpdir(), 'senlin-ks-'));
  const ks = keystoneConfig();
  const overrides = options.config ?? {};
  const config = testConfig({
    ...overrides,
    DEFAULT: { auth_strategy: 'keystone', ...overrides.DEFAULT },
    keystone_authtoken: { ...ks.keystone_authtoken, ...overrides.keystone_authtoken },
    authentication: { ...ks.authentication, ...overrides.authentication },
    receiver: { host: '127.0.0.1', port: 8777, ...overrides.receiver },
  });
  const db = await openDatabase({ connection: `sqlite:///${join(dir, 'senlin.sqlite')}` });
  await syncSchema(db);
  const services = testServices(db, { config });
  const conductor = createConductor(services);
  const deps = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
    logger: { warn: () => {} } satisfies AuthLogger,
  };
  const authenticator = createAuthenticator(config, deps);
  const trusts = createTrustBroker(config, conductor.credentials, deps);
  if (trusts === null) throw new Error('auth_strategy = keystone gives a trust broker');
  const enforcer = PolicyEnforcer.load({
    policyFile: null,
    policyDirs: [],
    configDir: null,
    defaultRule: 'default',
  });
  const app = await buildApp({ config, authenticator, enforcer, conductor, trusts });
  const engine: Engine | null = options.engine === false ? null : await startEngine(services);
  return {
    app,
    db,
    conductor,
    backend: services.backend,
    authenticator,
    trusts,
    async send(method, url, token, opts = {}) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: {
          accept: 'application/json',
          'openstack-api-version': `clustering ${opts.version ?? 'latest'}`,
          ...(token ? { 'x-auth-token': token } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
      });
      let data: unknown = null;
      try {
        data = res.body ? JSON.parse(res.body) : null;
      } catch {
        data = res.body;
      }
      return { status: res.statusCode, headers: res.headers, data };
    },
    async close() {
      await engine?.stop();
      await app.close();
      await authenticator.close();
      trusts.close();
      await services.backend.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The trust id stored in the credential row of a user in a project (null without one). */
export async function storedTrust(api: KeystoneApi, user: string, project: string) {
  return api.conductor.credentials.trustOf(user, project);
}
