import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getAction } from '../../src/db/queries/actions.js';
import { DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();
const HEAT_SPEC = {
  type: 'os.heat.stack',
  version: '1.0',
  properties: { template: { heat_template_version: '2016-10-14', resources: {} } },
};

async function createProfile(name: string, spec: unknown = NOVA_SPEC) {
  const res = await api.call('POST', '/v1/profiles', { body: { profile: { name, spec } } });
  expect(res.statusCode).toBe(201);
  return res.data.profile;
}

const nova = await createProfile('nova');
const heat = await createProfile('heat', HEAT_SPEC);

/** A cluster whose create action has finished (no engine runs in these tests). */
async function activeCluster(extra: Record<string, unknown> = {}) {
  const res = await api.call('POST', '/v1/clusters', {
    body: { cluster: { name: 'c', profile_id: nova.id, ...extra } },
  });
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  const id: string = res.data.cluster.id;
  await api.db.kysely
    .updateTable('action')
    .set({ status: 'SUCCEEDED' })
    .where('target', '=', id)
    .execute();
  await api.db.kysely
    .updateTable('cluster')
    .set({ status: 'ACTIVE' })
    .where('id', '=', id)
    .execute();
  return res.data.cluster;
}

let nextIndex = 1;
let serial = 1;

/** Stores a node row (ACTIVE orphan of the Nova profile unless told otherwise). */
async function addNode(
  fields: {
    clusterId?: string;
    status?: string;
    profileId?: string;
    dependents?: object;
    name?: string;
  } = {},
): Promise<string> {
  const id = randomUUID();
  await api.db.kysely
    .insertInto('node')
    .values({
      id,
      name: fields.name ?? `node-${serial++}`,
      cluster_id: fields.clusterId ?? '',
      profile_id: fields.profileId ?? nova.id,
      index: fields.clusterId ? nextIndex++ : -1,
      status: fields.status ?? 'ACTIVE',
      user: DEMO.user ?? '',
      project: DEMO.project ?? '',
      dependents: JSON.stringify(fields.dependents ?? {}),
    })
    .execute();
  return id;
}

async function act(cluster: string, body: unknown, version = 'latest') {
  return api.call('POST', `/v1/clusters/${cluster}/actions`, { body, version });
}

async function queued(res: { statusCode: number; data: any; headers: Record<string, unknown> }) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(202);
  expect(String(res.headers.location)).toMatch(new RegExp(`/v1/actions/${res.data.action}$`));
  const action = await getAction(api.db.kysely, res.data.action);
  expect(action?.status).toBe('READY');
  return action;
}

function expect400(res: { statusCode: number; data: any }, message: string) {
  expect(res.statusCode, JSON.stringify(res.data)).toBe(400);
  expect(errorMessage(res)).toBe(message);
}

describe('cluster action envelope', () => {
  it.each([
    [{}, 'No action specified'],
    [{ resize: {}, check: {} }, 'Multiple actions specified'],
    [{ bogus: {} }, "Unrecognized action 'bogus' specified"],
    [{ check: ['k1', 'v1'] }, 'The data provided is not a map'],
    [{ policy_attach: 'POLICY_ID' }, 'The data provided is not a map'],
    [{ recover: null }, 'The data provided is not a map'],
  ])('refuses %j before looking the cluster up', async (body, message) => {
    expect400(await act('cluster_id', body), message);
  });

  it('treats a missing body as no action', async () => {
    expect400(await api.call('POST', '/v1/clusters/cluster_id/actions'), 'No action specified');
  });

  it.each([
    ['add_nodes', { nodes: ['node_id'] }],
    ['del_nodes', { nodes: ['node_id'] }],
    ['resize', { adjustment_type: 'CHANGE_IN_CAPACITY', number: 5 }],
    ['scale_out', { count: 1 }],
    ['scale_in', { count: 1 }],
    ['check', { k1: 'v1' }],
    ['recover', { k1: 'v1' }],
    ['policy_attach', { policy_id: 'POLICY_ID' }],
    ['policy_detach', { policy_id: 'POLICY_ID' }],
    ['policy_update', { policy_id: 'POLICY_ID', enabled: false }],
    ['replace_nodes', { nodes: { old_node: 'new_node' } }],
  ])('answers 404 for %s on an unknown cluster', async (name, data) => {
    const id = 'db0faadf-9cd2-457f-b434-4891b77938ab';
    const res = await act(id, { [name]: data });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The cluster '${id}' could not be found.`);
  });
});

describe('add_nodes', () => {
  it.each([
    [{}, "Value for 'nodes' must have at least 1 item(s)."],
    [{ nodes: null }, "Value for 'nodes' must have at least 1 item(s)."],
    [{ nodes: [] }, "Value for 'nodes' must have at least 1 item(s)."],
    [{ nodes: 'node_id' }, "Items for 'nodes' must be unique"],
    [{ nodes: ['id1', 'id1'] }, "Items for 'nodes' must be unique"],
  ])('validates %j', async (data, message) => {
    expect400(await act('cluster_id', { add_nodes: data }), message);
  });

  it('queues CLUSTER_ADD_NODES with the resolved node ids', async () => {
    const cluster = await activeCluster();
    const node = await addNode({ name: 'joiner' });
    const action = await queued(await act(cluster.id, { add_nodes: { nodes: ['joiner'] } }));
    expect(action).toMatchObject({
      name: `cluster_add_nodes_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_ADD_NODES',
      inputs: { nodes: [node] },
    });
  });

  it('reports every problem of the given nodes', async () => {
    const cluster = await activeCluster();
    const other = await activeCluster();
    const owned = await addNode({ clusterId: other.id });
    const heatNode = await addNode({ profileId: heat.id });
    const down = await addNode({ status: 'ERROR' });
    const missing = '5ddf7e5a-3f67-4f1e-af1e-c5a7da319dc0';
    expect400(
      await act(cluster.id, { add_nodes: { nodes: [owned] } }),
      `Nodes ['${owned}'] already owned by some cluster.`,
    );
    expect400(
      await act(cluster.id, { add_nodes: { nodes: [heatNode] } }),
      `Profile type of nodes ['${heatNode}'] does not match that of the cluster.`,
    );
    expect400(
      await act(cluster.id, { add_nodes: { nodes: [down] } }),
      `Nodes are not ACTIVE: ['${down}'].`,
    );
    expect400(
      await act(cluster.id, { add_nodes: { nodes: [missing, heatNode, owned] } }),
      [
        `Profile type of nodes ['${heatNode}'] does not match that of the cluster.`,
        `Nodes ['${owned}'] already owned by some cluster.`,
        `Nodes not found: ['${missing}'].`,
      ].join('\n'),
    );
  });

  it('checks the new size strictly', async () => {
    const cluster = await activeCluster({ desired_capacity: 1, max_size: 1 });
    const node = await addNode();
    expect400(
      await act(cluster.id, { add_nodes: { nodes: [node] } }),
      "The target capacity (2) is greater than the cluster's max_size (1).",
    );
  });
});

describe('del_nodes', () => {
  it.each([
    [{}, "Value for 'nodes' must have at least 1 item(s)."],
    [{ nodes: 'node_id' }, "Items for 'nodes' must be unique"],
    [{ nodes: [] }, "Value for 'nodes' must have at least 1 item(s)."],
    [
      { nodes: ['fake_id'], destroy_after_deletion: 'not_bool' },
      "Unrecognized value 'not_bool', acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'",
    ],
  ])('validates %j', async (data, message) => {
    expect400(await act('cluster_id', { del_nodes: data }), message);
  });

  it('queues CLUSTER_DEL_NODES with candidates, count and destroy_after_deletion', async () => {
    const cluster = await activeCluster({ desired_capacity: 2 });
    const a = await addNode({ clusterId: cluster.id });
    const b = await addNode({ clusterId: cluster.id });
    const action = await queued(await act(cluster.id, { del_nodes: { nodes: [a, b] } }));
    expect(action).toMatchObject({
      name: `cluster_del_nodes_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_DEL_NODES',
      inputs: { candidates: [a, b], count: 2, destroy_after_deletion: false },
    });
  });

  it('passes destroy_after_deletion from 1.4 and drops it below', async () => {
    const cluster = await activeCluster({ desired_capacity: 2 });
    const a = await addNode({ clusterId: cluster.id });
    const data = { del_nodes: { nodes: [a], destroy_after_deletion: true } };
    const old = await queued(await act(cluster.id, data, '1.3'));
    expect(old?.inputs).toEqual({ candidates: [a], count: 1 });
    await api.db.kysely
      .updateTable('action')
      .set({ status: 'FAILED' })
      .where('id', '=', old?.id ?? '')
      .execute();
    const now = await queued(await act(cluster.id, data, '1.4'));
    expect(now?.inputs).toEqual({ candidates: [a], count: 1, destroy_after_deletion: true });
  });

  it('refuses nodes that are missing or not members', async () => {
    const cluster = await activeCluster({ desired_capacity: 1 });
    const other = await activeCluster();
    const orphan = await addNode();
    const stranger = await addNode({ clusterId: other.id });
    expect400(
      await act(cluster.id, { del_nodes: { nodes: ['e896948b-44c0-4dfa-9466-407391504833'] } }),
      "Nodes not found: ['e896948b-44c0-4dfa-9466-407391504833'].",
    );
    expect400(
      await act(cluster.id, { del_nodes: { nodes: [orphan] } }),
      `Nodes not members of specified cluster: ['${orphan}'].`,
    );
    expect400(
      await act(cluster.id, { del_nodes: { nodes: [stranger] } }),
      `Nodes not members of specified cluster: ['${stranger}'].`,
    );
  });

  it('refuses nodes other nodes depend on with 409', async () => {
    const cluster = await activeCluster({ desired_capacity: 1 });
    const host = await addNode({ clusterId: cluster.id, dependents: { nodes: ['x'] } });
    const res = await act(cluster.id, { del_nodes: { nodes: [host] } });
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(
      `The node '['${host}']' cannot be deleted: nodes ['${host}'] are depended by other nodes, so can't be deleted or become orphan nodes.`,
    );
  });

  it('checks the new size strictly', async () => {
    const cluster = await activeCluster({ desired_capacity: 1, min_size: 1 });
    const node = await addNode({ clusterId: cluster.id });
    expect400(
      await act(cluster.id, { del_nodes: { nodes: [node] } }),
      "The target capacity (0) is less than the cluster's min_size (1).",
    );
  });
});

describe('replace_nodes', () => {
  it('is not served below microversion 1.3', async () => {
    expect400(
      await act('cluster_id', { replace_nodes: { nodes: { a: 'b' } } }, '1.2'),
      "API version '1.2' is not supported on this method.",
    );
  });

  it.each([
    [{ nodes: [] }, 'The data provided is not a map'],
    [{ nodes: {} }, 'The data provided is not a map'],
    [{}, 'The data provided is not a map'],
    [{ nodes: { old_node: null } }, "Field `nodes[old_node]' cannot be None"],
    [{ nodes: { old_node1: 'new_node', old_node2: 'new_node' } }, 'Map contains duplicated values'],
  ])('validates %j', async (data, message) => {
    expect400(await act('cluster_id', { replace_nodes: data }, '1.3'), message);
  });

  it('queues CLUSTER_REPLACE_NODES with the candidate map of ids', async () => {
    const cluster = await activeCluster();
    const old = await addNode({ clusterId: cluster.id });
    const fresh = await addNode();
    const action = await queued(
      await act(cluster.id, { replace_nodes: { nodes: { [old]: fresh } } }, '1.3'),
    );
    expect(action).toMatchObject({
      name: `cluster_replace_nodes_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_REPLACE_NODES',
      inputs: { candidates: { [old]: fresh } },
    });
  });

  it('reports what is wrong with the pairs', async () => {
    const cluster = await activeCluster();
    const other = await activeCluster();
    const member = await addNode({ clusterId: cluster.id });
    const orphan = await addNode();
    const foreignMember = await addNode({ clusterId: other.id });
    const heatNode = await addNode({ profileId: heat.id });
    const cases: [Record<string, string>, string][] = [
      [{ old_node: orphan }, "Original nodes not found: ['old_node']."],
      [{ [member]: 'new_node' }, "Replacement nodes not found: ['new_node']."],
      [{ [member]: foreignMember }, `Nodes ['${foreignMember}'] already member of a cluster.`],
      [
        { [member]: heatNode },
        `Profile type of nodes ['${heatNode}'] do not match that of the cluster.`,
      ],
      [
        { [orphan]: heatNode },
        `The specified nodes ['${orphan}'] to be replaced are not members of the cluster ${cluster.id}.\nProfile type of nodes ['${heatNode}'] do not match that of the cluster.`,
      ],
    ];
    for (const [nodes, message] of cases) {
      expect400(await act(cluster.id, { replace_nodes: { nodes } }, '1.3'), message);
    }
  });
});

describe('resize', () => {
  it.each([
    [
      { adjustment_type: 'bogus', max_size: 20, min_size: 5, number: 5 },
      "Value 'bogus' is not acceptable for field 'adjustment_type'.",
    ],
    [
      { max_size: 20, min_size: 5, number: 5 },
      'Missing adjustment_type value for size adjustment.',
    ],
    [
      { adjustment_type: 'CHANGE_IN_CAPACITY', max_size: 20, min_size: 5 },
      'Missing number value for size adjustment.',
    ],
    [
      { adjustment_type: 'EXACT_CAPACITY', max_size: 20, min_size: 5, number: -1 },
      "The 'number' must be non-negative integer for adjustment type 'EXACT_CAPACITY'.",
    ],
    [
      { adjustment_type: 'CHANGE_IN_CAPACITY', max_size: 10, min_size: 20, number: 5 },
      'The specified min_size (20) is greater than the specified max_size (10).',
    ],
    [{}, 'Not enough parameters to do resize action.'],
    [{ strict: true, min_step: 1, number: null }, 'Not enough parameters to do resize action.'],
    [{ adjustment_type: 'EXACT_CAPACITY', number: '2' }, "'2' is not of type 'number', 'null'"],
    [{ max_size: '-1' }, "'-1' does not match '^[0-9]*$'"],
  ])('refuses %j before looking the cluster up', async (data, message) => {
    expect400(await act('cluster_id', { resize: data }), message);
  });

  /** A cluster of 3 nodes (min 2, max 5), as tempest's resize tests use. */
  async function threeNodes() {
    const cluster = await activeCluster({ min_size: 2, max_size: 5, desired_capacity: 3 });
    for (let i = 0; i < 3; i++) await addNode({ clusterId: cluster.id });
    return cluster;
  }

  it.each([
    [
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: 3, strict: true },
      "The target capacity (6) is greater than the cluster's max_size (5).",
    ],
    [
      { adjustment_type: 'CHANGE_IN_CAPACITY', number: -2, strict: true },
      "The target capacity (1) is less than the cluster's min_size (2).",
    ],
    [
      { max_size: 2, strict: true },
      'The specified max_size (2) is less than the current desired_capacity (3) of the cluster.',
    ],
    [
      { max_size: 1, strict: false },
      'The specified max_size (1) is less than the current min_size (2) of the cluster.',
    ],
    [
      { min_size: 4, strict: true },
      'The specified min_size (4) is greater than the current desired_capacity (3) of the cluster.',
    ],
    [
      { min_size: 6, strict: false },
      'The specified min_size (6) is greater than the current max_size (5) of the cluster.',
    ],
  ])('checks %j against the cluster', async (data, message) => {
    const cluster = await threeNodes();
    expect400(await act(cluster.id, { resize: data }), message);
  });

  it('writes no action when a check after the lookup fails', async () => {
    const cluster = await threeNodes();
    const count = async () =>
      Number(
        (
          await api.db.kysely
            .selectFrom('action')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('target', '=', cluster.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const res = await act(cluster.id, { resize: { adjustment_type: 'EXACT_CAPACITY', number: 9 } });
    expect(res.statusCode).toBe(400);
    expect(await count()).toBe(before);
  });

  it('computes the target from the current node count, not the desired capacity', async () => {
    const cluster = await activeCluster({ min_size: 0, max_size: 5, desired_capacity: 5 });
    await addNode({ clusterId: cluster.id });
    // 1 node now: +5 gives 6, above the max.
    expect400(
      await act(cluster.id, { resize: { adjustment_type: 'CHANGE_IN_CAPACITY', number: 5 } }),
      "The target capacity (6) is greater than the cluster's max_size (5).",
    );
  });

  it('queues CLUSTER_RESIZE with every input key', async () => {
    const cluster = await threeNodes();
    const action = await queued(
      await act(cluster.id, {
        resize: { adjustment_type: 'CHANGE_IN_CAPACITY', number: 1.7, min_step: 3, max_size: 5 },
      }),
    );
    expect(action).toMatchObject({
      name: `cluster_resize_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_RESIZE',
      inputs: {
        adjustment_type: 'CHANGE_IN_CAPACITY',
        number: 1,
        min_size: null,
        max_size: 5,
        min_step: null,
        strict: true,
      },
    });
  });

  it('keeps min_step and a fractional number for percentages', async () => {
    const cluster = await threeNodes();
    const action = await queued(
      await act(cluster.id, {
        resize: {
          adjustment_type: 'CHANGE_IN_PERCENTAGE',
          number: 33.3,
          min_step: 1,
          strict: false,
        },
      }),
    );
    expect(action?.inputs).toEqual({
      adjustment_type: 'CHANGE_IN_PERCENTAGE',
      number: 33.3,
      min_size: null,
      max_size: null,
      min_step: 1,
      strict: false,
    });
  });
});

describe('scale_out and scale_in', () => {
  it.each(['scale_out', 'scale_in'])(
    'validates the count of %s before the lookup',
    async (name) => {
      expect400(
        await act('fake', { [name]: { count: 'bad-count' } }),
        "The value for count must be an integer: 'bad-count'.",
      );
      expect400(
        await act('fake', { [name]: { count: -1 } }),
        "Value must be >= 0 for field 'count'.",
      );
    },
  );

  it('refuses a count of 0 after the lookup', async () => {
    const cluster = await activeCluster();
    expect400(
      await act(cluster.id, { scale_out: { count: 0 } }),
      'Count for scale-out request cannot be 0.',
    );
    expect400(
      await act(cluster.id, { scale_in: { count: '0' } }),
      'Count for scale-in request cannot be 0.',
    );
  });

  it('checks only the per-cluster maximum when the request is made', async () => {
    const cluster = await activeCluster({ desired_capacity: 1, max_size: 1 });
    expect((await act(cluster.id, { scale_out: { count: 3 } })).statusCode).toBe(202);
    const big = await activeCluster();
    expect400(
      await act(big.id, { scale_out: { count: 1001 } }),
      'The target capacity (1001) is greater than the maximum number of nodes allowed per cluster (1000).',
    );
  });

  it('queues the scaling action with the count, or with no inputs', async () => {
    const cluster = await activeCluster({ desired_capacity: 1 });
    const out = await queued(await act(cluster.id, { scale_out: { count: '1' } }));
    expect(out).toMatchObject({
      name: `cluster_scale_out_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_SCALE_OUT',
      inputs: { count: 1 },
    });
    const other = await activeCluster({ desired_capacity: 1 });
    const scaleIn = await queued(await act(other.id, { scale_in: {} }));
    expect(scaleIn).toMatchObject({
      name: `cluster_scale_in_${other.id.slice(0, 8)}`,
      action: 'CLUSTER_SCALE_IN',
      inputs: {},
    });
  });
});

describe('admission of cluster actions', () => {
  it('refuses an action while another one on the cluster is active', async () => {
    const res = await api.call('POST', '/v1/clusters', {
      body: { cluster: { name: 'busy', profile_id: nova.id } },
    });
    const createId = String(res.headers.location).split('/actions/')[1];
    const conflict = await act(res.data.cluster.id, { scale_out: { count: 1 } });
    expect(conflict.statusCode).toBe(409);
    expect(errorMessage(conflict)).toBe(
      `The CLUSTER_SCALE_OUT action for target ${res.data.cluster.id} conflicts with the following action(s): ${createId}`,
    );
  });

  it('refuses an action on a locked cluster', async () => {
    const cluster = await activeCluster();
    await api.db.kysely
      .insertInto('cluster_lock')
      .values({ cluster_id: cluster.id, action_ids: JSON.stringify([randomUUID()]), semaphore: -1 })
      .execute();
    const res = await act(cluster.id, { scale_out: { count: '1' } });
    expect(res.statusCode).toBe(409);
    expect(errorMessage(res)).toBe(
      `CLUSTER_SCALE_OUT for cluster '${cluster.id}' cannot be completed because it is already locked.`,
    );
  });
});

describe('check and recover', () => {
  it('queues CLUSTER_CHECK with the request object as inputs', async () => {
    const cluster = await activeCluster();
    const action = await queued(await act(cluster.id, { check: { k1: 'v1' } }));
    expect(action).toMatchObject({
      name: `cluster_check_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_CHECK',
      inputs: { k1: 'v1' },
    });
  });

  it('purges finished check actions when delete_check_action is set', async () => {
    const cluster = await activeCluster();
    const first = await queued(await act(cluster.id, { check: {} }));
    await api.db.kysely
      .updateTable('action')
      .set({ status: 'SUCCEEDED' })
      .where('id', '=', first?.id ?? '')
      .execute();
    await queued(await act(cluster.id, { check: { delete_check_action: true } }));
    expect(await getAction(api.db.kysely, first?.id ?? '')).toBeUndefined();
  });

  it('queues CLUSTER_RECOVER with the recognised parameters', async () => {
    const cluster = await activeCluster();
    const action = await queued(
      await act(cluster.id, {
        recover: {
          operation: 'reboot',
          operation_params: { type: 'soft' },
          check: true,
          check_capacity: false,
        },
      }),
    );
    expect(action).toMatchObject({
      name: `cluster_recover_${cluster.id.slice(0, 8)}`,
      action: 'CLUSTER_RECOVER',
      inputs: {
        operation: 'reboot',
        operation_params: { type: 'soft' },
        check: true,
        check_capacity: false,
      },
    });
  });

  it.each([
    [{ k1: 'v1' }, "Action parameter ['k1'] is not recognizable."],
    [{ operation_params: {} }, "Action parameter ['operation_params'] is not recognizable."],
    [{ operation: 5 }, 'operation has to be a string.'],
    [
      { operation: 'dance' },
      "Operation value 'dance' has to be one of the following: REBOOT, REBUILD, RECREATE.",
    ],
    [{ operation: 'REBOOT', operation_params: [1] }, 'operation_params must be a map.'],
    [
      { operation: 'reboot', operation_params: { type: 'Unknown' } },
      "Type field 'Unknown' in operation_params has to be one of the following: SOFT, HARD.",
    ],
  ])('refuses recover parameters %j after the lookup', async (data, message) => {
    const cluster = await activeCluster();
    expect400(await act(cluster.id, { recover: data }), message);
  });
});

describe('complete_lifecycle', () => {
  async function waitingAction(
    status = 'WAITING_LIFECYCLE_COMPLETION',
    project = 'demo',
  ): Promise<string> {
    const id = randomUUID();
    await api.db.kysely
      .insertInto('action')
      .values({
        id,
        name: 'node_delete_x',
        action: 'NODE_DELETE',
        target: randomUUID(),
        status,
        owner: 'someone',
        status_reason: 'waiting',
        project,
      } as never)
      .execute();
    return id;
  }

  it('is not served below microversion 1.9', async () => {
    expect400(
      await act('cluster_id', { complete_lifecycle: { lifecycle_action_token: 'x' } }, '1.8'),
      "API version '1.8' is not supported on this method.",
    );
  });

  it('requires a token', async () => {
    expect400(
      await act('cluster_id', { complete_lifecycle: {} }),
      "Field `lifecycle_action_token' cannot be None",
    );
  });

  it('answers 404 for an unknown token', async () => {
    const token = randomUUID();
    const res = await act('cluster_id', { complete_lifecycle: { lifecycle_action_token: token } });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The action '${token}' could not be found.`);
  });

  it('releases the waiting action without looking the cluster up and returns the token', async () => {
    const token = await waitingAction();
    const res = await act('no-such-cluster', {
      complete_lifecycle: { lifecycle_action_token: token },
    });
    expect(res.statusCode).toBe(202);
    expect(res.data).toEqual({ action: token });
    expect(String(res.headers.location)).toMatch(new RegExp(`/v1/actions/${token}$`));
    expect(await getAction(api.db.kysely, token)).toMatchObject({
      status: 'READY',
      statusReason: 'Lifecycle complete.',
      owner: null,
    });
  });

  it('answers 404 for the waiting action of another project and leaves it waiting', async () => {
    const token = await waitingAction('WAITING_LIFECYCLE_COMPLETION', 'alt');
    const res = await act('no-such-cluster', {
      complete_lifecycle: { lifecycle_action_token: token },
    });
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The action '${token}' could not be found.`);
    expect((await getAction(api.db.kysely, token))?.status).toBe('WAITING_LIFECYCLE_COMPLETION');
  });

  it('leaves an action that is not waiting for lifecycle completion alone', async () => {
    const token = await waitingAction('SUCCEEDED');
    const res = await act('no-such-cluster', {
      complete_lifecycle: { lifecycle_action_token: token },
    });
    expect(res.statusCode).toBe(202);
    expect((await getAction(api.db.kysely, token))?.status).toBe('SUCCEEDED');
  });
});
