import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { NoAuthAuthenticator } from '../../src/api/auth/index.js';
import { PolicyEnforcer } from '../../src/api/policy/index.js';
import { newId } from '../../src/common/ids.js';
import { createConductor } from '../../src/conductor/index.js';
import { getAction } from '../../src/db/queries/actions.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import { getReceiver } from '../../src/db/queries/receivers.js';
import type {
  CloudBackend,
  CloudDrivers,
  IdentityDriver,
  MessageDriver,
  QueueMessage,
} from '../../src/drivers/types.js';
import { CloudError } from '../../src/drivers/types.js';
import { ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

/** An in-memory Zaqar and the few Keystone calls message receivers make. */
class FakeZaqar {
  readonly queues = new Map<string, { options: unknown; messages: QueueMessage[] }>();
  readonly subscriptions = new Map<string, { queue: string; body: Record<string, unknown> }>();
  readonly trusts: { id: string; trustorUserId: string; trusteeUserId: string; roles: string[] }[] =
    [];
  readonly deletedClaims: string[] = [];
  failQueueCreate = false;

  readonly message: MessageDriver = {
    createQueue: async (name, options) => {
      if (this.failQueueCreate) throw new CloudError(503, 'Zaqar is down');
      this.queues.set(name, { options, messages: [] });
    },
    queueExists: async (name) => this.queues.has(name),
    deleteQueue: async (name) => {
      this.queues.delete(name);
    },
    createSubscription: async (queue, body) => {
      const id = `sub-${this.subscriptions.size + 1}`;
      this.subscriptions.set(id, { queue, body });
      return id;
    },
    deleteSubscription: async (_queue, id) => {
      this.subscriptions.delete(id);
    },
    postMessages: async (queue, messages) => {
      const q = this.queues.get(queue);
      const ids = messages.map(() => newId());
      q?.messages.push(...messages.map((m, i) => ({ id: ids[i] ?? '', body: m.body })));
      return ids;
    },
    claimMessages: async (queue) => {
      const q = this.queues.get(queue);
      return { claimId: q?.messages.length ? 'claim-1' : null, messages: [...(q?.messages ?? [])] };
    },
    deleteMessage: async (queue, id) => {
      const q = this.queues.get(queue);
      if (q) q.messages = q.messages.filter((m) => m.id !== id);
    },
    deleteClaim: async (_queue, claimId) => {
      this.deletedClaims.push(claimId);
    },
  };

  readonly identity: IdentityDriver = {
    listRegions: async () => [],
    clusteringEndpoint: async () => 'http://cloud.example/cluster',
    findTrust: async (trustor, trustee) =>
      this.trusts.find((t) => t.trustorUserId === trustor && t.trusteeUserId === trustee) ?? null,
    createTrust: async (body) => {
      const trust = { id: `trust-${this.trusts.length + 1}`, ...body, roles: [...body.roles] };
      this.trusts.push(trust);
      return trust;
    },
    serviceUserId: async () => 'senlin-service-user',
    deleteTrust: async (id) => {
      const at = this.trusts.findIndex((t) => t.id === id);
      if (at >= 0) this.trusts.splice(at, 1);
    },
  };

  backend(): CloudBackend {
    return {
      name: 'zaqar-test',
      drivers: () =>
        ({ identity: this.identity, message: this.message }) as unknown as CloudDrivers,
      close: async () => {},
    };
  }
}

const base = await startApi();
const zaqar = new FakeZaqar();
const conductor = createConductor({ ...base.conductor.deps, backend: zaqar.backend() });
const app = await buildApp({
  config: base.conductor.deps.config,
  authenticator: new NoAuthAuthenticator(),
  enforcer: PolicyEnforcer.load({
    policyFile: null,
    policyDirs: [],
    configDir: null,
    defaultRule: 'default',
  }),
  conductor,
});

async function call(
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  options: { body?: unknown; as?: typeof DEMO; headers?: Record<string, string> } = {},
) {
  const as = options.as ?? DEMO;
  const res = await app.inject({
    method,
    url,
    headers: {
      accept: 'application/json',
      'openstack-api-version': 'clustering latest',
      'x-user-id': as.user ?? '',
      'x-project-id': as.project ?? '',
      'x-roles': (as.roles ?? []).join(','),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  return Object.assign(res, { data: res.body ? JSON.parse(res.body) : undefined });
}

async function makeCluster(name: string, owner = DEMO): Promise<string> {
  const profileId = newId();
  await insertProfile(base.db.kysely, {
    id: profileId,
    name: 'p',
    type: 'os.nova.server-1.0',
    context: {},
    spec: NOVA_SPEC,
    user: owner.user ?? '',
    project: owner.project ?? '',
    domain: null,
    metadata: {},
    createdAt: new Date(),
    updatedAt: null,
  });
  const id = newId();
  await insertCluster(base.db.kysely, {
    id,
    name,
    profileId,
    user: owner.user ?? '',
    project: owner.project ?? '',
    domain: null,
    parent: null,
    initAt: new Date(),
    createdAt: null,
    updatedAt: null,
    minSize: 0,
    maxSize: -1,
    desiredCapacity: 0,
    nextIndex: 1,
    timeout: 120,
    status: 'ACTIVE',
    statusReason: '',
    metadata: {},
    data: {},
    dependents: {},
    config: {},
  });
  return id;
}

async function createMessageReceiver(name: string) {
  const res = await call('POST', '/v1/receivers', {
    body: { receiver: { name, type: 'message', cluster_id: 'ignored', action: 'CLUSTER_CHECK' } },
    as: { user: 'demo-user', project: 'demo', roles: ['admin', 'member'] },
    headers: { 'x-trust-id': 'trust-demo' },
  });
  expect(res.statusCode).toBe(201);
  return res.data.receiver;
}

describe('message receiver create', () => {
  it('creates the queue and answers with its name, hiding the subscription', async () => {
    const r = await createMessageReceiver('mq-1');
    expect(r).toMatchObject({
      type: 'message',
      cluster_id: null,
      action: null,
      actor: { trust_id: 'trust-demo' },
      channel: { queue_name: `senlin-receiver-${r.id}` },
    });
    expect(r.channel).not.toHaveProperty('subscription');
    expect(zaqar.queues.get(`senlin-receiver-${r.id}`)?.options).toEqual({
      maxMessagesPostSize: 65535,
      description: `Senlin receiver ${r.id}.`,
    });
    const shown = await call('GET', `/v1/receivers/${r.id}`);
    expect(shown.data.receiver.channel).toEqual({ queue_name: `senlin-receiver-${r.id}` });
  });

  it('subscribes the notify URL with a trust to the Zaqar user, without the admin role', async () => {
    const r = await createMessageReceiver('mq-2');
    const stored = await getReceiver(base.db.kysely, r.id);
    const subscription = zaqar.subscriptions.get(String(stored?.channel.subscription));
    expect(subscription?.queue).toBe(`senlin-receiver-${r.id}`);
    expect(subscription?.body).toEqual({
      subscriber: `trust+http://cloud.example/cluster/v1/receivers/${r.id}/notify`,
      ttl: 2 ** 36,
      options: { trust_id: 'trust-1' },
    });
    expect(zaqar.trusts[0]).toMatchObject({
      trustorUserId: 'demo-user',
      trusteeUserId: 'senlin-service-user',
      roles: ['member'],
    });
  });

  it('reports a queue that cannot be created as a 500 and stores nothing', async () => {
    zaqar.failQueueCreate = true;
    try {
      const res = await call('POST', '/v1/receivers', {
        body: { receiver: { name: 'mq-broken', type: 'message' } },
      });
      expect(res.statusCode).toBe(500);
      expect(res.data.error.type).toBe('EResourceCreation');
      expect(errorMessage(res)).toBe('Failed in creating queue: Zaqar is down.');
      const list = await call('GET', '/v1/receivers?name=mq-broken');
      expect(list.data.receivers).toEqual([]);
    } finally {
      zaqar.failQueueCreate = false;
    }
  });
});

describe('message receiver notify', () => {
  it('starts one action per valid message as the receiver owner and empties the queue', async () => {
    const clusterId = await makeCluster('mq-target');
    const altCluster = await makeCluster('mq-alt', { user: 'someone', project: 'demo' });
    const r = await createMessageReceiver('mq-notify');
    const queue = `senlin-receiver-${r.id}`;
    const [goodId] = await zaqar.message.postMessages(queue, [
      { body: { cluster: 'mq-target', action: 'CLUSTER_SCALE_OUT', params: { count: 2 } } },
      { body: { cluster: 'mq-target' } },
      { body: { cluster: 'no-such-cluster', action: 'CLUSTER_CHECK' } },
      { body: { cluster: 'mq-target', action: 'NODE_CREATE' } },
      { body: {} },
      { body: { cluster: altCluster, action: 'CLUSTER_CHECK' } },
    ]);
    const res = await call('POST', `/v1/receivers/${r.id}/notify`, { body: { ignored: true } });
    expect(res.statusCode).toBe(204);
    expect(zaqar.queues.get(queue)?.messages).toEqual([]);
    expect(zaqar.deletedClaims).toContain('claim-1');
    const actions = await base.db.kysely
      .selectFrom('action')
      .selectAll()
      .where('name', 'like', `receiver_${r.id.slice(0, 8)}_%`)
      .execute();
    expect(actions).toHaveLength(1);
    const action = await getAction(base.db.kysely, actions[0]?.id ?? '');
    expect(action).toMatchObject({
      name: `receiver_${r.id.slice(0, 8)}_${goodId?.slice(0, 8)}`,
      action: 'CLUSTER_SCALE_OUT',
      target: clusterId,
      clusterId,
      inputs: { count: 2 },
      status: 'READY',
      timeout: 120,
      user: 'demo-user',
      project: 'demo',
    });
  });

  it('answers 204 when the queue is empty', async () => {
    const r = await createMessageReceiver('mq-empty');
    const res = await call('POST', `/v1/receivers/${r.id}/notify`);
    expect(res.statusCode).toBe(204);
  });

  it('refuses a caller that does not own the receiver', async () => {
    const r = await createMessageReceiver('mq-owned');
    const res = await call('POST', `/v1/receivers/${r.id}/notify`, {
      as: { user: 'colleague', project: 'demo', roles: ['member'] },
    });
    expect(res.statusCode).toBe(403);
  });

  it('hides the receiver from other projects', async () => {
    const r = await createMessageReceiver('mq-hidden');
    const res = await call('POST', `/v1/receivers/${r.id}/notify`, { as: ALT });
    expect(res.statusCode).toBe(404);
  });
});

describe('message receiver delete', () => {
  it('deletes the subscription and the queue with the receiver', async () => {
    const r = await createMessageReceiver('mq-delete');
    const stored = await getReceiver(base.db.kysely, r.id);
    const res = await call('DELETE', `/v1/receivers/${r.id}`);
    expect(res.statusCode).toBe(204);
    expect(zaqar.queues.has(`senlin-receiver-${r.id}`)).toBe(false);
    expect(zaqar.subscriptions.has(String(stored?.channel.subscription))).toBe(false);
    expect(await getReceiver(base.db.kysely, r.id)).toBeUndefined();
  });
});

describe('receiver URLs from the catalog', () => {
  it('builds webhook URLs on the clustering endpoint with /v1 added', async () => {
    const clusterId = await makeCluster('url-cluster');
    const res = await call('POST', '/v1/receivers', {
      body: {
        receiver: { name: 'wh', type: 'webhook', cluster_id: clusterId, action: 'CLUSTER_CHECK' },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.data.receiver.channel.alarm_url).toBe(
      `http://cloud.example/cluster/v1/webhooks/${res.data.receiver.id}/trigger?V=2`,
    );
  });
});
