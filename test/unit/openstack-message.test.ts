import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimIdFromHref,
  createMessageDriver,
  idFromHref,
} from '../../src/drivers/openstack/message.js';
import type { MessageDriver } from '../../src/drivers/types.js';
import type { OpenStackStub } from '../support/openstack-stub.js';
import { FAST_OPTIONS, servicesStub } from './openstack-services-stub.js';

const Q = '/zaqar/v2/queues';
const CLIENT = '7a1ed7f1-0000-4000-8000-00000000c1d0';
let stub: OpenStackStub;
let zaqar: MessageDriver;

beforeEach(async () => {
  const made = await servicesStub();
  stub = made.stub;
  zaqar = createMessageDriver(made.session, FAST_OPTIONS, CLIENT);
});

afterEach(async () => {
  await stub.close();
});

describe('the Zaqar driver', () => {
  it('sends its Client-ID with every request', async () => {
    stub.on('PUT', `${Q}/jobs`, { status: 201 });
    stub.on('DELETE', `${Q}/jobs`, { status: 204 });
    await zaqar.createQueue('jobs', { maxMessagesPostSize: 1024, description: 'work' });
    await zaqar.deleteQueue('jobs');
    const calls = stub.calls(`${Q}/jobs`);
    expect(calls.map((c) => c.headers['client-id'])).toEqual([CLIENT, CLIENT]);
    expect(calls[0]?.body).toEqual({ _max_messages_post_size: 1024, description: 'work' });
  });

  it('tells a queue exists only when the listing has that exact name', async () => {
    stub.on('GET', Q, (req) => ({
      body: {
        queues: req.query.get('name') === 'jobs' ? [{ name: 'jobs-2' }] : [{ name: 'work' }],
      },
    }));
    expect(await zaqar.queueExists('jobs')).toBe(false);
    expect(await zaqar.queueExists('work')).toBe(true);
  });

  it('returns the ids of posted messages from their hrefs', async () => {
    stub.on('POST', `${Q}/jobs/messages`, {
      status: 201,
      body: {
        resources: [`${Q.replace('/zaqar', '')}/jobs/messages/m1`, '/v2/queues/jobs/messages/m2'],
      },
    });
    expect(await zaqar.postMessages('jobs', [{ body: 1 }, { body: 2, ttl: 60 }])).toEqual([
      'm1',
      'm2',
    ]);
    expect(stub.calls(`${Q}/jobs/messages`)[0]?.body).toEqual({
      messages: [{ body: 1 }, { body: 2, ttl: 60 }],
    });
  });

  it('reads a claim from its Location and an empty queue as no claim', async () => {
    stub.on('POST', `${Q}/jobs/claims`, {
      status: 201,
      headers: { Location: '/v2/queues/jobs/claims/c-9' },
      body: {
        messages: [{ href: '/v2/queues/jobs/messages/m1?claim_id=c-9', body: { a: 1 }, ttl: 300 }],
      },
    });
    stub.on('POST', `${Q}/idle/claims`, { status: 204 });
    expect(await zaqar.claimMessages('jobs', { limit: 5, ttl: 60, grace: 30 })).toEqual({
      claimId: 'c-9',
      messages: [{ id: 'm1', body: { a: 1 }, ttl: 300 }],
    });
    const [claim] = stub.calls(`${Q}/jobs/claims`);
    expect([claim?.query.get('limit'), claim?.body]).toEqual(['5', { ttl: 60, grace: 30 }]);
    expect(await zaqar.claimMessages('idle')).toEqual({ claimId: null, messages: [] });
  });

  it('deletes a claimed message with its claim id', async () => {
    stub.on('DELETE', `${Q}/jobs/messages/m1`, { status: 204 });
    await zaqar.deleteMessage('jobs', 'm1', 'c-9');
    expect(stub.calls(`${Q}/jobs/messages/m1`)[0]?.query.get('claim_id')).toBe('c-9');
  });
});

describe('Zaqar hrefs', () => {
  it('give the last path segment as id and the claim_id parameter', () => {
    expect(idFromHref('/v2/queues/q/messages/abc?claim_id=c1')).toBe('abc');
    expect(claimIdFromHref('/v2/queues/q/messages/abc?claim_id=c1')).toBe('c1');
    expect(claimIdFromHref('/v2/queues/q/messages/abc')).toBeNull();
  });
});
