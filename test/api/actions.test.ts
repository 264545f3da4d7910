import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import type { ActionRecord } from '../../src/db/queries/actions.js';
import { getAction, insertActions } from '../../src/db/queries/actions.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import type { Caller } from './harness.js';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();

const profileId = newId();
await insertProfile(api.db.kysely, {
  id: profileId,
  name: 'p-actions',
  type: 'os.nova.server-1.0',
  context: {},
  spec: NOVA_SPEC,
  user: 'demo-user',
  project: 'demo',
  domain: null,
  metadata: {},
  createdAt: new Date(),
  updatedAt: null,
});

async function makeCluster(name: string, as: Caller = DEMO): Promise<string> {
  const id = newId();
  await insertCluster(api.db.kysely, {
    id,
    name,
    profileId,
    user: as.user ?? '',
    project: as.project ?? '',
    domain: null,
    parent: null,
    initAt: new Date(),
    createdAt: null,
    updatedAt: null,
    minSize: 0,
    maxSize: -1,
    desiredCapacity: 0,
    nextIndex: 1,
    timeout: 3600,
    status: 'ACTIVE',
    statusReason: '',
    metadata: {},
    data: {},
    dependents: {},
    config: {},
  });
  return id;
}

let clock = Date.UTC(2026, 0, 1);

/** Stores an action directly (as the engine would have). */
async function makeAction(values: Partial<ActionRecord> = {}, as: Caller = DEMO) {
  clock += 1000;
  const id = newId();
  const action: ActionRecord = {
    id,
    name: `a-${id.slice(0, 8)}`,
    clusterId: '',
    context: {
      user_id: as.user ?? null,
      project_id: as.project ?? null,
      domain_id: null,
      is_admin: false,
      request_id: null,
      trusts: null,
    },
    target: newId(),
    action: 'CLUSTER_SCALE_OUT',
    cause: 'RPC Request',
    owner: null,
    interval: -1,
    startTime: null,
    endTime: null,
    timeout: 3600,
    control: null,
    status: 'READY',
    statusReason: '',
    inputs: {},
    outputs: {},
    data: {},
    createdAt: new Date(clock),
    updatedAt: null,
    user: as.user ?? null,
    project: as.project ?? null,
    domain: null,
    ...values,
  };
  await insertActions(api.db.kysely, [action]);
  return action;
}

const ACTION_KEYS = [
  'action',
  'cause',
  'created_at',
  'data',
  'depended_by',
  'depends_on',
  'end_time',
  'id',
  'inputs',
  'interval',
  'name',
  'outputs',
  'owner',
  'project',
  'start_time',
  'status',
  'status_reason',
  'target',
  'timeout',
  'updated_at',
  'user',
];

const clusterA = await makeCluster('actions-a');
const clusterB = await makeCluster('actions-b');
const succeeded = await makeAction({
  clusterId: clusterA,
  target: clusterA,
  action: 'CLUSTER_CREATE',
  name: 'cluster_create_a',
  status: 'SUCCEEDED',
  startTime: 1767225600.25,
  endTime: 1767225610.5,
});
const ready = await makeAction({ clusterId: clusterB, target: clusterB, name: 'scale_b' });

describe('action show', () => {
  it('shows the upstream keys, with cluster_id only from 1.14', async () => {
    const old = await api.call('GET', `/v1/actions/${succeeded.id}`, { version: '1.13' });
    expect(old.statusCode).toBe(200);
    expect(Object.keys(old.data.action).sort()).toEqual(ACTION_KEYS);
    const recent = await api.call('GET', `/v1/actions/${succeeded.id}`, { version: '1.14' });
    expect(Object.keys(recent.data.action).sort()).toEqual([...ACTION_KEYS, 'cluster_id'].sort());
    expect(recent.data.action.cluster_id).toBe(clusterA);
  });

  it('reports start and end times as epoch seconds', async () => {
    const res = await api.call('GET', `/v1/actions/${succeeded.id}`);
    expect(res.data.action).toMatchObject({
      start_time: 1767225600.25,
      end_time: 1767225610.5,
      interval: -1,
      cause: 'RPC Request',
      user: 'demo-user',
      project: 'demo',
    });
    expect(res.data.action.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('lists dependencies both ways from the dependency table', async () => {
    const parent = await makeAction({ name: 'parent' });
    const child = await makeAction({ name: 'child' });
    await api.db.kysely
      .insertInto('dependency')
      .values({ id: newId(), depended: child.id, dependent: parent.id })
      .execute();
    const p = await api.call('GET', `/v1/actions/${parent.id}`);
    expect(p.data.action).toMatchObject({ depends_on: [child.id], depended_by: [] });
    const c = await api.call('GET', `/v1/actions/${child.id}`);
    expect(c.data.action).toMatchObject({ depends_on: [], depended_by: [parent.id] });
  });

  it('finds an action by name and by short id', async () => {
    const byName = await api.call('GET', '/v1/actions/cluster_create_a');
    expect(byName.data.action.id).toBe(succeeded.id);
    const byShort = await api.call('GET', `/v1/actions/${succeeded.id.slice(0, 8)}`);
    expect(byShort.data.action.id).toBe(succeeded.id);
  });

  it('answers 404 for an unknown action', async () => {
    const id = '26cb0f3a-4e6c-49f6-8475-7cb472933bff';
    const res = await api.call('GET', `/v1/actions/${id}`);
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The action '${id}' could not be found.`);
  });

  it('hides actions of other projects from members', async () => {
    expect((await api.call('GET', `/v1/actions/${succeeded.id}`, { as: ALT })).statusCode).toBe(
      404,
    );
    expect((await api.call('GET', `/v1/actions/${succeeded.id}`, { as: ADMIN })).statusCode).toBe(
      200,
    );
  });
});

describe('action list', () => {
  it('lists the project actions in created_at order', async () => {
    const res = await api.call('GET', '/v1/actions', { version: '1.0' });
    expect(res.statusCode).toBe(200);
    const ids = res.data.actions.map((a: any) => a.id);
    expect(ids.indexOf(succeeded.id)).toBeLessThan(ids.indexOf(ready.id));
    expect(res.data.actions[0]).not.toHaveProperty('cluster_id');
    expect(res.headers.location).toBeUndefined();
  });

  it('filters by status', async () => {
    const res = await api.call('GET', '/v1/actions', { query: { status: 'SUCCEEDED' } });
    expect(res.data.actions.length).toBeGreaterThan(0);
    expect(res.data.actions.every((a: any) => a.status === 'SUCCEEDED')).toBe(true);
  });

  it('filters by action, name and target', async () => {
    const byAction = await api.call('GET', '/v1/actions', { query: { action: 'CLUSTER_CREATE' } });
    expect(byAction.data.actions.map((a: any) => a.id)).toEqual([succeeded.id]);
    const byName = await api.call('GET', '/v1/actions', { query: { name: 'scale_b' } });
    expect(byName.data.actions.map((a: any) => a.id)).toEqual([ready.id]);
    const byTarget = await api.call('GET', '/v1/actions', { query: { target: clusterB } });
    expect(byTarget.data.actions.map((a: any) => a.id)).toEqual([ready.id]);
  });

  it('resolves cluster_id filters from 1.14', async () => {
    const res = await api.call('GET', '/v1/actions', {
      query: { cluster_id: 'actions-b' },
      version: '1.14',
    });
    expect(res.data.actions.map((a: any) => a.id)).toEqual([ready.id]);
  });

  it('answers an empty list when a cluster_id does not resolve', async () => {
    const res = await api.call('GET', '/v1/actions', {
      query: { cluster_id: ['actions-a', 'no-such-cluster'] },
      version: '1.14',
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.actions).toEqual([]);
  });

  it('ignores the cluster_id filter below 1.14', async () => {
    const res = await api.call('GET', '/v1/actions', {
      query: { cluster_id: 'no-such-cluster' },
      version: '1.13',
    });
    expect(res.data.actions.length).toBeGreaterThan(1);
  });

  it('shows each member only the actions of its project', async () => {
    await makeAction({ name: 'alt-action' }, ALT);
    const alt = await api.call('GET', '/v1/actions', { as: ALT });
    expect(alt.data.actions.map((a: any) => a.name)).toEqual(['alt-action']);
    const admin = await api.call('GET', '/v1/actions', { as: ADMIN });
    expect(admin.data.actions.length).toBeGreaterThan(2);
  });

  it.each([
    [{ bogus: 'foo' }, 400, 'Invalid parameter bogus'],
    [{ limit: 'not-int' }, 400, "The value for limit must be an integer: 'not-int'."],
    [{ global_project: 'True' }, 403, 'You are not authorized to complete this operation.'],
    [
      { global_project: 'not-bool' },
      400,
      "Invalid value 'not-bool' specified for 'global_project'",
    ],
    [{ sort: 'bad-sort' }, 400, "Unsupported sort key 'bad-sort' for 'sort'."],
    [{ marker: 'bad-marker' }, 400, "The value for marker is not a valid UUID: 'bad-marker'."],
    [{ status: "['bad-status']" }, 400, "Field value ['bad-status'] is invalid"],
    [{ action: "['bad-action']" }, 400, "Field value ['bad-action'] is invalid"],
  ])('answers %j with %i: %s', async (query, status, message) => {
    const res = await api.call('GET', '/v1/actions', { query });
    expect(res.statusCode).toBe(status);
    expect(errorMessage(res)).toBe(message);
  });
});

describe('action create', () => {
  it('refuses everybody, admins included', async () => {
    for (const as of [DEMO, ADMIN]) {
      const res = await api.call('POST', '/v1/actions', {
        body: { name: 'x', target: clusterA, action: 'CLUSTER_CHECK' },
        as,
      });
      expect(res.statusCode).toBe(403);
      expect(errorMessage(res)).toBe('You are not authorized to complete this operation.');
    }
  });
});

describe('action update', () => {
  const cancel = { action: { status: 'CANCELLED' } };

  it('is not served below 1.12', async () => {
    const res = await api.call('PATCH', `/v1/actions/${ready.id}`, {
      body: cancel,
      version: '1.11',
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("API version '1.11' is not supported on this method.");
  });

  it('answers 202 with webob body and without microversion headers', async () => {
    const action = await makeAction();
    const res = await api.call('PATCH', `/v1/actions/${action.id}`, {
      body: cancel,
      version: '1.12',
    });
    expect(res.statusCode).toBe(202);
    expect(res.data).toEqual({
      message: 'The request is accepted for processing.<br /><br />\n\n\n',
      code: '202 Accepted',
      title: 'Accepted',
    });
    expect(res.headers['openstack-api-version']).toBeUndefined();
    expect(res.headers.vary).toBeUndefined();
  });

  it('marks a READY action for cancellation', async () => {
    const action = await makeAction();
    await api.call('PATCH', `/v1/actions/${action.id}`, { body: cancel });
    const stored = await getAction(api.db.kysely, action.id);
    expect(stored?.control === 'CANCEL' || stored?.status === 'CANCELLED').toBe(true);
  });

  it('cancels at once with force=true', async () => {
    const action = await makeAction();
    const res = await api.call('PATCH', `/v1/actions/${action.id}`, {
      body: cancel,
      query: { force: 'true' },
    });
    expect(res.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, action.id))?.status).toBe('CANCELLED');
  });

  it('refuses a force value that is not a boolean', async () => {
    const res = await api.call('PATCH', `/v1/actions/${ready.id}`, {
      body: cancel,
      query: { force: 'bad' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe("Invalid value 'bad' specified for 'force'");
  });

  it('answers 409 for a finished action', async () => {
    const res = await api.call('PATCH', `/v1/actions/${succeeded.id}`, { body: cancel });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.type).toBe('ActionImmutable');
    expect(errorMessage(res)).toBe(
      `Action (${succeeded.id.slice(0, 8)}) is in status (SUCCEEDED) while expected status must be one of (('INIT', 'WAITING', 'READY', 'RUNNING', 'WAITING_LIFECYCLE_COMPLETION')).`,
    );
  });

  it('refuses an unknown status before looking the action up', async () => {
    const id = newId();
    const res = await api.call('PATCH', `/v1/actions/${id}`, {
      body: { action: { status: 'invalid' } },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toBe(`Unknown status invalid for action ${id}.`);
  });

  it('answers 404 for an unknown action', async () => {
    const id = '26cb0f3a-4e6c-49f6-8475-7cb472933bff';
    const res = await api.call('PATCH', `/v1/actions/${id}`, { body: cancel });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The action '${id}' could not be found.`);
  });

  it('needs the exact action id', async () => {
    const res = await api.call('PATCH', '/v1/actions/scale_b', { body: cancel });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe("The action 'scale_b' could not be found.");
  });

  it('does not let members cancel actions of other projects', async () => {
    const action = await makeAction();
    const res = await api.call('PATCH', `/v1/actions/${action.id}`, { body: cancel, as: ALT });
    expect(res.statusCode).toBe(404);
  });

  it.each([
    [{ status: 'CANCELLED' }, "Malformed request data, missing 'action' key in request body."],
    [{ action: null }, "Malformed request data, missing 'action' key in request body."],
    [{ action: {} }, "'status' is a required property"],
    [{ action: { status: 'CANCELLED', bogus: 1 } }, 'Additional properties are not allowed'],
  ])('refuses the body %j', async (body, message) => {
    const res = await api.call('PATCH', `/v1/actions/${ready.id}`, { body });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toContain(message);
  });

  it('takes force only from the query string', async () => {
    const action = await makeAction();
    await api.call('PATCH', `/v1/actions/${action.id}`, {
      body: { action: { status: 'CANCELLED', force: true } },
    });
    expect((await getAction(api.db.kysely, action.id))?.status).toBe('READY');
  });

  it('refuses SUSPENDED and RESUMED at 1.14', async () => {
    for (const status of ['SUSPENDED', 'RESUMED']) {
      const res = await api.call('PATCH', `/v1/actions/${ready.id}`, {
        body: { action: { status } },
        version: '1.14',
      });
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe(`Unknown status ${status} for action ${ready.id}.`);
    }
  });

  it('suspends and resumes an action that has not started from 1.15', async () => {
    const action = await makeAction();
    const suspend = await api.call('PATCH', `/v1/actions/${action.id}`, {
      body: { action: { status: 'SUSPENDED' } },
      version: '1.15',
    });
    expect(suspend.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, action.id))?.status).toBe('SUSPENDED');
    const resume = await api.call('PATCH', `/v1/actions/${action.id}`, {
      body: { action: { status: 'RESUMED' } },
      version: '1.15',
    });
    expect(resume.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, action.id))?.status).toBe('READY');
  });

  it('refuses to resume an action that is not suspended', async () => {
    const action = await makeAction();
    const res = await api.call('PATCH', `/v1/actions/${action.id}`, {
      body: { action: { status: 'RESUMED' } },
      version: '1.15',
    });
    expect(res.statusCode).toBe(409);
    expect(res.data.error.type).toBe('ActionImmutable');
  });
});
