/**
 * The health policy through the API, the engine and the fake cloud: the cluster's health
 * registration while the policy is attached, health checking paused while nodes are deleted,
 * and recoveries that follow the policy.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fromDbBool, fromDbJson } from '../../src/db/codec.js';
import { startEngine, waitForAction } from '../support/engine.js';
import { errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const engine = await startEngine(api.conductor.deps);
afterAll(() => engine.stop());

const HEAT_SPEC = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
};

function healthSpec(
  version: string,
  types: readonly string[],
  recovery: Record<string, unknown> = { actions: [{ name: 'RECREATE' }] },
) {
  return {
    type: 'senlin.policy.health',
    version,
    properties: {
      detection: {
        interval: 120,
        detection_modes: types.map((type) =>
          type === 'NODE_STATUS_POLL_URL'
            ? { type, options: { poll_url: 'http://{nodename}:8080/ok' } }
            : { type },
        ),
      },
      recovery,
    },
  };
}

let serial = 0;
const unique = (prefix: string) => `${prefix}-${++serial}`;

async function created(path: string, key: string, body: unknown): Promise<string> {
  const res = await api.call('POST', path, { body: { [key]: body } });
  expect(res.statusCode, JSON.stringify(res.data)).toBeLessThan(300);
  return res.data[key].id;
}

async function policy(spec: unknown): Promise<string> {
  return created('/v1/policies', 'policy', { name: unique('hp'), spec });
}

const novaProfile = await created('/v1/profiles', 'profile', { name: 'hp-nova', spec: NOVA_SPEC });

/** Waits for the action a 202 answer started; returns the action as the API shows it. */
async function finished(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  data: any;
}): Promise<any> {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id = String(res.headers.location).split('/actions/')[1] ?? '';
  await waitForAction(api.db, id);
  return (await api.call('GET', `/v1/actions/${id}`)).data.action;
}

function act(clusterId: string, body: unknown) {
  return api.call('POST', `/v1/clusters/${clusterId}/actions`, { body });
}

async function cluster(size: number, profileId = novaProfile): Promise<string> {
  const name = unique('hc');
  const action = await finished(
    await api.call('POST', '/v1/clusters', {
      body: { cluster: { name, profile_id: profileId, desired_capacity: size } },
    }),
  );
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
  return action.target;
}

async function attached(clusterId: string, spec: unknown): Promise<string> {
  const policyId = await policy(spec);
  const action = await finished(await act(clusterId, { policy_attach: { policy_id: policyId } }));
  expect(action.status, action.status_reason).toBe('SUCCEEDED');
  return policyId;
}

async function registration(clusterId: string) {
  const row = await api.db.retry((k) =>
    k
      .selectFrom('health_registry')
      .selectAll()
      .where('cluster_id', '=', clusterId)
      .executeTakeFirst(),
  );
  if (!row) return null;
  return {
    checkType: row.check_type,
    interval: row.interval,
    enabled: fromDbBool(row.enabled),
    params: fromDbJson<Record<string, any>>(row.params) ?? {},
  };
}

async function members(clusterId: string): Promise<any[]> {
  return (await api.call('GET', '/v1/nodes', { query: { cluster_id: clusterId } })).data.nodes;
}

async function waitUntil(what: string, test: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Makes deleting the node's server take `seconds` in the fake cloud. */
async function slowDelete(node: any, seconds: number): Promise<void> {
  const { compute } = api.backend.drivers({ userId: node.user, projectId: node.project });
  const metadata = await compute.getServerMetadata(node.physical_id);
  await compute.setServerMetadata(node.physical_id, {
    ...metadata,
    simulated_wait_time: String(seconds),
  });
}

const POLLING = ['NODE_STATUS_POLLING', 'NODE_STATUS_POLL_URL'];
const COMBINATIONS: [string, string[]][] = [
  ['1.1', ['NODE_STATUS_POLLING']],
  ['1.1', ['NODE_STATUS_POLL_URL']],
  ['1.1', POLLING],
  ['1.1', ['LIFECYCLE_EVENTS']],
  ['1.2', ['HYPERVISOR_STATUS_POLLING']],
  ['1.2', ['NODE_STATUS_POLLING', 'HYPERVISOR_STATUS_POLLING']],
  ['1.2', ['HYPERVISOR_STATUS_POLLING', 'NODE_STATUS_POLL_URL']],
  ['1.2', [...POLLING, 'HYPERVISOR_STATUS_POLLING']],
  ['1.2', ['LIFECYCLE_EVENTS']],
];

describe('health policy attach', () => {
  it.each(COMBINATIONS)('registers a %s policy detecting by %j', async (version, types) => {
    const id = await cluster(0);
    const policyId = await attached(id, healthSpec(version, types));
    const reg = await registration(id);
    expect(reg).toMatchObject({ checkType: types.join(','), interval: 120, enabled: true });
    expect(reg?.params).toMatchObject({
      recover_action: [{ name: 'RECREATE' }],
      node_delete_timeout: 20,
      node_force_recreate: false,
      recovery_conditional: 'ANY_FAILED',
      node_update_timeout: 300,
    });
    expect(reg?.params.detection_modes).toEqual(
      types.map((type) => ({
        type,
        poll_url: type === 'NODE_STATUS_POLL_URL' ? 'http://{nodename}:8080/ok' : '',
        poll_url_ssl_verify: true,
        poll_url_conn_error_as_unhealthy: true,
        poll_url_healthy_response: '',
        poll_url_retry_limit: 3,
        poll_url_retry_interval: 3,
      })),
    );
    const binding = await api.db.retry((k) =>
      k
        .selectFrom('cluster_policy')
        .select('data')
        .where('cluster_id', '=', id)
        .where('policy_id', '=', policyId)
        .executeTakeFirstOrThrow(),
    );
    expect(fromDbJson(binding.data)).toEqual({
      HealthPolicy: {
        version: '1.2',
        data: {
          interval: 120,
          node_update_timeout: 300,
          recovery_conditional: 'ANY_FAILED',
          node_delete_timeout: 20,
          node_force_recreate: false,
          detection_modes: reg?.params.detection_modes,
        },
      },
    });
  });

  it('registers a policy attached disabled as disabled', async () => {
    const id = await cluster(0);
    const policyId = await policy(healthSpec('1.1', ['NODE_STATUS_POLLING']));
    await finished(await act(id, { policy_attach: { policy_id: policyId, enabled: false } }));
    expect((await registration(id))?.enabled).toBe(false);
  });

  it('refuses at policy create detection modes mixing events and polling', async () => {
    const res = await api.call('POST', '/v1/policies', {
      body: {
        policy: {
          name: 'hp-mixed',
          spec: healthSpec('1.1', ['LIFECYCLE_EVENTS', 'NODE_STATUS_POLLING']),
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(
      'Invalid detection modes in health policy: LIFECYCLE_EVENTS, NODE_STATUS_POLLING',
    );
  });

  it('refuses REBUILD recovery on a Heat cluster and registers nothing', async () => {
    const heat = await created('/v1/profiles', 'profile', { name: 'hp-heat', spec: HEAT_SPEC });
    const id = await cluster(0, heat);
    const policyId = await policy(
      healthSpec('1.1', ['NODE_STATUS_POLLING'], { actions: [{ name: 'REBUILD' }] }),
    );
    const action = await finished(await act(id, { policy_attach: { policy_id: policyId } }));
    expect(action.status).toBe('FAILED');
    expect(action.status_reason).toContain(
      'Recovery action REBUILD is only applicable to os.nova.server clusters.',
    );
    expect(await registration(id)).toBeNull();
    expect((await api.call('GET', `/v1/clusters/${id}/policies`)).data.cluster_policies).toEqual(
      [],
    );
  });

  it('registers RECREATE recovery on a Heat cluster', async () => {
    const heat = await created('/v1/profiles', 'profile', { name: 'hp-heat2', spec: HEAT_SPEC });
    const id = await cluster(0, heat);
    await attached(id, healthSpec('1.1', ['LIFECYCLE_EVENTS']));
    expect((await registration(id))?.checkType).toBe('LIFECYCLE_EVENTS');
  });
});

describe('health registration lifecycle', () => {
  it('follows the binding when the policy is disabled and enabled again', async () => {
    const id = await cluster(0);
    const policyId = await attached(id, healthSpec('1.2', ['NODE_STATUS_POLLING']));
    await finished(await act(id, { policy_update: { policy_id: policyId, enabled: false } }));
    expect((await registration(id))?.enabled).toBe(false);
    await finished(await act(id, { policy_update: { policy_id: policyId, enabled: true } }));
    expect((await registration(id))?.enabled).toBe(true);
  });

  it('is removed when the policy is detached', async () => {
    const id = await cluster(0);
    const policyId = await attached(id, healthSpec('1.2', ['NODE_STATUS_POLLING']));
    const action = await finished(await act(id, { policy_detach: { policy_id: policyId } }));
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(await registration(id)).toBeNull();
  });

  it('is removed when the cluster is deleted', async () => {
    const id = await cluster(1);
    await attached(id, healthSpec('1.2', ['NODE_STATUS_POLLING']));
    const action = await finished(await api.call('DELETE', `/v1/clusters/${id}`));
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    expect(await registration(id)).toBeNull();
  });
});

describe('health checking paused while nodes go', () => {
  it('is disabled during a scale-in and enabled again after it', async () => {
    const id = await cluster(2);
    await attached(id, healthSpec('1.2', ['NODE_STATUS_POLLING']));
    for (const node of await members(id)) await slowDelete(node, 1);
    const res = await act(id, { scale_in: { count: 1 } });
    await waitUntil('a node is being deleted', async () =>
      (await members(id)).some((n) => n.status === 'DELETING'),
    );
    const during = await registration(id);
    expect(during?.enabled).toBe(false);
    expect(Object.keys(during?.params.disabled_by ?? {})).toHaveLength(1);
    const action = await finished(res);
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    const after = await registration(id);
    expect(after?.enabled).toBe(true);
    expect(after?.params.disabled_by).toBeUndefined();
  });

  it('stays disabled until the last of two overlapping node deletions ends', async () => {
    const id = await cluster(3);
    await attached(id, healthSpec('1.2', ['NODE_STATUS_POLLING']));
    const [quick, slow] = await members(id);
    await slowDelete(quick, 0.5);
    await slowDelete(slow, 2.5);
    const slowRes = await api.call('DELETE', `/v1/nodes/${slow.id}`);
    const quickRes = await api.call('DELETE', `/v1/nodes/${quick.id}`);
    const slowAction = String(slowRes.headers.location).split('/actions/')[1] ?? '';
    const quickDone = await finished(quickRes);
    expect(quickDone.status, quickDone.status_reason).toBe('SUCCEEDED');
    const between = await registration(id);
    expect((await waitForAction(api.db, slowAction, ['RUNNING', 'SUCCEEDED'])).status).toBe(
      'RUNNING',
    );
    expect(between?.enabled).toBe(false);
    expect(Object.keys(between?.params.disabled_by ?? {})).toEqual([slowAction]);
    const slowDone = await finished(slowRes);
    expect(slowDone.status, slowDone.status_reason).toBe('SUCCEEDED');
    expect((await registration(id))?.enabled).toBe(true);
  });
});

describe('recovery with a health policy', () => {
  it('recreates a node whose server was destroyed with the policy recovery', async () => {
    const id = await cluster(1);
    await attached(
      id,
      healthSpec('1.2', ['NODE_STATUS_POLLING'], {
        actions: [{ name: 'RECREATE' }],
        fencing: ['COMPUTE'],
        node_delete_timeout: 15,
        node_force_recreate: true,
      }),
    );
    const [node] = await members(id);
    api.backend.destroyServer(node.physical_id);
    await finished(await act(id, { check: {} }));
    expect((await members(id))[0]).toMatchObject({ status: 'ERROR', physical_id: null });

    const recover = await finished(await act(id, { recover: {} }));
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    expect(recover.inputs).toMatchObject({
      operation: 'RECREATE',
      operation_params: { fence_compute: true },
      delete_timeout: 15,
      force_recreate: true,
    });
    const child = (
      await api.call('GET', '/v1/actions', {
        query: { target: node.id, action: 'NODE_RECOVER' },
      })
    ).data.actions[0];
    expect(child.inputs).toMatchObject({
      operation: 'RECREATE',
      operation_params: { fence_compute: true },
    });
    const [recovered] = await members(id);
    expect(recovered.status).toBe('ACTIVE');
    expect(recovered.physical_id).toBeTruthy();
    expect(api.backend.listAllServers().map((s) => s.id)).toContain(recovered.physical_id);
    expect((await registration(id))?.enabled).toBe(true);
  });

  it('reboots a stopped server in place when the policy says REBOOT', async () => {
    const id = await cluster(1);
    await attached(
      id,
      healthSpec('1.2', ['NODE_STATUS_POLLING'], { actions: [{ name: 'REBOOT' }] }),
    );
    const [node] = await members(id);
    api.backend.setServerStatus(node.physical_id, 'SHUTOFF');
    await finished(await act(id, { check: {} }));
    expect((await members(id))[0].status).toBe('ERROR');
    const recover = await finished(await act(id, { recover: {} }));
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    const [recovered] = await members(id);
    expect(recovered).toMatchObject({ status: 'ACTIVE', physical_id: node.physical_id });
    const server = api.backend.listAllServers().find((s) => s.id === node.physical_id);
    expect(server?.status).toBe('ACTIVE');
  });

  it('keeps the operation a cluster recover request names', async () => {
    const id = await cluster(1);
    await attached(
      id,
      healthSpec('1.2', ['NODE_STATUS_POLLING'], { actions: [{ name: 'REBOOT' }] }),
    );
    const [node] = await members(id);
    api.backend.destroyServer(node.physical_id);
    await finished(await act(id, { check: {} }));
    const recover = await finished(await act(id, { recover: { operation: 'RECREATE' } }));
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    expect(recover.inputs.operation).toBe('RECREATE');
    expect((await members(id))[0].status).toBe('ACTIVE');
  });

  it('gives a node recover request without an operation the policy recovery', async () => {
    const id = await cluster(1);
    await attached(
      id,
      healthSpec('1.2', ['NODE_STATUS_POLLING'], { actions: [{ name: 'REBOOT' }] }),
    );
    const [node] = await members(id);
    api.backend.setServerStatus(node.physical_id, 'SHUTOFF');
    const recover = await finished(
      await api.call('POST', `/v1/nodes/${node.id}/actions`, { body: { recover: {} } }),
    );
    expect(recover.status, recover.status_reason).toBe('SUCCEEDED');
    expect(recover.inputs).toMatchObject({ operation: 'REBOOT' });
    const server = api.backend.listAllServers().find((s) => s.id === node.physical_id);
    expect(server?.status).toBe('ACTIVE');
    expect((await members(id))[0].physical_id).toBe(node.physical_id);
  });
});
