import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFakeCloud,
  type FakeCloud,
  type PostedMessages,
} from '../../src/drivers/fake/index.js';
import { type CloudDrivers, CloudError, CloudNotFound } from '../../src/drivers/types.js';

const creds = { userId: 'user-1', projectId: 'project-1' };
let cloud: FakeCloud;
let d: CloudDrivers;

beforeEach(() => {
  cloud = createFakeCloud({ clusteringEndpoint: 'http://senlin.example:8777/v1' });
  d = cloud.drivers(creds);
});
afterEach(() => cloud.close());

function statusOf(error: unknown): number | undefined {
  return error instanceof CloudError ? error.status : undefined;
}

describe('fake Keystone', () => {
  it('lists RegionOne and RegionTwo', async () => {
    expect(await d.identity.listRegions()).toEqual(['RegionOne', 'RegionTwo']);
  });

  it('reports the clustering endpoint it was given', async () => {
    expect(await d.identity.clusteringEndpoint()).toBe('http://senlin.example:8777/v1');
  });

  it('reports no clustering endpoint by default', async () => {
    const plain = createFakeCloud();
    expect(await plain.drivers(creds).identity.clusteringEndpoint()).toBeNull();
    await plain.close();
  });

  it('creates, finds and deletes a trust', async () => {
    const trustee = await d.identity.serviceUserId();
    const trust = await d.identity.createTrust({
      trustorUserId: 'user-1',
      trusteeUserId: trustee,
      projectId: 'project-1',
      roles: ['member'],
    });
    expect(trust).toMatchObject({ impersonation: true, roles: [{ name: 'member' }] });
    expect((await d.identity.findTrust('user-1', trustee, 'project-1'))?.id).toBe(trust.id);
    expect(await d.identity.findTrust('user-1', trustee, 'project-2')).toBeNull();
    expect(cloud.listAllTrusts()).toHaveLength(1);
    await d.identity.deleteTrust(trust.id);
    expect(await d.identity.findTrust('user-1', trustee, 'project-1')).toBeNull();
    await expect(d.identity.deleteTrust(trust.id)).rejects.toBeInstanceOf(CloudNotFound);
  });

  it('refuses a trust without roles', async () => {
    const error = await d.identity
      .createTrust({ trustorUserId: 'u', trusteeUserId: 't', projectId: 'p', roles: [] })
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('uses the service user id it was given', async () => {
    const other = createFakeCloud({ serviceUserId: 'svc' });
    expect(await other.drivers(creds).identity.serviceUserId()).toBe('svc');
    await other.close();
  });
});

describe('fake Zaqar queues and subscriptions', () => {
  it('creates a queue once and deletes it', async () => {
    await d.message.createQueue('q1', { maxMessagesPostSize: 100, description: 'test' });
    await d.message.createQueue('q1');
    expect(await d.message.queueExists('q1')).toBe(true);
    await d.message.deleteQueue('q1');
    expect(await d.message.queueExists('q1')).toBe(false);
  });

  it('refuses a queue name with invalid characters', async () => {
    expect(statusOf(await d.message.createQueue('bad name!').catch((e: unknown) => e))).toBe(400);
  });

  it('subscribes once per subscriber and refuses unknown schemes', async () => {
    await d.message.createQueue('q1');
    const body = {
      subscriber: 'trust+http://senlin/v1/receivers/r/notify',
      ttl: 3600,
      options: {},
    };
    const id = await d.message.createSubscription('q1', body);
    expect(id).toEqual(expect.any(String));
    expect(statusOf(await d.message.createSubscription('q1', body).catch((e: unknown) => e))).toBe(
      409,
    );
    const ftp = { ...body, subscriber: 'ftp://x' };
    expect(statusOf(await d.message.createSubscription('q1', ftp).catch((e: unknown) => e))).toBe(
      400,
    );
    await d.message.deleteSubscription('q1', id);
    await expect(d.message.createSubscription('q1', body)).resolves.toEqual(expect.any(String));
  });

  it('tells listeners about posted messages with the subscribers', async () => {
    await d.message.createQueue('q1');
    await d.message.createSubscription('q1', { subscriber: 'http://hook', ttl: 3600, options: {} });
    const seen: PostedMessages[] = [];
    const stop = cloud.onMessagesPosted((event) => seen.push(event));
    const ids = await d.message.postMessages('q1', [{ body: { n: 1 } }]);
    stop();
    await d.message.postMessages('q1', [{ body: { n: 2 } }]);
    expect(seen).toEqual([
      { queue: 'q1', subscribers: ['http://hook'], messages: [{ id: ids[0], body: { n: 1 } }] },
    ]);
  });
});

describe('fake Zaqar messages and claims', () => {
  it('posts messages to a queue made on first use', async () => {
    const ids = await d.message.postMessages('lazy', [{ body: 'a' }, { body: 'b', ttl: 120 }]);
    expect(ids).toHaveLength(2);
    expect(await d.message.queueExists('lazy')).toBe(true);
    expect(cloud.listQueueMessages('lazy').map((m) => [m.body, m.ttl])).toEqual([
      ['a', 3600],
      ['b', 120],
    ]);
  });

  it('refuses a post larger than the queue allows', async () => {
    await d.message.createQueue('small', { maxMessagesPostSize: 10 });
    const error = await d.message
      .postMessages('small', [{ body: 'x'.repeat(50) }])
      .catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('refuses a message TTL below 60 seconds', async () => {
    const error = await d.message.postMessages('q', [{ body: 1, ttl: 5 }]).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(400);
  });

  it('claims messages oldest first and hides them from a second claim', async () => {
    await d.message.postMessages('q', [{ body: 1 }, { body: 2 }, { body: 3 }]);
    const first = await d.message.claimMessages('q', { limit: 2 });
    expect(first.claimId).toEqual(expect.any(String));
    expect(first.messages.map((m) => m.body)).toEqual([1, 2]);
    const second = await d.message.claimMessages('q');
    expect(second.messages.map((m) => m.body)).toEqual([3]);
    expect(await d.message.claimMessages('q')).toEqual({ claimId: null, messages: [] });
  });

  it('returns no claim for an empty or unknown queue', async () => {
    expect(await d.message.claimMessages('never')).toEqual({ claimId: null, messages: [] });
  });

  it('deletes a claimed message only with its claim', async () => {
    const [id] = await d.message.postMessages('q', [{ body: 'x' }]);
    const claim = await d.message.claimMessages('q');
    const error = await d.message.deleteMessage('q', String(id)).catch((e: unknown) => e);
    expect(statusOf(error)).toBe(403);
    await d.message.deleteMessage('q', String(id), claim.claimId);
    expect(cloud.listQueueMessages('q')).toEqual([]);
  });

  it('deletes an unclaimed message without a claim', async () => {
    const [id] = await d.message.postMessages('q', [{ body: 'x' }]);
    await d.message.deleteMessage('q', String(id));
    expect(cloud.listQueueMessages('q')).toEqual([]);
  });

  it('releases messages when their claim is deleted', async () => {
    await d.message.postMessages('q', [{ body: 'x' }]);
    const claim = await d.message.claimMessages('q');
    expect(cloud.listQueueMessages('q')[0]?.claimed).toBe(true);
    await d.message.deleteClaim('q', String(claim.claimId));
    expect(cloud.listQueueMessages('q')[0]?.claimed).toBe(false);
    expect((await d.message.claimMessages('q')).messages).toHaveLength(1);
  });

  it('refuses a claim limit above 20', async () => {
    expect(
      statusOf(await d.message.claimMessages('q', { limit: 21 }).catch((e: unknown) => e)),
    ).toBe(400);
  });

  it('drops the messages of a deleted queue', async () => {
    await d.message.postMessages('q', [{ body: 'x' }]);
    await d.message.deleteQueue('q');
    expect(cloud.listQueueMessages('q')).toEqual([]);
  });
});
