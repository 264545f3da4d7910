import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeCloud, type FakeCloud } from '../../src/drivers/fake/index.js';
import {
  type CloudDrivers,
  CloudError,
  CloudNotFound,
  CloudWaitFailed,
  type Resource,
} from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
const wait = { timeout: 5 };
let cloud: FakeCloud;
let d: CloudDrivers;

beforeEach(() => {
  cloud = createFakeCloud();
  d = cloud.drivers(creds);
});
afterEach(() => cloud.close());

const template = {
  heat_template_version: '2016-10-14',
  description: 'A server',
  parameters: { flavor: { type: 'string', default: 'm1.tiny' }, size: { type: 'number' } },
  resources: {
    server: { type: 'OS::Nova::Server', properties: { flavor: { get_param: 'flavor' } } },
    volume: { type: 'OS::Cinder::Volume', properties: { size: { get_param: 'size' } } },
  },
  outputs: {
    fixed_ip: { value: { get_attr: ['server', 'first_address'] } },
    flavor: { value: { get_param: 'flavor' } },
    volume_id: { value: { get_resource: 'volume' } },
    label: { value: { list_join: ['-', [{ get_param: 'flavor' }, 'x']] } },
  },
};

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

function outputs(stack: Resource): Record<string, unknown> {
  const list = stack.outputs as { output_key: string; output_value: unknown }[];
  return Object.fromEntries(list.map((o) => [o.output_key, o.output_value]));
}

async function stack(extra: Record<string, unknown> = {}): Promise<Resource> {
  return d.orchestration.createStack({
    stack_name: 'stack1',
    template,
    parameters: { size: 1 },
    ...extra,
  });
}

describe('fake Heat stack creation', () => {
  it('goes from CREATE_IN_PROGRESS to CREATE_COMPLETE', async () => {
    const created = await stack({ tags: 'cluster_id=c1,cluster_node_id=n1' });
    expect(created.stack_status).toBe('CREATE_IN_PROGRESS');
    const done = await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    expect(done).toMatchObject({
      stack_name: 'stack1',
      tags: ['cluster_id=c1', 'cluster_node_id=n1'],
      project: 'project-1',
      description: 'A server',
    });
  });

  it('evaluates outputs from parameters, resources and attributes', async () => {
    const created = await stack();
    const values = outputs(await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait));
    expect(values.flavor).toBe('m1.tiny');
    expect(values.fixed_ip).toMatch(/^10\.0\.\d+\.\d+$/);
    expect(values.volume_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(values.label).toBe('m1.tiny-x');
  });

  it('shows the parameters with the pseudo parameters', async () => {
    const created = await stack({ parameters: { size: 3, flavor: 'm1.small' } });
    expect(created.parameters).toMatchObject({
      size: '3',
      flavor: 'm1.small',
      'OS::stack_id': created.id,
      'OS::stack_name': 'stack1',
    });
  });

  it('keeps template, environment and files', async () => {
    const created = await stack({
      environment: { parameter_defaults: { a: 1 } },
      files: { 'file.yaml': 'x: 1' },
    });
    expect(await d.orchestration.getStackTemplate(created.id)).toEqual(template);
    expect(await d.orchestration.getStackEnvironment(created.id)).toMatchObject({
      parameter_defaults: { a: 1 },
    });
    expect(await d.orchestration.getStackFiles(created.id)).toEqual({ 'file.yaml': 'x: 1' });
  });

  it('takes parameters from the environment', async () => {
    const created = await stack({ parameters: {}, environment: { parameters: { size: 5 } } });
    expect((created.parameters as Record<string, string>).size).toBe('5');
  });

  const refusals: [string, Record<string, unknown>, number][] = [
    ['a template without version', { template: { resources: {} } }, 400],
    ['an undeclared parameter', { parameters: { size: 1, colour: 'red' } }, 400],
    ['a missing parameter', { parameters: {} }, 400],
    ['an invalid stack name', { stack_name: '1-bad name' }, 400],
    ['a request without template', { template: undefined }, 400],
  ];
  for (const [what, extra, status] of refusals) {
    it(`refuses ${what}`, async () => {
      expect(statusOf(await stack(extra).catch((e: unknown) => e))).toBe(status);
    });
  }

  it('refuses a second stack with the same name in the project', async () => {
    await stack();
    expect(statusOf(await stack().catch((e: unknown) => e))).toBe(409);
    const other = cloud.drivers({ userId: 'u2', projectId: 'project-2' });
    await expect(
      other.orchestration.createStack({ stack_name: 'stack1', template, parameters: { size: 1 } }),
    ).resolves.toMatchObject({ stack_name: 'stack1' });
  });

  it('accepts a template URL without a template', async () => {
    const created = await d.orchestration.createStack({
      stack_name: 'byurl',
      template_url: 'http://example.com/t.yaml',
    });
    await expect(
      d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait),
    ).resolves.toBeTruthy();
  });

  it('previews a stack without creating it', async () => {
    const preview = await d.orchestration.createStack(
      { stack_name: 'preview', template, parameters: { size: 1 } },
      { preview: true },
    );
    expect((preview.resources as { resource_name: string }[]).map((r) => r.resource_name)).toEqual([
      'server',
      'volume',
    ]);
    expect(await d.orchestration.findStack('preview')).toBeNull();
  });

  it('checks the template when previewing', async () => {
    const error = await d.orchestration
      .createStack({ stack_name: 'p', template: { resources: {} } }, { preview: true })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });
});

describe('fake Heat stack operations', () => {
  it('finds a stack by name and by id', async () => {
    const created = await stack();
    expect((await d.orchestration.findStack('stack1'))?.id).toBe(created.id);
    expect((await d.orchestration.findStack(created.id))?.stack_name).toBe('stack1');
    expect(await d.orchestration.findStack('other')).toBeNull();
  });

  it('updates a stack, merging the parameters', async () => {
    const created = await stack();
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    await d.orchestration.updateStack(created.id, { parameters: { flavor: 'm1.large' } });
    const updated = await d.orchestration.waitForStack(created.id, 'UPDATE_COMPLETE', wait);
    expect(outputs(updated).flavor).toBe('m1.large');
    expect((updated.parameters as Record<string, string>).size).toBe('1');
    expect(updated.updated_time).toEqual(expect.any(String));
  });

  it('keeps the address of a resource across an update', async () => {
    const created = await stack();
    const before = outputs(await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait));
    await d.orchestration.updateStack(created.id, { tags: 'a=b' });
    const after = outputs(await d.orchestration.waitForStack(created.id, 'UPDATE_COMPLETE', wait));
    expect(after.fixed_ip).toBe(before.fixed_ip);
    expect((await d.orchestration.getStack(created.id)).tags).toEqual(['a=b']);
  });

  it('refuses an update while an action is in progress', async () => {
    cloud.defaultDelay = 0.5;
    const created = await stack();
    const error = await d.orchestration.updateStack(created.id, {}).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(409);
    expect(String(error)).toContain('already has an action (CREATE) in progress');
  });

  it('checks a stack', async () => {
    const created = await stack();
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    await d.orchestration.checkStack(created.id);
    const checked = await d.orchestration.waitForStack(created.id, 'CHECK_COMPLETE', wait);
    expect(checked.stack_status_reason).toBe('Stack CHECK completed successfully');
  });

  it('deletes a stack', async () => {
    const created = await stack();
    await d.orchestration.deleteStack(created.id);
    await d.orchestration.waitForStackDelete(created.id, wait);
    await expect(d.orchestration.getStack(created.id)).rejects.toBeInstanceOf(CloudNotFound);
    await expect(d.orchestration.deleteStack(created.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('shows DELETE_IN_PROGRESS while a delete takes time', async () => {
    const created = await stack();
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    cloud.defaultDelay = 0.1;
    await d.orchestration.deleteStack(created.id);
    expect((await d.orchestration.getStack(created.id)).stack_status).toBe('DELETE_IN_PROGRESS');
    await d.orchestration.waitForStackDelete(created.id, wait);
  });

  it('abandons a stack and returns its data', async () => {
    const created = await stack();
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    const data = await d.orchestration.abandonStack(created.id);
    expect(data).toMatchObject({
      id: created.id,
      name: 'stack1',
      action: 'CREATE',
      status: 'COMPLETE',
    });
    expect(Object.keys(data.resources as object)).toEqual(['server', 'volume']);
    expect(await d.orchestration.findStack(created.id)).toBeNull();
  });

  it('waits a simulated_wait_time given as parameter', async () => {
    const created = await stack({ parameters: { size: 1, simulated_wait_time: 0.15 } });
    const started = Date.now();
    expect((await d.orchestration.getStack(created.id)).stack_status).toBe('CREATE_IN_PROGRESS');
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});

describe('fake Heat failures', () => {
  it('fails the creation named in the simulated_fail parameter', async () => {
    const created = await stack({ parameters: { size: 1, simulated_fail: 'create' } });
    const error = await d.orchestration
      .waitForStack(created.id, 'CREATE_COMPLETE', wait)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudWaitFailed);
    expect(String(error)).toContain('CREATE_FAILED');
  });

  it('fails the deletion named in a simulated_fail tag', async () => {
    const created = await stack({ tags: 'simulated_fail=delete' });
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    await d.orchestration.deleteStack(created.id);
    await expect(d.orchestration.waitForStackDelete(created.id, wait)).rejects.toBeInstanceOf(
      CloudWaitFailed,
    );
    expect((await d.orchestration.getStack(created.id)).stack_status).toBe('DELETE_FAILED');
  });

  it('fails updates and checks when asked', async () => {
    const created = await stack({ parameters: { size: 1, simulated_fail: 'update,check' } });
    await d.orchestration.waitForStack(created.id, 'CREATE_COMPLETE', wait);
    await d.orchestration.checkStack(created.id);
    await expect(
      d.orchestration.waitForStack(created.id, 'CHECK_COMPLETE', wait),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
    await d.orchestration.updateStack(created.id, {});
    await expect(
      d.orchestration.waitForStack(created.id, 'UPDATE_COMPLETE', wait),
    ).rejects.toBeInstanceOf(CloudWaitFailed);
  });

  it('fails a preview with simulated_fail preview', async () => {
    const error = await d.orchestration
      .createStack(
        { stack_name: 'p', template, parameters: { size: 1, simulated_fail: 'preview' } },
        { preview: true },
      )
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('marks a stack broken by a test', async () => {
    const created = await stack();
    cloud.setStackStatus(created.id, 'CHECK_FAILED', 'resource gone');
    expect(await d.orchestration.getStack(created.id)).toMatchObject({
      stack_status: 'CHECK_FAILED',
      stack_status_reason: 'resource gone',
    });
    expect(cloud.listAllStacks()).toHaveLength(1);
  });
});
