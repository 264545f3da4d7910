/** The Heat part of the driver contract: a stack's life, its parts, and Heat's refusals. */
import { afterEach, expect, it } from 'vitest';
import { CloudError, CloudNotFound } from '../../src/drivers/types.js';
import { type ServicesTargetRef, serviceName } from './services-target.js';
import { Cleanup } from './target.js';

const TEMPLATE = {
  heat_template_version: '2018-08-31',
  description: 'contract stack',
  parameters: { length: { type: 'number', default: 8 } },
  resources: {
    secret: { type: 'OS::Heat::RandomString', properties: { length: { get_param: 'length' } } },
    nothing: { type: 'OS::Heat::None' },
  },
};

const FILES = { 'notes.txt': 'carried along with the stack' };

/** Registers the Heat scenarios. */
export function orchestrationScenarios(target: ServicesTargetRef): void {
  let cleanup = new Cleanup();
  afterEach(async () => {
    const failures = await cleanup.run();
    cleanup = new Cleanup();
    expect(failures).toEqual([]);
  });

  it('previews a stack without making it', async () => {
    const t = target();
    const name = serviceName(t, 'preview');
    const preview = await t.drivers.orchestration.createStack(
      { stack_name: name, template: TEMPLATE, parameters: { length: 4 } },
      { preview: true },
    );
    expect(preview.stack_name).toBe(name);
    const types = (preview.resources as { resource_type: string }[]).map((r) => r.resource_type);
    expect(types.sort()).toEqual(['OS::Heat::None', 'OS::Heat::RandomString']);
    expect(await t.drivers.orchestration.findStack(name)).toBeNull();
  });

  it('creates, reads, updates, checks and deletes a stack', async () => {
    const t = target();
    const heat = t.drivers.orchestration;
    const name = serviceName(t, 'stack');
    const made = await heat.createStack({
      stack_name: name,
      template: TEMPLATE,
      parameters: { length: 12 },
      files: FILES,
      environment: { parameter_defaults: {} },
      tags: ['contract', 'first'],
      timeout_mins: 10,
    });
    cleanup.add(async () => {
      await heat.deleteStack(made.id);
      await heat.waitForStackDelete(made.id, t.wait);
    });
    const ready = await heat.waitForStack(made.id, 'CREATE_COMPLETE', t.wait);
    expect([ready.id, ready.stack_name, ready.stack_status]).toEqual([
      made.id,
      name,
      'CREATE_COMPLETE',
    ]);
    expect(ready.tags).toEqual(['contract', 'first']);
    expect((ready.parameters as Record<string, string>).length).toBe('12');
    expect((await heat.findStack(name))?.id).toBe(made.id);
    expect((await heat.findStack(made.id))?.stack_name).toBe(name);

    expect((await heat.getStackTemplate(made.id)).heat_template_version).toBe('2018-08-31');
    expect(await heat.getStackFiles(made.id)).toEqual(FILES);
    expect(await heat.getStackEnvironment(made.id)).toHaveProperty('parameter_defaults');

    await heat.updateStack(made.id, { parameters: { length: 20 }, tags: 'contract,second' });
    const updated = await heat.waitForStack(made.id, 'UPDATE_COMPLETE', t.wait);
    expect((updated.parameters as Record<string, string>).length).toBe('20');
    expect(updated.tags).toEqual(['contract', 'second']);
    expect(await heat.getStackFiles(made.id)).toEqual(FILES);

    await heat.checkStack(made.id);
    expect((await heat.waitForStack(made.id, 'CHECK_COMPLETE', t.wait)).stack_status).toBe(
      'CHECK_COMPLETE',
    );

    await heat.deleteStack(made.id);
    await heat.waitForStackDelete(made.id, t.wait);
    expect(await heat.findStack(made.id)).toBeNull();
    await expect(heat.getStack(made.id)).rejects.toBeInstanceOf(CloudNotFound);
    await expect(heat.checkStack(made.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('abandons a stack, which Heat then no longer shows', async () => {
    const t = target();
    const heat = t.drivers.orchestration;
    const name = serviceName(t, 'abandon');
    const made = await heat.createStack({ stack_name: name, template: TEMPLATE });
    cleanup.add(async () => {
      await heat.deleteStack(made.id);
      await heat.waitForStackDelete(made.id, t.wait);
    });
    await heat.waitForStack(made.id, 'CREATE_COMPLETE', t.wait);
    const data = await heat.abandonStack(made.id);
    expect(data.name).toBe(name);
    expect(Object.keys(data.resources as Record<string, unknown>).sort()).toEqual([
      'nothing',
      'secret',
    ]);
    expect(await heat.findStack(name)).toBeNull();
  });

  it('refuses a template that lacks a parameter value, and a stack name twice', async () => {
    const t = target();
    const heat = t.drivers.orchestration;
    const needy = { ...TEMPLATE, parameters: { length: { type: 'number' } } };
    const refused = await heat
      .createStack({ stack_name: serviceName(t, 'needy'), template: needy })
      .then(() => null)
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CloudError);
    expect((refused as CloudError).status).toBe(400);
    expect((refused as CloudError).message).toMatch(/length/);

    const name = serviceName(t, 'twice');
    const made = await heat.createStack({ stack_name: name, template: TEMPLATE });
    cleanup.add(async () => {
      await heat.deleteStack(made.id);
      await heat.waitForStackDelete(made.id, t.wait);
    });
    const again = await heat
      .createStack({ stack_name: name, template: TEMPLATE })
      .then(() => null)
      .catch((err: unknown) => err);
    expect((again as CloudError).status).toBe(409);
  });

  it('does not find a stack that never existed', async () => {
    const t = target();
    expect(await t.drivers.orchestration.findStack(serviceName(t, 'nothing'))).toBeNull();
    await expect(
      t.drivers.orchestration.getStack('00000000-0000-4000-8000-000000000000'),
    ).rejects.toBeInstanceOf(CloudNotFound);
  });
}
