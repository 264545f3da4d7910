import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { v1Routes } from '../../src/api/routes/v1/index.js';
import { getAction } from '../../src/db/queries/actions.js';
import { waitForAction } from '../support/engine.js';
import {
  actionOf,
  makeProjectObjects,
  type ProjectObjects,
  triggerPath,
} from './isolation-fixture.js';
import { type Answer, type KeystoneApi, startKeystoneApi, storedTrust } from './keystone-api.js';
import { ACCOUNTS, deleteAllTrusts, type IssuedToken, issueToken } from './keystone-env.js';

// Two real Keystone projects: `demo` (project B, whose objects are probed) and `alt` (project
// A, a member who tries to reach them), plus `admin`. Contract: api-contract §1.7 and §7,
// engine-contract §2.4 and §12.2.

let api: KeystoneApi;
let a: IssuedToken;
let b: IssuedToken;
let admin: IssuedToken;
let ownB: ProjectObjects;
let ownA: ProjectObjects;

beforeAll(async () => {
  await Promise.all([deleteAllTrusts(ACCOUNTS.demo), deleteAllTrusts(ACCOUNTS.alt)]);
  api = await startKeystoneApi();
  [a, b, admin] = await Promise.all([
    issueToken(ACCOUNTS.alt),
    issueToken(ACCOUNTS.demo),
    issueToken(ACCOUNTS.admin),
  ]);
  ownB = await makeProjectObjects(api, b, 'bee');
  ownA = await makeProjectObjects(api, a, 'ay');
}, 120_000);

afterAll(async () => {
  await api?.close();
  await Promise.all([deleteAllTrusts(ACCOUNTS.demo), deleteAllTrusts(ACCOUNTS.alt)]);
});

function message(res: Answer): string {
  return res.data?.error?.message;
}

/** A request of the member of project A that must not reach an object of project B. */
interface Probe {
  /** The route (as registered) the probe exercises. */
  route: string;
  method: string;
  url: () => string;
  body?: () => unknown;
  version?: string;
  status: number;
  /** The expected error message. */
  says: () => string;
}

const notFound = (kind: string, id: () => string) => () =>
  `The ${kind} '${id()}' could not be found.`;
const specified = (kind: string, id: () => string) => () =>
  `The specified ${kind} '${id()}' could not be found.`;

const B = {
  profile: () => ownB.profile,
  policy: () => ownB.policy,
  cluster: () => ownB.cluster,
  member: () => ownB.member,
  orphan: () => ownB.orphan,
  receiver: () => ownB.receiver,
  action: () => ownB.actions[0] ?? '',
  event: () => ownB.event,
};

const CLUSTER_ACTIONS: [string, () => unknown][] = [
  ['add_nodes', () => ({ nodes: [ownA.orphan] })],
  ['del_nodes', () => ({ nodes: [ownB.member] })],
  ['replace_nodes', () => ({ nodes: { [ownB.member]: ownA.orphan } })],
  ['resize', () => ({ adjustment_type: 'EXACT_CAPACITY', number: 3 })],
  ['scale_out', () => ({ count: 1 })],
  ['scale_in', () => ({ count: 1 })],
  ['policy_attach', () => ({ policy_id: ownA.policy })],
  ['policy_detach', () => ({ policy_id: ownB.policy })],
  ['policy_update', () => ({ policy_id: ownB.policy, enabled: false })],
  ['check', () => ({})],
  ['recover', () => ({ operation: 'REBUILD' })],
];

/** Every way of naming an object of B in a path: 404 as if it did not exist. */
const PATH_PROBES: Probe[] = [
  ...(['GET', 'PATCH', 'DELETE'] as const).flatMap((method): Probe[] => [
    {
      route: `${method} /v1/profiles/:profile_id`,
      method,
      url: () => `/v1/profiles/${B.profile()}`,
      ...(method === 'PATCH' ? { body: () => ({ profile: { name: 'taken' } }) } : {}),
      status: 404,
      says: notFound('profile', B.profile),
    },
    {
      route: `${method} /v1/policies/:policy_id`,
      method,
      url: () => `/v1/policies/${B.policy()}`,
      ...(method === 'PATCH' ? { body: () => ({ policy: { name: 'taken' } }) } : {}),
      status: 404,
      says: notFound('policy', B.policy),
    },
    {
      route: `${method} /v1/clusters/:cluster_id`,
      method,
      url: () => `/v1/clusters/${B.cluster()}`,
      ...(method === 'PATCH' ? { body: () => ({ cluster: { name: 'taken' } }) } : {}),
      status: 404,
      says: notFound('cluster', B.cluster),
    },
    ...[B.member, B.orphan].map(
      (node): Probe => ({
        route: `${method} /v1/nodes/:node_id`,
        method,
        url: () => `/v1/nodes/${node()}`,
        ...(method === 'PATCH' ? { body: () => ({ node: { name: 'taken' } }) } : {}),
        status: 404,
        says: notFound('node', node),
      }),
    ),
    {
      route: `${method} /v1/receivers/:receiver_id`,
      method,
      url: () => `/v1/receivers/${B.receiver()}`,
      ...(method === 'PATCH' ? { body: () => ({ receiver: { name: 'taken' } }) } : {}),
      status: 404,
      says: notFound('receiver', B.receiver),
    },
  ]),
  ...CLUSTER_ACTIONS.map(
    ([name, body]): Probe => ({
      route: 'POST /v1/clusters/:cluster_id/actions',
      method: 'POST',
      url: () => `/v1/clusters/${B.cluster()}/actions`,
      body: () => ({ [name]: body() }),
      status: 404,
      says: notFound('cluster', B.cluster),
    }),
  ),
  {
    route: 'POST /v1/clusters/:cluster_id/actions',
    method: 'POST',
    url: () => `/v1/clusters/${ownA.cluster}/actions`,
    body: () => ({ complete_lifecycle: { lifecycle_action_token: B.action() } }),
    status: 404,
    says: notFound('action', B.action),
  },
  {
    route: 'GET /v1/clusters/:cluster_id/attrs/:path',
    method: 'GET',
    url: () => `/v1/clusters/${B.cluster()}/attrs/details.status`,
    status: 404,
    says: notFound('cluster', B.cluster),
  },
  {
    route: 'POST /v1/clusters/:cluster_id/ops',
    method: 'POST',
    url: () => `/v1/clusters/${B.cluster()}/ops`,
    body: () => ({ reboot: { params: { type: 'SOFT' } } }),
    status: 404,
    says: notFound('cluster', B.cluster),
  },
  {
    route: 'GET /v1/clusters/:cluster_id/policies',
    method: 'GET',
    url: () => `/v1/clusters/${B.cluster()}/policies`,
    status: 404,
    says: notFound('cluster', B.cluster),
  },
  {
    route: 'GET /v1/clusters/:cluster_id/policies/:policy_id',
    method: 'GET',
    url: () => `/v1/clusters/${B.cluster()}/policies/${B.policy()}`,
    status: 404,
    says: notFound('cluster', B.cluster),
  },
  ...[{ check: {} }, { recover: {} }].map(
    (body): Probe => ({
      route: 'POST /v1/nodes/:node_id/actions',
      method: 'POST',
      url: () => `/v1/nodes/${B.member()}/actions`,
      body: () => body,
      status: 404,
      says: notFound('node', B.member),
    }),
  ),
  {
    route: 'POST /v1/nodes/:node_id/ops',
    method: 'POST',
    url: () => `/v1/nodes/${B.orphan()}/ops`,
    body: () => ({ reboot: { type: 'SOFT' } }),
    status: 404,
    says: notFound('node', B.orphan),
  },
  {
    route: 'POST /v1/receivers/:receiver_id/notify',
    method: 'POST',
    url: () => `/v1/receivers/${B.receiver()}/notify`,
    status: 404,
    says: notFound('receiver', B.receiver),
  },
  {
    route: 'GET /v1/actions/:action_id',
    method: 'GET',
    url: () => `/v1/actions/${B.action()}`,
    status: 404,
    says: notFound('action', B.action),
  },
  {
    route: 'PATCH /v1/actions/:action_id',
    method: 'PATCH',
    url: () => `/v1/actions/${B.action()}`,
    body: () => ({ action: { status: 'CANCELLED' } }),
    status: 404,
    says: notFound('action', B.action),
  },
  {
    route: 'GET /v1/events/:event_id',
    method: 'GET',
    url: () => `/v1/events/${B.event()}`,
    status: 404,
    says: notFound('event', B.event),
  },
];

/** Objects of B named inside A's own requests: 400 "specified … could not be found". */
const REFERENCE_PROBES: Probe[] = [
  {
    route: 'POST /v1/clusters',
    method: 'POST',
    url: () => '/v1/clusters',
    body: () => ({ cluster: { name: 'borrowed', profile_id: B.profile() } }),
    status: 400,
    says: specified('profile', B.profile),
  },
  {
    route: 'PATCH /v1/clusters/:cluster_id',
    method: 'PATCH',
    url: () => `/v1/clusters/${ownA.cluster}`,
    body: () => ({ cluster: { profile_id: B.profile() } }),
    status: 400,
    says: specified('profile', B.profile),
  },
  {
    route: 'POST /v1/nodes',
    method: 'POST',
    url: () => '/v1/nodes',
    body: () => ({ node: { name: 'borrowed', profile_id: B.profile() } }),
    status: 400,
    says: specified('profile', B.profile),
  },
  {
    route: 'POST /v1/nodes',
    method: 'POST',
    url: () => '/v1/nodes',
    body: () => ({ node: { name: 'intruder', profile_id: ownA.profile, cluster_id: B.cluster() } }),
    status: 400,
    says: specified('cluster', B.cluster),
  },
  {
    route: 'PATCH /v1/nodes/:node_id',
    method: 'PATCH',
    url: () => `/v1/nodes/${ownA.orphan}`,
    body: () => ({ node: { profile_id: B.profile() } }),
    status: 400,
    says: specified('profile', B.profile),
  },
  {
    route: 'POST /v1/clusters/:cluster_id/actions',
    method: 'POST',
    url: () => `/v1/clusters/${ownA.cluster}/actions`,
    body: () => ({ add_nodes: { nodes: [B.orphan()] } }),
    status: 400,
    says: () => `Nodes not found: ['${B.orphan()}'].`,
  },
  {
    route: 'POST /v1/clusters/:cluster_id/actions',
    method: 'POST',
    url: () => `/v1/clusters/${ownA.cluster}/actions`,
    body: () => ({ policy_attach: { policy_id: B.policy() } }),
    status: 400,
    says: specified('policy', B.policy),
  },
  {
    route: 'POST /v1/receivers',
    method: 'POST',
    url: () => '/v1/receivers',
    body: () => ({
      receiver: {
        name: 'borrowed',
        type: 'webhook',
        cluster_id: B.cluster(),
        action: 'CLUSTER_SCALE_OUT',
      },
    }),
    status: 400,
    says: () => `The referenced cluster '${B.cluster()}' could not be found.`,
  },
  {
    route: 'GET /v1/nodes',
    method: 'GET',
    url: () => `/v1/nodes?cluster_id=${B.cluster()}`,
    status: 400,
    says: () => `Cannot find the given cluster: ${B.cluster()}.`,
  },
];

describe('a member of project A and the objects of project B', () => {
  it.each(PATH_PROBES.map((p) => [p.route, p] as const))(
    '%s on an object of B answers as if it did not exist',
    async (_name, probe) => {
      const res = await api.send(probe.method, probe.url(), a.token, {
        ...(probe.body ? { body: probe.body() } : {}),
      });
      expect(res.status, JSON.stringify(res.data)).toBe(probe.status);
      expect(message(res)).toBe(probe.says());
    },
  );

  it.each(REFERENCE_PROBES.map((p) => [p.route, p] as const))(
    '%s naming an object of B in the body is refused as not found',
    async (_name, probe) => {
      const res = await api.send(probe.method, probe.url(), a.token, {
        ...(probe.body ? { body: probe.body() } : {}),
      });
      expect(res.status, JSON.stringify(res.data)).toBe(probe.status);
      expect(message(res)).toBe(probe.says());
    },
  );

  it('cannot reach objects of B by name or short id either', async () => {
    for (const [url, kind, id] of [
      [`/v1/clusters/${ownB.clusterName}`, 'cluster', ownB.clusterName],
      [`/v1/clusters/${ownB.cluster.slice(0, 8)}`, 'cluster', ownB.cluster.slice(0, 8)],
      [`/v1/receivers/${ownB.receiverName}`, 'receiver', ownB.receiverName],
      [`/v1/nodes/${ownB.orphan.slice(0, 8)}`, 'node', ownB.orphan.slice(0, 8)],
      [`/v1/actions/${B.action().slice(0, 8)}`, 'action', B.action().slice(0, 8)],
    ] as const) {
      const res = await api.send('GET', url, a.token);
      expect(res.status, url).toBe(404);
      expect(message(res)).toBe(`The ${kind} '${id}' could not be found.`);
    }
  });

  it('adopts and previews only as itself, with its own trust, never with the trust of B', async () => {
    // Whether A may read a server of B is the cloud's decision (Nova answers 404 to another
    // project; the fake cloud does not check): senlin-ts must only ever ask as A.
    const node = await api.send('GET', `/v1/nodes/${ownB.orphan}`, b.token);
    const physicalId = node.data.node.physical_id as string;
    expect(physicalId).toBeTruthy();
    const trustOfA = await storedTrust(api, a.userId, a.projectId);
    const trustOfB = await storedTrust(api, b.userId, b.projectId);
    const drivers = vi.spyOn(api.backend, 'drivers');
    try {
      for (const [path, extra] of [
        ['/v1/nodes/adopt-preview', {}],
        ['/v1/nodes/adopt', { name: 'adopted' }],
      ] as const) {
        drivers.mockClear();
        const res = await api.send('POST', path, a.token, {
          body: { identity: physicalId, type: 'os.nova.server-1.0', ...extra },
        });
        expect(res.status, JSON.stringify(res.data)).not.toBe(400);
        expect(drivers.mock.calls.length, path).toBeGreaterThan(0);
        for (const [credentials] of drivers.mock.calls) {
          expect(credentials, path).toMatchObject({
            userId: a.userId,
            projectId: a.projectId,
            trustId: trustOfA,
          });
          expect(credentials.trustId, path).not.toBe(trustOfB);
        }
      }
    } finally {
      drivers.mockRestore();
    }
  });

  it('lists only the objects of its own project', async () => {
    for (const [path, key] of [
      ['/v1/profiles', 'profiles'],
      ['/v1/policies', 'policies'],
      ['/v1/clusters', 'clusters'],
      ['/v1/nodes', 'nodes'],
      ['/v1/receivers', 'receivers'],
      ['/v1/actions', 'actions'],
      ['/v1/events', 'events'],
    ] as const) {
      const res = await api.send('GET', path, a.token);
      expect(res.status, path).toBe(200);
      const items = res.data[key] as { project: string }[];
      expect(items.length, path).toBeGreaterThan(0);
      expect(new Set(items.map((i) => i.project)), path).toEqual(new Set([a.projectId]));
    }
    for (const [path, key] of [
      [`/v1/actions?cluster_id=${ownB.cluster}`, 'actions'],
      [`/v1/events?cluster_id=${ownB.cluster}`, 'events'],
    ] as const) {
      expect((await api.send('GET', path, a.token)).data[key], path).toEqual([]);
    }
  });

  it('is refused global_project=True on every list with 403, which admins may use', async () => {
    for (const [path, key] of [
      ['/v1/profiles', 'profiles'],
      ['/v1/policies', 'policies'],
      ['/v1/clusters', 'clusters'],
      ['/v1/nodes', 'nodes'],
      ['/v1/receivers', 'receivers'],
      ['/v1/actions', 'actions'],
      ['/v1/events', 'events'],
    ] as const) {
      const refused = await api.send('GET', `${path}?global_project=True`, a.token);
      expect(refused.status, path).toBe(403);
      expect(message(refused)).toBe('You are not authorized to complete this operation.');
      const allowed = await api.send('GET', `${path}?global_project=True`, admin.token);
      expect(allowed.status, path).toBe(200);
      const projects = new Set((allowed.data[key] as { project: string }[]).map((i) => i.project));
      expect(projects.has(a.projectId) && projects.has(b.projectId), path).toBe(true);
    }
  });

  it('cannot list services, which admins can', async () => {
    expect((await api.send('GET', '/v1/services', a.token)).status).toBe(403);
    expect((await api.send('GET', '/v1/services', admin.token)).status).toBe(200);
  });

  it('leaves the objects of B as they were after all those attempts', async () => {
    const cluster = (await api.send('GET', `/v1/clusters/${ownB.cluster}`, b.token)).data.cluster;
    expect(cluster).toMatchObject({
      name: ownB.clusterName,
      status: 'ACTIVE',
      desired_capacity: 1,
    });
    expect(cluster.nodes).toEqual([ownB.member]);
    const bindings = await api.send('GET', `/v1/clusters/${ownB.cluster}/policies`, b.token);
    expect(bindings.data.cluster_policies).toHaveLength(1);
    expect(bindings.data.cluster_policies[0]).toMatchObject({
      policy_id: ownB.policy,
      enabled: true,
    });
    for (const [path, key, name] of [
      [`/v1/profiles/${ownB.profile}`, 'profile', 'bee-profile'],
      [`/v1/policies/${ownB.policy}`, 'policy', 'bee-policy'],
      [`/v1/nodes/${ownB.orphan}`, 'node', 'bee-orphan'],
      [`/v1/receivers/${ownB.receiver}`, 'receiver', 'bee-webhook'],
    ] as const) {
      const res = await api.send('GET', path, b.token);
      expect(res.status, path).toBe(200);
      expect(res.data[key].name, path).toBe(name);
    }
    const actions = (await api.send('GET', '/v1/actions?global_project=True', admin.token)).data
      .actions as { id: string; user: string; target: string }[];
    const onB = actions.filter((x) => [ownB.cluster, ownB.member, ownB.orphan].includes(x.target));
    expect(onB.filter((x) => x.user === a.userId)).toEqual([]);
    const original = await getAction(api.db.kysely, B.action());
    expect(original?.status).toBe('SUCCEEDED');
  });

  it('is seen by admins, who reach every object of B by id', async () => {
    for (const path of [
      `/v1/profiles/${ownB.profile}`,
      `/v1/policies/${ownB.policy}`,
      `/v1/clusters/${ownB.cluster}`,
      `/v1/nodes/${ownB.member}`,
      `/v1/receivers/${ownB.receiver}`,
      `/v1/actions/${B.action()}`,
      `/v1/events/${ownB.event}`,
    ]) {
      expect((await api.send('GET', path, admin.token)).status, path).toBe(200);
    }
    const clusters = (await api.send('GET', '/v1/clusters', admin.token)).data.clusters as {
      id: string;
    }[];
    expect(clusters.map((c) => c.id)).toEqual(expect.arrayContaining([ownA.cluster, ownB.cluster]));
  });
});

describe("webhooks of project B in the hands of project A's member", () => {
  it('cannot learn the id of a webhook of B', async () => {
    const receivers = (await api.send('GET', '/v1/receivers', a.token)).data.receivers as {
      id: string;
      channel: { alarm_url?: string };
    }[];
    expect(receivers.map((r) => r.id)).not.toContain(ownB.receiver);
    expect(JSON.stringify(receivers)).not.toContain(ownB.receiver);
    for (const path of ['/v1/clusters', '/v1/actions', '/v1/events', '/v1/nodes']) {
      const res = await api.send('GET', path, a.token);
      expect(JSON.stringify(res.data), path).not.toContain(ownB.receiver);
    }
  });

  it('cannot trigger it by name or short id, only the exact id works', async () => {
    for (const identity of [ownB.receiverName, ownB.receiver.slice(0, 8)]) {
      const res = await api.send('POST', `/v1/webhooks/${identity}/trigger?V=2`, a.token);
      expect(res.status, identity).toBe(404);
      expect(message(res)).toBe(`The receiver '${identity}' could not be found.`);
    }
  });

  it.each([
    ['with the token of A', () => a.token],
    ['without a token', () => null],
  ])('triggered %s, acts as the owner of B with the trust of B', async (_how, token) => {
    const res = await api.send('POST', triggerPath(ownB.alarmUrl), token());
    const actionId = actionOf(res);
    const action = await getAction(api.db.kysely, actionId);
    const trustOfB = await storedTrust(api, b.userId, b.projectId);
    expect(trustOfB).toEqual(expect.any(String));
    expect(action).toMatchObject({
      target: ownB.cluster,
      action: 'CLUSTER_SCALE_OUT',
      user: b.userId,
      project: b.projectId,
    });
    expect(action?.context).toMatchObject({
      user_id: b.userId,
      project_id: b.projectId,
      trusts: trustOfB,
    });
    // the action is B's: invisible to A, visible to B
    expect((await api.send('GET', `/v1/actions/${actionId}`, a.token)).status).toBe(404);
    expect((await api.send('GET', `/v1/actions/${actionId}`, b.token)).status).toBe(200);
    expect(
      (
        await api.send('PATCH', `/v1/actions/${actionId}`, a.token, {
          body: { action: { status: 'CANCELLED' } },
        })
      ).status,
    ).toBe(404);
    expect((await waitForAction(api.db, actionId)).status).toBe('SUCCEEDED');
  });
});

describe('the isolation probes', () => {
  it('cover every route that names or lists objects', () => {
    const probed = new Set([...PATH_PROBES, ...REFERENCE_PROBES].map((p) => p.route));
    // lists, adoption and webhooks have their own tests above; the rest hold no project data
    const elsewhere = new Set([
      'GET /v1/profiles',
      'GET /v1/policies',
      'GET /v1/clusters',
      'GET /v1/receivers',
      'GET /v1/actions',
      'GET /v1/events',
      'POST /v1/nodes/adopt',
      'POST /v1/nodes/adopt-preview',
      'POST /v1/webhooks/:webhook_id/trigger',
      'GET /v1/services',
    ]);
    const projectFree = new Set([
      'GET /v1/',
      'GET /v1/build-info',
      'GET /v1/profile-types',
      'GET /v1/profile-types/:type_name',
      'GET /v1/profile-types/:type_name/ops',
      'GET /v1/policy-types',
      'GET /v1/policy-types/:type_name',
      'POST /v1/profiles',
      'POST /v1/policies',
      'POST /v1/profiles/validate',
      'POST /v1/policies/validate',
      'POST /v1/actions',
    ]);
    const missing = v1Routes(api.conductor)
      .map((r) => `${r.method} ${r.url}`)
      .filter((r) => !probed.has(r) && !elsewhere.has(r) && !projectFree.has(r));
    expect(missing).toEqual([]);
  });
});
