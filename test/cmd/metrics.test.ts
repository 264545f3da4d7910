/**
 * The Prometheus metrics of a process: API requests, actions run by the engine and the
 * database counts, scraped over HTTP from the metrics endpoint after a real cluster creation
 * on the fake cloud.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { NoAuthAuthenticator } from '../../src/api/auth/index.js';
import { PolicyEnforcer } from '../../src/api/policy/index.js';
import { createProcessMetrics, serveMetrics } from '../../src/cmd/metrics.js';
import { createConductor } from '../../src/conductor/index.js';
import { openDatabase } from '../../src/db/connection.js';
import { syncSchema } from '../../src/db/migrate.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';

const dir = mkdtempSync(join(tmpdir(), 'senlin-metrics-'));
const db = await openDatabase({ connection: `sqlite:///${join(dir, 'senlin.sqlite')}` });
await syncSchema(db);
const logger = pino({ level: 'silent' });
const config = testConfig({ DEFAULT: { auth_strategy: 'noauth' } });
const metrics = createProcessMetrics(config, db, logger);
const svc = { ...testServices(db, { config }), metrics: metrics.engine };
const engine = await startEngine(svc);
const app = await buildApp({
  config,
  authenticator: new NoAuthAuthenticator(),
  enforcer: PolicyEnforcer.load({
    policyFile: null,
    policyDirs: [],
    configDir: dir,
    defaultRule: 'default',
  }),
  conductor: createConductor(svc),
  metrics: metrics.api,
});
const server = await serveMetrics(metrics.registry, '127.0.0.1', 0, logger);

afterAll(async () => {
  await server.stop();
  await engine.stop();
  await app.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const HEADERS = {
  'x-user-id': 'demo-user',
  'x-project-id': 'demo',
  'x-roles': 'member',
  'content-type': 'application/json',
  'openstack-api-version': 'clustering 1.12',
};

async function post(url: string, body: unknown) {
  const res = await app.inject({ method: 'POST', url, headers: HEADERS, payload: body as object });
  return { status: res.statusCode, headers: res.headers, data: res.json() };
}

/** The value of one sample of the exposition text, or undefined when absent. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const found = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('the metrics endpoint', () => {
  it('reports the requests, the actions and the database counts of a cluster creation', async () => {
    const profile = await post('/v1/profiles', {
      profile: {
        name: 'metrics-web',
        spec: {
          type: 'os.nova.server',
          version: '1.0',
          properties: { flavor: 'm1.tiny', image: 'cirros', networks: [{ network: 'private' }] },
        },
      },
    });
    expect(profile.status, JSON.stringify(profile.data)).toBe(201);
    const cluster = await post('/v1/clusters', {
      cluster: { name: 'metrics-c', profile_id: profile.data.profile.id, desired_capacity: 2 },
    });
    expect(cluster.status, JSON.stringify(cluster.data)).toBe(202);
    const actionId = String(cluster.headers.location).split('/actions/')[1] ?? '';
    expect((await waitForAction(db, actionId)).status).toBe('SUCCEEDED');
    const missing = await app.inject({ method: 'GET', url: '/v1/clusters/nope', headers: HEADERS });
    expect(missing.statusCode).toBe(404);

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();

    const requests = 'senlin_api_request_duration_seconds_count';
    expect(sample(text, requests, { method: 'POST', route: '/v1/profiles', status: '201' })).toBe(
      1,
    );
    expect(sample(text, requests, { method: 'POST', route: '/v1/clusters', status: '202' })).toBe(
      1,
    );
    expect(
      sample(text, requests, { method: 'GET', route: '/v1/clusters/:cluster_id', status: '404' }),
    ).toBe(1);

    const actions = 'senlin_engine_action_duration_seconds_count';
    expect(sample(text, actions, { action: 'CLUSTER_CREATE', result: 'OK' })).toBe(1);
    expect(sample(text, actions, { action: 'NODE_CREATE', result: 'OK' })).toBe(2);
    expect(sample(text, 'senlin_engine_actions_running')).toBe(0);

    expect(sample(text, 'senlin_clusters', { status: 'ACTIVE' })).toBe(1);
    expect(sample(text, 'senlin_nodes', { status: 'ACTIVE' })).toBe(2);
    expect(sample(text, 'senlin_actions', { status: 'SUCCEEDED' })).toBe(3);
    expect(sample(text, 'senlin_services', { binary: 'senlin-engine', state: 'up' })).toBe(1);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('answers 404 off /metrics and 405 to other methods', async () => {
    const base = server.url.replace(/\/metrics$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    const post = await fetch(server.url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
