import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { createAuthenticator } from '../../src/api/auth/index.js';
import { PolicyEnforcer } from '../../src/api/policy/index.js';
import { createConductor } from '../../src/conductor/index.js';
import { defaultConfig } from '../../src/config/load.js';
import type { Db } from '../../src/db/connection.js';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { testServices } from '../support/engine.js';
import type { IssuedToken } from './keystone-env.js';
import { ACCOUNTS, issueToken, KEYSTONE_URL } from './keystone-env.js';

// The API with auth_strategy = keystone in front of the real Keystone of .ci/keystone.sh.
const dir = mkdtempSync(join(tmpdir(), 'senlin-ks-api-'));
let app: FastifyInstance;
let db: Db;
let demo: IssuedToken;
let alt: IssuedToken;
let admin: IssuedToken;

const HEAT = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
};

beforeAll(async () => {
  const config = defaultConfig({
    DEFAULT: { auth_strategy: 'keystone' },
    keystone_authtoken: {
      auth_url: `${KEYSTONE_URL}/v3`,
      www_authenticate_uri: `${KEYSTONE_URL}/v3`,
      username: ACCOUNTS.senlin.user,
      password: ACCOUNTS.senlin.password,
      project_name: ACCOUNTS.senlin.project,
    },
  });
  db = await openDatabase({ connection: `sqlite:///${join(dir, 'db.sqlite')}` });
  await syncSchema(db);
  const enforcer = PolicyEnforcer.load({
    policyFile: null,
    policyDirs: [],
    configDir: null,
    defaultRule: 'default',
  });
  app = await buildApp({
    config,
    authenticator: createAuthenticator(config),
    enforcer,
    conductor: createConductor(testServices(db, { config })),
  });
  [demo, alt, admin] = await Promise.all([
    issueToken(ACCOUNTS.demo),
    issueToken(ACCOUNTS.alt),
    issueToken(ACCOUNTS.admin),
  ]);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: 'GET' | 'POST', url: string, token: string | null, body?: unknown) {
  return app.inject({
    method,
    url,
    headers: {
      accept: 'application/json',
      'openstack-api-version': 'clustering latest',
      ...(token ? { 'x-auth-token': token } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });
}

describe('API behind Keystone', () => {
  it('refuses a request without a token with 401 and WWW-Authenticate', async () => {
    const res = await call('GET', '/v1/profiles', null);
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Keystone uri="${KEYSTONE_URL}/v3"`);
    expect(res.json()).toEqual({
      error: {
        code: 401,
        title: 'Unauthorized',
        message: 'The request you have made requires authentication.',
      },
    });
  });

  it('refuses a token Keystone does not know', async () => {
    expect((await call('GET', '/v1/profiles', 'gAAAAAbogus-token')).statusCode).toBe(401);
  });

  it('serves version documents without a token', async () => {
    expect((await call('GET', '/', null)).statusCode).toBe(300);
    expect((await call('GET', '/v1', null)).statusCode).toBe(200);
  });

  it("records the token's user and project as the owner", async () => {
    const res = await call('POST', '/v1/profiles', demo.token, {
      profile: { name: 'ks-p', spec: HEAT },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().profile).toMatchObject({ user: demo.userId, project: demo.projectId });
  });

  it("hides one project's objects from another and shows them to admins", async () => {
    const created = await call('POST', '/v1/profiles', demo.token, {
      profile: { name: 'ks-private', spec: HEAT },
    });
    const id = created.json().profile.id;
    expect((await call('GET', `/v1/profiles/${id}`, alt.token)).statusCode).toBe(404);
    expect((await call('GET', '/v1/profiles', alt.token)).json().profiles).toEqual([]);
    expect((await call('GET', `/v1/profiles/${id}`, admin.token)).statusCode).toBe(200);
  });

  it('refuses global_project to members and services to non-admins', async () => {
    const global = await call('GET', '/v1/profiles?global_project=true', demo.token);
    expect(global.statusCode).toBe(403);
    expect(global.json().error.message).toBe('You are not authorized to complete this operation.');
    expect((await call('GET', '/v1/services', demo.token)).statusCode).toBe(403);
    expect((await call('GET', '/v1/services', admin.token)).statusCode).toBe(200);
  });
});
