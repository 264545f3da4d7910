import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../src/drivers/types.js';
import { clusterStacks } from '../support/cloud-checks.js';
import { ACCOUNTS, labDrivers, uniqueName } from '../support/lab.js';
import { runCleanups, SenlinClient } from '../support/senlin.js';
import { heatSpec, RANDOM_TEMPLATE } from '../support/specs.js';

// A cluster of real Heat stacks: a template whose resource type comes from the environment and
// whose nested template comes from `files`; updated with new parameters, checked, a stack
// deleted behind senlin-ts's back recovered, and a node made from a `template_url`.
const api = new SenlinClient();
// the stacks are the demo project's: look at them as the demo user
const heat = labDrivers(ACCOUNTS.demo).orchestration;
const cleanups: (() => Promise<unknown>)[] = [];
let clusterId = '';
let server: Server;
let templateUrl = '';

const NESTED = {
  heat_template_version: '2018-08-31',
  parameters: { length: { type: 'number' } },
  resources: {
    random: { type: 'OS::Heat::RandomString', properties: { length: { get_param: 'length' } } },
  },
  outputs: { value: { value: { get_attr: ['random', 'value'] } } },
};

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  parameters: { length: { type: 'number', default: 8 } },
  resources: { secret: { type: 'Lab::Secret', properties: { length: { get_param: 'length' } } } },
  outputs: { secret: { value: { get_attr: ['secret', 'value'] } } },
};

function stackProps(parameters: Record<string, unknown>): Record<string, unknown> {
  return {
    template: TEMPLATE,
    files: { 'secret.yaml': JSON.stringify(NESTED) },
    environment: {
      resource_registry: { 'Lab::Secret': 'secret.yaml' },
      parameters: { length: 12 },
    },
    parameters,
    timeout: 10,
  };
}

function output(stack: Resource, key: string): string {
  const outputs = (stack.outputs as { output_key: string; output_value: unknown }[]) ?? [];
  return String(outputs.find((o) => o.output_key === key)?.output_value ?? '');
}

async function nodeStacks(): Promise<Resource[]> {
  const nodes = await api.clusterNodes(clusterId);
  return Promise.all(nodes.map((n) => heat.getStack(String(n.physical_id))));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(req.url === '/random.json' ? 200 : 404, { 'Content-Type': 'application/json' });
    res.end(req.url === '/random.json' ? JSON.stringify(RANDOM_TEMPLATE) : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  templateUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/random.json`;

  const profile = await api.createProfile(uniqueName('stack'), heatSpec(stackProps({})));
  cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
  const created = await api.createCluster({
    name: uniqueName('stacks'),
    profile_id: profile,
    desired_capacity: 2,
    min_size: 0,
    max_size: 4,
  });
  clusterId = created.id;
  cleanups.push(() => api.deleteCluster(clusterId));
  expect(created.action.status, created.action.status_reason).toBe('SUCCEEDED');
});

afterAll(async () => {
  await runCleanups(cleanups);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('a cluster of Heat stacks', () => {
  it('creates one stack per node from the template, files and environment', async () => {
    const stacks = await nodeStacks();
    expect(stacks).toHaveLength(2);
    for (const stack of stacks) {
      expect(stack.stack_status).toBe('CREATE_COMPLETE');
      expect(output(stack, 'secret')).toHaveLength(12);
      expect(stack.tags).toContain(`cluster_id=${clusterId}`);
    }
    expect(await clusterStacks(clusterId)).toHaveLength(2);
  });

  it('updates the stacks in place when the cluster gets a profile with new parameters', async () => {
    const before = (await nodeStacks()).map((s) => s.id).sort();
    const longer = await api.createProfile(
      uniqueName('stack20'),
      heatSpec(stackProps({ length: 20 })),
    );
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${longer}`));
    await api.actOk('PATCH', `/v1/clusters/${clusterId}`, { cluster: { profile_id: longer } });
    const stacks = await nodeStacks();
    expect(stacks.map((s) => s.id).sort()).toEqual(before);
    for (const stack of stacks) {
      expect(stack.stack_status).toBe('UPDATE_COMPLETE');
      expect(output(stack, 'secret')).toHaveLength(20);
    }
  });

  it('checks every stack in Heat on cluster check', async () => {
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, { check: {} });
    for (const stack of await nodeStacks()) expect(stack.stack_status).toBe('CHECK_COMPLETE');
  });

  it('recovers a stack deleted behind its back with a new one', async () => {
    const [victim] = await api.clusterNodes(clusterId);
    await heat.deleteStack(victim.physical_id);
    await heat.waitForStackDelete(victim.physical_id, { timeout: 120 });
    await api.act('POST', `/v1/clusters/${clusterId}/actions`, { check: {} });
    expect((await api.node(victim.id)).status).toBe('ERROR');
    await api.actOk('POST', `/v1/clusters/${clusterId}/actions`, {
      recover: { operation: 'RECREATE' },
    });
    const node = await api.node(victim.id);
    expect(node.status).toBe('ACTIVE');
    expect(node.physical_id).not.toBe(victim.physical_id);
    const stack = await heat.getStack(node.physical_id);
    expect(stack.stack_status).toBe('CREATE_COMPLETE');
    expect(output(stack, 'secret')).toHaveLength(20);
  });

  it('makes a node from a template_url that Heat fetches', async () => {
    const profile = await api.createProfile(
      uniqueName('stack-url'),
      heatSpec({ template_url: templateUrl, parameters: { length: 5 } }),
    );
    cleanups.push(() => api.request('DELETE', `/v1/profiles/${profile}`));
    const answer = await api.expect(202, 'POST', '/v1/nodes', {
      node: { name: uniqueName('url-node'), profile_id: profile },
    });
    const nodeId = answer.body.node.id as string;
    cleanups.push(() => api.request('DELETE', `/v1/nodes/${nodeId}`));
    const location = answer.headers.get('location') ?? '';
    const action = await api.waitAction(location.split('/actions/')[1] ?? '');
    expect(action.status, action.status_reason).toBe('SUCCEEDED');
    const node = await api.node(nodeId);
    const stack = await heat.getStack(node.physical_id);
    expect(stack.stack_status).toBe('CREATE_COMPLETE');
    expect(output(stack, 'secret')).toHaveLength(5);
    await api.actOk('DELETE', `/v1/nodes/${nodeId}`);
    expect(await heat.findStack(node.physical_id)).toBeNull();
  });

  it('leaves no stack in Heat once the cluster is deleted', async () => {
    expect(await api.deleteCluster(clusterId)).toBe(true);
    expect(await clusterStacks(clusterId)).toEqual([]);
  });
});
