/**
 * NODE_STATUS_POLL_URL against real HTTP endpoints on 127.0.0.1: the expected answer, HTTP
 * errors, connection errors (counted or ignored), retries, the response size limit, the
 * node's address in the URL, TLS verification, and a hanging endpoint that must not hold up
 * the checks of other clusters.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitForAction } from '../support/engine.js';
import { closedPort, startEndpoint } from './http-endpoint.js';
import { healthSpec, healthWorld, until } from './support.js';

const MAX_RESPONSE = 4096;
const world = await healthWorld({ DEFAULT: { max_response_size: MAX_RESPONSE } });
const manager = await world.manager();
const endpoint = await startEndpoint();

function watched(clusterId: string) {
  return manager.snapshot().find((s) => s.clusterId === clusterId);
}

function urlMode(url: string, options: Record<string, unknown> = {}) {
  return {
    type: 'NODE_STATUS_POLL_URL',
    options: {
      poll_url: url,
      poll_url_healthy_response: 'passing',
      poll_url_retry_limit: 2,
      poll_url_retry_interval: 0,
      ...options,
    },
  };
}

async function recovered(nodeId: string) {
  const [action] = await until(`a recovery of ${nodeId}`, async () => {
    const found = await world.recoveries(nodeId);
    return found.length > 0 && found;
  });
  return waitForAction(world.db, action.id);
}

async function quietFor(clusterId: string, runs: number): Promise<void> {
  const start = watched(clusterId)?.runs ?? 0;
  await until(`${runs} more check runs`, () => (watched(clusterId)?.runs ?? 0) >= start + runs);
}

describe('NODE_STATUS_POLL_URL', () => {
  it('recreates the node whose URL stops answering the healthy response, after the retries', async () => {
    const clusterId = await world.cluster(2);
    const [sick, fine] = await world.members(clusterId);
    endpoint.answer(`/a/${sick.name}`, { body: 'failing' });
    await world.attach(clusterId, healthSpec([urlMode(`${endpoint.url}/a/{nodename}`)]));

    const action = await recovered(sick.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(endpoint.hits(`/a/${sick.name}`)).toBeGreaterThanOrEqual(2);
    expect(endpoint.hits(`/a/${fine.name}`)).toBeGreaterThanOrEqual(1);
    expect(await world.recoveries(fine.id)).toEqual([]);
    const [event] = await world.healthEvents(sick.id);
    expect(event?.status_reason).toContain('NODE_STATUS_POLL_URL');
    expect(event?.status_reason).toContain("expected response 'passing'");
    endpoint.answer(`/a/${sick.name}`, { body: 'passing' });
  });

  it('counts an HTTP error status as unhealthy', async () => {
    const clusterId = await world.cluster(1);
    const [node] = await world.members(clusterId);
    endpoint.answer(`/b/${node.name}`, { status: 503, body: 'passing' });
    await world.attach(clusterId, healthSpec([urlMode(`${endpoint.url}/b/{nodename}`)]));
    const action = await recovered(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    const [event] = await world.healthEvents(node.id);
    expect(event?.status_reason).toContain('HTTP 503');
    endpoint.answer(`/b/${node.name}`, { body: 'passing' });
  });

  it('counts a connection error as unhealthy by default', async () => {
    const clusterId = await world.cluster(1);
    const [node] = await world.members(clusterId);
    const port = await closedPort();
    const policyId = await world.attach(
      clusterId,
      healthSpec([urlMode(`http://127.0.0.1:${port}/{nodename}`)], { nodeUpdateTimeout: 600 }),
    );
    // Within node_update_timeout nothing happens; moving the node's update time back lets it.
    await quietFor(clusterId, 2);
    expect(await world.recoveries(node.id)).toEqual([]);
    await world.db.retry((k) =>
      k
        .updateTable('node')
        .set({ updated_at: '2000-01-01 00:00:00.000000' })
        .where('id', '=', node.id)
        .execute(),
    );
    const action = await recovered(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    await world.finished(
      await world.api.call('POST', `/v1/clusters/${clusterId}/actions`, {
        body: { policy_detach: { policy_id: policyId } },
      }),
    );
  });

  it('ignores connection errors when poll_url_conn_error_as_unhealthy is false', async () => {
    const clusterId = await world.cluster(1);
    const [node] = await world.members(clusterId);
    const port = await closedPort();
    await world.attach(
      clusterId,
      healthSpec([
        urlMode(`http://127.0.0.1:${port}/{nodename}`, {
          poll_url_conn_error_as_unhealthy: false,
        }),
      ]),
    );
    await quietFor(clusterId, 3);
    expect(await world.recoveries(node.id)).toEqual([]);
  });

  it('counts an answer larger than max_response_size as a failure', async () => {
    const clusterId = await world.cluster(2);
    const [big, small] = await world.members(clusterId);
    endpoint.answer(`/c/${big.name}`, { body: `passing${'x'.repeat(MAX_RESPONSE * 4)}` });
    endpoint.answer(`/c/${small.name}`, { body: `passing${'x'.repeat(MAX_RESPONSE / 2)}` });
    await world.attach(clusterId, healthSpec([urlMode(`${endpoint.url}/c/{nodename}`)]));
    const action = await recovered(big.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    const [event] = await world.healthEvents(big.id);
    expect(event?.status_reason).toContain(`maximum allowed size (${MAX_RESPONSE} bytes)`);
    expect(await world.recoveries(small.id)).toEqual([]);
    endpoint.answer(`/c/${big.name}`, { body: 'passing' });
  });

  it('puts the node name, id and address into the URL', async () => {
    const clusterId = await world.cluster(1);
    const [node] = await world.members(clusterId);
    await world.attach(
      clusterId,
      healthSpec([urlMode(`${endpoint.url}/d/{nodename}/{nodeid}/{nodeip}`)]),
    );
    await quietFor(clusterId, 1);
    const details = (await world.api.call('GET', `/v1/nodes/${node.id}?show_details=true`)).data
      .node.details;
    const address = Object.values(details.addresses as Record<string, { addr: string }[]>)[0]?.[0]
      ?.addr;
    expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(endpoint.paths).toContain(`/d/${node.name}/${node.id}/${address}`);
    expect(await world.recoveries(node.id)).toEqual([]);
  });

  it('lets other clusters be checked while an endpoint hangs', async () => {
    const hanging = await world.cluster(1);
    const [stuck] = await world.members(hanging);
    endpoint.answer(`/hang/${stuck.name}`, { hang: true });
    const hangingPolicy = await world.attach(
      hanging,
      healthSpec([
        urlMode(`${endpoint.url}/hang/{nodename}`, {
          poll_url_retry_limit: 5,
          poll_url_retry_interval: 2,
        }),
      ]),
    );
    await until('the hanging endpoint to be polled', () => endpoint.hits(`/hang/${stuck.name}`));

    const other = await world.cluster(1);
    const [sick] = await world.members(other);
    endpoint.answer(`/e/${sick.name}`, { body: 'failing' });
    await world.attach(other, healthSpec([urlMode(`${endpoint.url}/e/{nodename}`)]));
    await until('three runs of the other cluster', () => (watched(other)?.runs ?? 0) >= 3);
    expect(await world.recoveries(sick.id)).not.toEqual([]);
    expect(watched(hanging)).toMatchObject({ runs: 0, running: true });
    endpoint.answer(`/e/${sick.name}`, { body: 'passing' });

    await world.finished(
      await world.api.call('POST', `/v1/clusters/${hanging}/actions`, {
        body: { policy_detach: { policy_id: hangingPolicy } },
      }),
    );
    await until('the hanging cluster to be dropped', () => !watched(hanging));
  });
});

describe('NODE_STATUS_POLL_URL over HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'senlin-hm-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let tls: { key: Buffer; cert: Buffer } | null = null;
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    tls = null;
  }

  it.skipIf(tls === null)(
    'accepts a self-signed certificate only when poll_url_ssl_verify is false',
    async () => {
      const secure = await startEndpoint(tls ?? undefined);
      const lenient = await world.cluster(1);
      const [trusting] = await world.members(lenient);
      await world.attach(
        lenient,
        healthSpec([urlMode(`${secure.url}/{nodename}`, { poll_url_ssl_verify: false })]),
      );
      const strict = await world.cluster(1);
      const [verifying] = await world.members(strict);
      await world.attach(strict, healthSpec([urlMode(`${secure.url}/{nodename}`)]));

      const action = await recovered(verifying.id);
      expect(action.status, action.statusReason).toBe('SUCCEEDED');
      await quietFor(lenient, 2);
      expect(secure.hits(`/${trusting.name}`)).toBeGreaterThanOrEqual(2);
      expect(await world.recoveries(trusting.id)).toEqual([]);
    },
  );
});
