import { describe, expect, it } from 'vitest';
import { newId } from '../../src/common/ids.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import type { EventRecord } from '../../src/db/queries/events.js';
import { insertEvent } from '../../src/db/queries/events.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import type { Caller } from './harness.js';
import { ADMIN, ALT, DEMO, errorMessage, NOVA_SPEC, startApi } from './harness.js';

const api = await startApi();

const profileId = newId();
await insertProfile(api.db.kysely, {
  id: profileId,
  name: 'p-events',
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

async function makeCluster(name: string): Promise<string> {
  const id = newId();
  await insertCluster(api.db.kysely, {
    id,
    name,
    profileId,
    user: 'demo-user',
    project: 'demo',
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

let clock = Date.UTC(2026, 1, 1, 10, 0, 0, 123);

async function makeEvent(values: Partial<EventRecord> = {}, as: Caller = DEMO) {
  clock += 1000;
  const event: EventRecord = {
    id: newId(),
    timestamp: new Date(clock),
    oid: newId(),
    oname: 'c1',
    otype: 'CLUSTER',
    clusterId: null,
    level: 20,
    user: as.user ?? null,
    project: as.project ?? null,
    action: 'CLUSTER_CREATE',
    status: 'start',
    statusReason: 'started',
    metadata: {},
    ...values,
  };
  await insertEvent(api.db.kysely, event);
  return event;
}

const clusterId = await makeCluster('events-cluster');
const info = await makeEvent({ oid: clusterId, clusterId, oname: 'events-cluster' });
const failure = await makeEvent({
  oid: clusterId,
  clusterId,
  level: 40,
  status: 'error',
  statusReason: 'boom',
  metadata: { k: 'v' },
});
const other = await makeEvent({ otype: 'NODE', oname: 'n1', action: 'NODE_CREATE' });

describe('event show', () => {
  it('shows the event with its level by name and the time with +00:00', async () => {
    const res = await api.call('GET', `/v1/events/${failure.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.data.event).toEqual({
      id: failure.id,
      timestamp: new Date(failure.timestamp.getTime() - 123)
        .toISOString()
        .replace('.000Z', '+00:00'),
      oid: clusterId,
      oname: 'c1',
      otype: 'CLUSTER',
      cluster_id: clusterId,
      level: 'ERROR',
      user: 'demo-user',
      project: 'demo',
      action: 'CLUSTER_CREATE',
      status: 'error',
      status_reason: 'boom',
      meta_data: { k: 'v' },
      cluster: null,
    });
  });

  it('finds an event by short id', async () => {
    const res = await api.call('GET', `/v1/events/${info.id.slice(0, 8)}`);
    expect(res.data.event.id).toBe(info.id);
  });

  it('does not find events by name', async () => {
    const res = await api.call('GET', '/v1/events/events-cluster');
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe("The event 'events-cluster' could not be found.");
  });

  it('answers 404 for an unknown event', async () => {
    const id = '318ae275-ed68-48f5-9151-523085107112';
    const res = await api.call('GET', `/v1/events/${id}`);
    expect(res.statusCode).toBe(404);
    expect(errorMessage(res)).toBe(`The event '${id}' could not be found.`);
  });

  it('hides events of other projects from members', async () => {
    expect((await api.call('GET', `/v1/events/${info.id}`, { as: ALT })).statusCode).toBe(404);
    expect((await api.call('GET', `/v1/events/${info.id}`, { as: ADMIN })).statusCode).toBe(200);
  });
});

describe('event list', () => {
  it('lists the project events in time order', async () => {
    const res = await api.call('GET', '/v1/events');
    expect(res.statusCode).toBe(200);
    expect(res.data.events.map((e: any) => e.id)).toEqual([info.id, failure.id, other.id]);
  });

  it('filters by oid', async () => {
    const res = await api.call('GET', '/v1/events', { query: { oid: clusterId } });
    expect(res.data.events.map((e: any) => e.id)).toEqual([info.id, failure.id]);
  });

  it('filters by level name', async () => {
    const res = await api.call('GET', '/v1/events', { query: { level: 'ERROR' } });
    expect(res.data.events.map((e: any) => e.id)).toEqual([failure.id]);
  });

  it('filters by otype, oname and action', async () => {
    const res = await api.call('GET', '/v1/events', {
      query: { otype: 'NODE', oname: 'n1', action: 'NODE_CREATE' },
    });
    expect(res.data.events.map((e: any) => e.id)).toEqual([other.id]);
  });

  it('resolves cluster_id filters by name', async () => {
    const res = await api.call('GET', '/v1/events', { query: { cluster_id: 'events-cluster' } });
    expect(res.data.events.map((e: any) => e.id)).toEqual([info.id, failure.id]);
  });

  it('answers an empty list for a cluster that does not exist', async () => {
    const res = await api.call('GET', '/v1/events', { query: { cluster_id: 'no-such-cluster' } });
    expect(res.statusCode).toBe(200);
    expect(res.data.events).toEqual([]);
  });

  it('sorts by level descending', async () => {
    const res = await api.call('GET', '/v1/events', { query: { sort: 'level:desc', limit: '1' } });
    expect(res.data.events.map((e: any) => e.level)).toEqual(['ERROR']);
  });

  it('filters on a level range from 1.15', async () => {
    const res = await api.call('GET', '/v1/events', {
      query: { level: 'gte:WARN' },
      version: '1.15',
    });
    expect(res.data.events.map((e: any) => e.id)).toEqual([failure.id]);
  });

  it('shows each member only the events of its project', async () => {
    await makeEvent({ oname: 'alt-event' }, ALT);
    const alt = await api.call('GET', '/v1/events', { as: ALT });
    expect(alt.data.events.map((e: any) => e.oname)).toEqual(['alt-event']);
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
    [{ level: "['bad-level']" }, 400, "Field value ['bad-level'] is invalid"],
    [{ level: '20' }, 400, 'Field value 20 is invalid'],
    [{ action: "['bad-action']" }, 400, "Field value ['bad-action'] is invalid"],
  ])('answers %j with %i: %s', async (query, status, message) => {
    const res = await api.call('GET', '/v1/events', { query });
    expect(res.statusCode).toBe(status);
    expect(errorMessage(res)).toBe(message);
  });
});
