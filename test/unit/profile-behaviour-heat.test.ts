import { afterEach, describe, expect, it } from 'vitest';
import {
  EResourceCreation,
  EResourceDeletion,
  EResourceOperation,
  EResourceUpdate,
  InvalidSpec,
} from '../../src/common/errors.js';
import type { NodeView, ProfileView } from '../../src/engine/contracts.js';
import { heatStackBehaviour as heat } from '../../src/profiles/index.js';
import {
  makeNode,
  makeProfile,
  makeRig,
  type Rig,
  rejectionOf,
} from './profile-behaviour-context.js';

let rig: Rig;
afterEach(async () => {
  await rig.cloud.close();
});

const template = {
  heat_template_version: '2016-10-14',
  parameters: { size: { type: 'number', default: 1 } },
  resources: { port: { type: 'OS::Neutron::Port', properties: { network: 'private' } } },
  outputs: { fixed_ip: { value: { get_attr: ['port', 'fixed_ip'] } } },
};

const stackProfile = (props: Record<string, unknown> = {}): ProfileView =>
  makeProfile('os.heat.stack', { template, ...props });

async function created(
  profile: ProfileView = stackProfile(),
  overrides: Partial<NodeView> = {},
): Promise<NodeView> {
  const node = makeNode(overrides);
  const physicalId = await heat.create(node, profile, rig.ctx);
  return { ...node, physicalId };
}

const stack = (node: NodeView) => rig.ctx.drivers.orchestration.getStack(node.physicalId ?? '');

function spy(call: string): unknown[][] {
  const calls: unknown[][] = [];
  rig.cloud.faults.add({
    service: 'orchestration',
    call,
    match: (args) => {
      calls.push([...args]);
      return false;
    },
  });
  return calls;
}

describe('heat stack create and delete', () => {
  it('creates a complete stack named after the node and tagged with it', async () => {
    rig = makeRig();
    const node = await created(stackProfile(), { name: 'web', clusterId: 'c1', index: 2 });
    const s = await stack(node);
    expect(s.stack_status).toBe('CREATE_COMPLETE');
    expect(String(s.stack_name)).toMatch(/^web-[A-Za-z][A-Za-z0-9]{7}$/);
    expect(s.tags).toEqual([`cluster_node_id=${node.id}`, 'cluster_id=c1', 'cluster_node_index=2']);
  });

  it('sends the spec fields and the timeout in minutes', async () => {
    rig = makeRig();
    const calls = spy('createStack');
    await created(stackProfile({ timeout: 7, parameters: { size: 3 }, disable_rollback: false }));
    expect(calls[0]?.[0]).toMatchObject({
      template,
      timeout_mins: 7,
      parameters: { size: 3 },
      disable_rollback: false,
      files: {},
      environment: {},
    });
  });

  it('waits with the stack timeout in seconds, or the action timeout', async () => {
    rig = makeRig();
    const waits = spy('waitForStack');
    await created(stackProfile({ timeout: 2 }));
    await created(stackProfile());
    expect(waits.map((w) => (w[2] as { timeout: number }).timeout)).toEqual([120, 5]);
  });

  it('fails with EResourceCreation naming the stack when it fails to create', async () => {
    rig = makeRig();
    const err = (await rejectionOf(
      created(stackProfile({ parameters: { size: 1, simulated_fail: 'create' } })),
    )) as EResourceCreation;
    expect(err).toBeInstanceOf(EResourceCreation);
    expect(err.resourceId).toBe(rig.cloud.listAllStacks()[0]?.id);
  });

  it('deletes the stack and accepts one that is already gone', async () => {
    rig = makeRig();
    const node = await created();
    await heat.delete(node, stackProfile(), rig.ctx);
    expect(rig.cloud.listAllStacks()).toHaveLength(0);
    await expect(heat.delete(node, stackProfile(), rig.ctx)).resolves.toBeUndefined();
  });

  it('raises EResourceDeletion when the delete fails', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.faults.add({ service: 'orchestration', call: 'deleteStack' });
    expect(await rejectionOf(heat.delete(node, stackProfile(), rig.ctx))).toBeInstanceOf(
      EResourceDeletion,
    );
  });

  it('raises the abort reason when the signal aborts the wait', async () => {
    rig = makeRig();
    rig.cloud.defaultDelay = 60;
    const reason = new Error('cancelled');
    const pending = heat.create(makeNode(), stackProfile(), rig.ctx);
    setTimeout(() => rig.controller.abort(reason), 20);
    expect(await rejectionOf(pending)).toBe(reason);
  });
});

describe('heat stack update, check and operations', () => {
  it('sends only the changed fields', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('updateStack');
    const next = stackProfile({ parameters: { size: 2 } });
    expect(await heat.update(node, stackProfile(), next, rig.ctx, {})).toBe(true);
    expect(calls).toEqual([[node.physicalId, { parameters: { size: 2 } }]]);
    expect((await stack(node)).stack_status).toBe('UPDATE_COMPLETE');
  });

  it('sends a new template URL', async () => {
    rig = makeRig();
    const current = makeProfile('os.heat.stack', { template_url: 'http://a/t.yaml' });
    const node = await created(current);
    const calls = spy('updateStack');
    const next = makeProfile('os.heat.stack', { template_url: 'http://b/t.yaml' });
    await heat.update(node, current, next, rig.ctx, {});
    expect(calls[0]?.[1]).toEqual({ template_url: 'http://b/t.yaml' });
  });

  it('does nothing when nothing changed', async () => {
    rig = makeRig();
    const node = await created();
    const calls = spy('updateStack');
    expect(await heat.update(node, stackProfile(), stackProfile(), rig.ctx, {})).toBe(true);
    expect(calls).toHaveLength(0);
  });

  it('returns false for a node without a stack or a context change', async () => {
    rig = makeRig();
    const next = stackProfile({ context: { region_name: 'RegionTwo' } });
    expect(await heat.update(makeNode(), stackProfile(), next, rig.ctx, {})).toBe(false);
    const node = await created();
    expect(await heat.update(node, stackProfile(), next, rig.ctx, {})).toBe(false);
  });

  it('raises EResourceUpdate when the update fails', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.faults.add({ service: 'orchestration', call: 'updateStack' });
    const err = await rejectionOf(
      heat.update(node, stackProfile(), stackProfile({ parameters: { size: 5 } }), rig.ctx, {}),
    );
    expect(err).toBeInstanceOf(EResourceUpdate);
  });

  it('checks the stack and waits for CHECK_COMPLETE', async () => {
    rig = makeRig();
    const node = await created();
    expect(await heat.check(node, stackProfile(), rig.ctx)).toBe(true);
    expect((await stack(node)).stack_status).toBe('CHECK_COMPLETE');
    expect(await heat.check(makeNode(), stackProfile(), rig.ctx)).toBe(false);
  });

  it('reports a failed check as EResourceOperation', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.faults.add({ service: 'orchestration', call: 'checkStack' });
    expect(await rejectionOf(heat.check(node, stackProfile(), rig.ctx))).toBeInstanceOf(
      EResourceOperation,
    );
  });

  it('abandons the stack', async () => {
    rig = makeRig();
    const node = await created();
    await heat.operation(node, stackProfile(), rig.ctx, 'abandon', {});
    expect(rig.cloud.listAllStacks()).toHaveLength(0);
  });

  it('recreates the stack when recovered without an operation', async () => {
    rig = makeRig();
    const node = await created();
    const result = await heat.recover(node, stackProfile(), rig.ctx, {});
    expect(result.ok).toBe(true);
    expect(rig.cloud.listAllStacks().map((s) => s.id)).toEqual([result.physicalId]);
  });

  it('does not support other recovery operations', async () => {
    rig = makeRig();
    const node = await created();
    expect(await heat.recover(node, stackProfile(), rig.ctx, { operation: 'REBOOT' })).toEqual({
      physicalId: node.physicalId,
      ok: false,
    });
  });
});

describe('heat stack details, adopt, join, leave and validation', () => {
  it('details are the stack, or an error', async () => {
    rig = makeRig();
    const node = await created();
    expect(await heat.details(node, stackProfile(), rig.ctx)).toMatchObject({
      id: node.physicalId,
      stack_status: 'CREATE_COMPLETE',
    });
    await heat.delete(node, stackProfile(), rig.ctx);
    expect(await heat.details(node, stackProfile(), rig.ctx)).toHaveProperty('Error.code', 404);
  });

  it('adopt builds a spec without the pseudo parameters', async () => {
    rig = makeRig();
    const node = await created(stackProfile({ parameters: { size: 4 }, timeout: 9 }));
    const spec = await heat.adopt(node.physicalId ?? '', rig.ctx, {
      overrides: { files: { a: 'b' } },
    });
    expect(spec).toMatchObject({ template, timeout: 9, disable_rollback: true, files: { a: 'b' } });
    expect(Object.keys(spec.parameters as object)).toEqual(['size']);
  });

  it('join adds the cluster tags and leave strips them, keeping other tags', async () => {
    rig = makeRig();
    const node = await created();
    await rig.ctx.drivers.orchestration.waitForStack(node.physicalId ?? '', 'CREATE_COMPLETE', {
      timeout: 5,
    });
    expect(await heat.join({ ...node, index: 6 }, stackProfile(), rig.ctx, 'c7')).toBe(true);
    expect((await stack(node)).tags).toEqual([
      'cluster_id=c7',
      `cluster_node_id=${node.id}`,
      'cluster_node_index=6',
    ]);
    await rig.ctx.drivers.orchestration.waitForStack(node.physicalId ?? '', 'UPDATE_COMPLETE', {
      timeout: 5,
    });
    expect(await heat.leave(node, stackProfile(), rig.ctx)).toBe(true);
    expect((await stack(node)).tags ?? []).toEqual([]);
  });

  it('join returns false when the stack cannot be read', async () => {
    rig = makeRig();
    const node = await created();
    rig.cloud.faults.add({ service: 'orchestration', call: 'getStack' });
    expect(await heat.join(node, stackProfile(), rig.ctx, 'c1')).toBe(false);
  });

  it('validation previews the stack and reports failures as InvalidSpec', async () => {
    rig = makeRig();
    await expect(
      heat.validateWithCloud?.(stackProfile().properties, rig.ctx),
    ).resolves.toBeUndefined();
    const bad = stackProfile({ parameters: { colour: 'red' } });
    const err = await rejectionOf(
      heat.validateWithCloud?.(bad.properties, rig.ctx) ?? Promise.resolve(),
    );
    expect(err).toBeInstanceOf(InvalidSpec);
    expect(err.message).toContain('Failed in validating template:');
  });
});
