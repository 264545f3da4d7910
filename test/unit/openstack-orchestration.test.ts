import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrchestrationDriver } from '../../src/drivers/openstack/orchestration.js';
import { stackFailureStatuses } from '../../src/drivers/openstack/orchestration-body.js';
import {
  CloudNotFound,
  CloudWaitFailed,
  type OrchestrationDriver,
} from '../../src/drivers/types.js';
import type { OpenStackStub } from '../support/openstack-stub.js';
import { FAST_OPTIONS, servicesStub } from './openstack-services-stub.js';

const BASE = '/heat/v1/p-1';
let stub: OpenStackStub;
let heat: OrchestrationDriver;

function stack(status: string, extra: Record<string, unknown> = {}) {
  return { stack: { id: 's-1', stack_name: 'web', stack_status: status, ...extra } };
}

beforeEach(async () => {
  const made = await servicesStub();
  stub = made.stub;
  heat = createOrchestrationDriver(made.session, FAST_OPTIONS);
});

afterEach(async () => {
  await stub.close();
});

describe('the Heat driver', () => {
  it('creates a stack with tags as one string and timeout as timeout_mins, leaving nulls out', async () => {
    stub.on('POST', `${BASE}/stacks`, { status: 201, body: { stack: { id: 's-1', links: [] } } });
    stub.on('GET', `${BASE}/stacks/s-1`, { body: stack('CREATE_IN_PROGRESS') });
    const made = await heat.createStack({
      stack_name: 'web',
      template: { heat_template_version: '2018-08-31' },
      tags: ['a', 'b'],
      timeout: 7,
      environment: null,
    });
    expect(made).toMatchObject({ id: 's-1', stack_status: 'CREATE_IN_PROGRESS' });
    const [post] = stub.calls(`${BASE}/stacks`, 'POST');
    expect(post?.body).toEqual({
      stack_name: 'web',
      template: { heat_template_version: '2018-08-31' },
      tags: 'a,b',
      timeout_mins: 7,
    });
  });

  it('previews through /stacks/preview without making anything', async () => {
    stub.on('POST', `${BASE}/stacks/preview`, {
      body: { stack: { stack_name: 'web', resources: [] } },
    });
    const preview = await heat.createStack({ stack_name: 'web', template: {} }, { preview: true });
    expect(preview).toMatchObject({ id: 'None', stack_name: 'web' });
    expect(stub.calls(`${BASE}/stacks`, 'POST')).toEqual([]);
  });

  it('updates with a PATCH on name/id that keeps the name out of the body', async () => {
    stub.on('GET', `${BASE}/stacks/s-1`, { body: stack('CREATE_COMPLETE') });
    stub.on('PATCH', `${BASE}/stacks/web/s-1`, { status: 202, body: null });
    await heat.updateStack('s-1', { stack_name: 'other', parameters: { n: 2 } });
    const [patch] = stub.calls(`${BASE}/stacks/web/s-1`, 'PATCH');
    expect(patch?.body).toEqual({ parameters: { n: 2 } });
  });

  it('does not find a stack Heat shows as deleted', async () => {
    stub.on('GET', `${BASE}/stacks/s-1`, {
      body: stack('DELETE_COMPLETE', { deletion_time: '2026-01-01T00:00:00Z' }),
    });
    await expect(heat.getStack('s-1')).rejects.toBeInstanceOf(CloudNotFound);
    expect(await heat.findStack('s-1')).toBeNull();
    await expect(heat.checkStack('s-1')).rejects.toBeInstanceOf(CloudNotFound);
    await heat.waitForStackDelete('s-1', { timeout: 1 });
  });

  it('fails a wait with the reason Heat gives for a failed update', async () => {
    stub.on('GET', `${BASE}/stacks/s-1`, {
      body: stack('UPDATE_FAILED', { stack_status_reason: 'Quota exceeded for instances' }),
    });
    const failure = heat.waitForStack('s-1', 'UPDATE_COMPLETE', { timeout: 1 });
    await expect(failure).rejects.toBeInstanceOf(CloudWaitFailed);
    await expect(failure).rejects.toThrow(/UPDATE_FAILED: Quota exceeded for instances/);
  });
});

describe('the failure statuses of a stack wait', () => {
  it('end a create or update on its failure and on the rollback outcome', () => {
    expect(stackFailureStatuses('UPDATE_COMPLETE').sort()).toEqual([
      'ROLLBACK_COMPLETE',
      'ROLLBACK_FAILED',
      'UPDATE_FAILED',
    ]);
  });

  it('leave out failures of other actions and keep the caller’s', () => {
    expect(stackFailureStatuses('CHECK_COMPLETE', ['CHECK_FAILED', 'SUSPEND_FAILED'])).toEqual([
      'CHECK_FAILED',
      'SUSPEND_FAILED',
    ]);
  });
});
