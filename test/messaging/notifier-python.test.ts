/**
 * Senlin's notifications as an oslo.messaging consumer sees them: a Python listener
 * (python3-oslo.messaging) on a real RabbitMQ decodes what the notifier publishes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { createNotifier } from '../../src/messaging/notifier.js';
import { clusterActionPayload } from '../../src/messaging/senlin-objects.js';
import {
  cleanUpBroker,
  pythonPeersAvailable,
  rabbitAvailable,
  runPython,
  TRANSPORT_URL,
  testLogger,
  topicQueues,
  uniqueName,
} from './support.js';

const available = (await rabbitAvailable()) && pythonPeersAvailable();

const CLUSTER = {
  id: '7d85f602-a948-4a30-afd4-e84f47471c15',
  name: 'web',
  profileId: 'a8ea44e5-b4d6-4a2d-91c3-28f1a54a2a76',
  initAt: new Date('2026-11-25T08:49:45.123Z'),
  createdAt: new Date('2026-11-25T08:49:50Z'),
  updatedAt: null,
  minSize: 1,
  maxSize: 5,
  desiredCapacity: 2,
  timeout: 3600,
  status: 'ACTIVE',
  statusReason: 'Cluster creation succeeded.',
  metadata: { tier: 'web' },
  data: {},
  user: 'u1',
  project: 'p1',
  domain: null,
  dependents: {},
};

const ACTION = {
  id: '0b8f5a2e-1f47-4f0e-8e0c-3b3f0d7e9a11',
  name: 'cluster_scale_out_7d85f602',
  createdAt: new Date('2026-11-25T08:50:00Z'),
  target: CLUSTER.id,
  action: 'CLUSTER_SCALE_OUT',
  startTime: 1795596600.5,
  endTime: null,
  timeout: 3600,
  status: 'RUNNING',
  statusReason: '',
  inputs: { count: 1 },
  outputs: {},
  data: {},
  user: 'u1',
  project: 'p1',
};

describe.skipIf(!available)('notifications read by a Python oslo.messaging listener', () => {
  const names = { queues: [] as string[], exchanges: [] as string[] };
  afterEach(async () => {
    await cleanUpBroker({ queues: names.queues.splice(0), exchanges: names.exchanges.splice(0) });
  });

  function setUp(extra: { driver?: string[] } = {}) {
    const exchange = uniqueName('senlin_test_x');
    const topic = uniqueName('senlin_test_t');
    names.exchanges.push(exchange);
    names.queues.push(...topicQueues(topic));
    const config = defaultConfig({
      DEFAULT: {
        host: 'engine-7',
        transport_url: TRANSPORT_URL,
        control_exchange: exchange,
        notification_topics: [topic],
      },
      ...(extra.driver ? { oslo_messaging_notifications: { driver: extra.driver } } : {}),
    });
    return { exchange, topic, config };
  }

  function listen(exchange: string, topic: string, count = 1) {
    return runPython('listen.py', [
      `--url=${TRANSPORT_URL}`,
      `--exchange=${exchange}`,
      `--topic=${topic}`,
      `--count=${count}`,
      '--timeout=25',
    ]);
  }

  it('decodes an action notification with its envelope, context and versioned payload', async () => {
    const { exchange, topic, config } = setUp();
    const listener = listen(exchange, topic);
    await listener.waitFor((l) => l.ready === true);
    const notifier = createNotifier(config, testLogger());
    notifier.notify({
      eventType: 'cluster.scale_out.start',
      priority: 'info',
      payload: clusterActionPayload(CLUSTER, ACTION),
      context: { user_id: 'u1', project_id: 'p1', request_id: 'req-1', auth_token: 'secret' },
    });
    await notifier.close();
    const got = await listener.waitFor((l) => 'event_type' in l);
    expect(await listener.exited).toBe(0);
    expect(got.event_type).toBe('cluster.scale_out.start');
    expect(got.priority).toBe('info');
    expect(got.publisher_id).toBe('senlin-engine:engine-7');
    expect(got.context).toMatchObject({ user_id: 'u1', project_id: 'p1', request_id: 'req-1' });
    expect(got.context).not.toHaveProperty('auth_token');
    const metadata = got.metadata as Record<string, string>;
    expect(metadata.message_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(metadata.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    const payload = got.payload as Record<string, any>;
    expect(payload['senlin_object.name']).toBe('ClusterActionPayload');
    expect(payload['senlin_object.namespace']).toBe('senlin');
    const data = payload['senlin_object.data'];
    expect(data.exception).toBeNull();
    expect(data.cluster['senlin_object.data']).toMatchObject({
      id: CLUSTER.id,
      name: 'web',
      init_at: '2026-11-25T08:49:45Z',
      updated_at: null,
      desired_capacity: 2,
      metadata: '{"tier":"web"}',
    });
    expect(data.action['senlin_object.data']).toMatchObject({
      id: ACTION.id,
      action: 'CLUSTER_SCALE_OUT',
      start_time: 1795596600.5,
      inputs: '{"count":1}',
    });
  });

  it('routes each priority to its own routing key', async () => {
    const { exchange, topic, config } = setUp();
    const listener = listen(exchange, topic, 2);
    await listener.waitFor((l) => l.ready === true);
    const notifier = createNotifier(config, testLogger());
    notifier.notify({ eventType: 'node.create.error', priority: 'error', payload: { n: 1 } });
    notifier.notify({ eventType: 'cluster.update.error', priority: 'warn', payload: { n: 2 } });
    await notifier.close();
    expect(await listener.exited).toBe(0);
    const byType = Object.fromEntries(listener.lines.slice(1).map((l) => [l.event_type, l]));
    expect(byType['node.create.error']).toMatchObject({ priority: 'error', payload: { n: 1 } });
    expect(byType['cluster.update.error']).toMatchObject({ priority: 'warn', payload: { n: 2 } });
  });

  it('also speaks message format 1.0 (driver messaging)', async () => {
    const { exchange, topic, config } = setUp({ driver: ['messaging'] });
    const listener = listen(exchange, topic);
    await listener.waitFor((l) => l.ready === true);
    const notifier = createNotifier(config, testLogger());
    notifier.notify({ eventType: 'cluster.delete.end', priority: 'info', payload: { id: 'c1' } });
    await notifier.close();
    const got = await listener.waitFor((l) => 'event_type' in l);
    expect(got).toMatchObject({ event_type: 'cluster.delete.end', payload: { id: 'c1' } });
  });

  it('keeps notifications in RabbitMQ until a listener comes', async () => {
    const { exchange, topic, config } = setUp();
    const notifier = createNotifier(config, testLogger());
    notifier.notify({
      eventType: 'cluster.create.end',
      priority: 'info',
      payload: { early: true },
    });
    await notifier.close();
    const listener = listen(exchange, topic);
    const got = await listener.waitFor((l) => 'event_type' in l);
    expect(got.payload).toEqual({ early: true });
  });

  it('sends nothing when the notification driver is noop', async () => {
    const { config } = setUp({ driver: ['noop'] });
    const notifier = createNotifier(config, testLogger());
    expect(notifier.enabled).toBe(false);
    notifier.notify({ eventType: 'cluster.create.end', priority: 'info', payload: {} });
    await notifier.close();
  });
});
