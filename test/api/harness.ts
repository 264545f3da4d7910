/**
 * A senlin-ts API over a fresh SQLite database, driven with fastify's inject(): the same
 * wiring as `senlin-ts api`, without a listening socket.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { NoAuthAuthenticator } from '../../src/api/auth/index.js';
import { PolicyEnforcer } from '../../src/api/policy/index.js';
import { newId } from '../../src/common/ids.js';
import type { Conductor } from '../../src/conductor/index.js';
import { createConductor } from '../../src/conductor/index.js';
import type { ConfigOverrides } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Db } from '../../src/db/connection.js';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import type { FakeCloud } from '../../src/drivers/fake/index.js';
import { createFakeCloud } from '../../src/drivers/fake/index.js';
import { EngineBus } from '../../src/engine/bus.js';

/** Who makes a request (noauth headers). */
export interface Caller {
  user?: string;
  project?: string;
  roles?: string[];
}

/** Options of one request. */
export interface CallOptions {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  /** Microversion; `null` sends no header. Default `latest`. */
  version?: string | null;
  as?: Caller;
  headers?: Record<string, string>;
  query?: Record<string, string | string[]>;
}

/** A running API under test. */
export interface TestApi {
  app: FastifyInstance;
  db: Db;
  /** The fake cloud behind the API. */
  backend: FakeCloud;
  conductor: Conductor;
  /** Sends a request; returns the response with `json` parsed when possible. */
  call(
    method: string,
    url: string,
    options?: CallOptions,
  ): Promise<LightMyRequestResponse & { data: any }>;
  close(): Promise<void>;
}

/** A member of project `demo` (not admin). */
export const DEMO: Caller = { user: 'demo-user', project: 'demo', roles: ['member'] };
/** An admin of project `admin`. */
export const ADMIN: Caller = { user: 'admin-user', project: 'admin', roles: ['admin'] };
/** A member of another project. */
export const ALT: Caller = { user: 'alt-user', project: 'alt', roles: ['member'] };

/** Options of the API under test. */
export interface TestApiOptions {
  config?: ConfigOverrides;
  /** policy.yaml content overriding default rules. */
  policyYaml?: string;
  now?: () => Date;
}

/** Starts an API over a new SQLite database (closed after the file's tests). */
export async function startApi(options: TestApiOptions = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'senlin-api-'));
  const config = defaultConfig({
    ...options.config,
    DEFAULT: { auth_strategy: 'noauth', ...options.config?.DEFAULT },
  });
  const db = await openDatabase({ connection: `sqlite:///${join(dir, 'senlin.sqlite')}` });
  await syncSchema(db);
  let policyFile: string | null = null;
  if (options.policyYaml !== undefined) {
    policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, options.policyYaml);
  }
  const enforcer = PolicyEnforcer.load({
    policyFile,
    policyDirs: [],
    configDir: dir,
    defaultRule: 'default',
  });
  const backend = createFakeCloud();
  const bus = new EngineBus();
  const logger = pino({ level: 'silent' });
  const conductor = createConductor({
    config,
    db,
    backend,
    bus,
    logger,
    engineId: newId(),
    now: options.now ?? (() => new Date()),
  });
  const app = await buildApp({
    config,
    authenticator: new NoAuthAuthenticator(),
    enforcer,
    conductor,
  });
  const api: TestApi = {
    app,
    db,
    backend,
    conductor,
    async call(method, url, opts = {}) {
      const as = opts.as ?? DEMO;
      const headers: Record<string, string> = {
        accept: 'application/json',
        ...(as.user ? { 'x-user-id': as.user } : {}),
        ...(as.project ? { 'x-project-id': as.project } : {}),
        ...(as.roles ? { 'x-roles': as.roles.join(',') } : {}),
        ...(opts.version === null
          ? {}
          : { 'openstack-api-version': `clustering ${opts.version ?? 'latest'}` }),
        ...opts.headers,
      };
      let payload: string | undefined;
      if (opts.raw !== undefined) payload = opts.raw;
      else if (opts.body !== undefined) {
        payload = JSON.stringify(opts.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
        ...(opts.query ? { query: opts.query } : {}),
      });
      let data: unknown;
      try {
        data = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        data = res.body;
      }
      return Object.assign(res, { data });
    },
    async close() {
      await app.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  afterAll(() => api.close());
  return api;
}

/** The tempest plugin's Nova server profile spec. */
export const NOVA_SPEC = {
  type: 'os.nova.server',
  version: '1.0',
  properties: {
    flavor: 'm1.tiny',
    image: 'cirros-0.4.0-x86_64-disk',
    name: 'new-server-test',
    networks: [{ network: 'private' }],
  },
};

/** The tempest plugin's scaling policy spec. */
export const SCALING_SPEC = {
  type: 'senlin.policy.scaling',
  version: '1.0',
  properties: {
    event: 'CLUSTER_SCALE_IN',
    adjustment: {
      type: 'CHANGE_IN_CAPACITY',
      number: 1,
      min_step: 1,
      best_effort: true,
      cooldown: 0,
    },
  },
};

/** The error message of a Senlin-format error body. */
export function errorMessage(res: { data: any }): string {
  return res.data?.error?.message;
}
