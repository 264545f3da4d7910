/**
 * A RabbitMQ restart in the middle of work, on a private broker: the engine goes on while the
 * broker is down, the notifications it published meanwhile are delivered once the broker is
 * back, and the notification listener reconnects (and says so) and receives again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineServices } from '../../src/engine/services.js';
import type { AmqpNotificationSource } from '../../src/messaging/amqp-source.js';
import { createAmqpNotificationSource } from '../../src/messaging/amqp-source.js';
import { createNotifier } from '../../src/messaging/notifier.js';
import type { Notifier } from '../../src/messaging/outgoing.js';
import type { ResourceEvent } from '../../src/messaging/types.js';
import { openFresh, testDialects } from '../db/dialects.js';
import { createProfile, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';
import { PrivateBroker, privateBrokerAvailable } from './private-broker.js';
import {
  eventually,
  publishFromPython,
  pythonPeersAvailable,
  rabbitAvailable,
  runPython,
  testLogger,
  uniqueHost,
  uniqueName,
} from './support.js';

// The private broker needs the rabbitmq-server package, which a machine with the shared
// broker has; without either the suite is skipped (or fails under SENLIN_TEST_REQUIRE_RABBIT).
const available = (await rabbitAvailable()) && privateBrokerAvailable() && pythonPeersAvailable();
const sqlite = (await testDialects()).find((d) => d.name === 'sqlite');

describe.skipIf(!available)('a RabbitMQ restart', () => {
  const exchange = uniqueName('senlin_test_x');
  const topic = uniqueName('senlin_test_t');
  const nova = uniqueName('senlin_test_nova');
  const novaTopic = uniqueName('senlin_test_vn');
  let broker: PrivateBroker;
  let notifier: Notifier;
  let source: AmqpNotificationSource;
  let svc: EngineServices;
  let engine: Engine;
  let db: Db;
  const events: ResourceEvent[] = [];
  let reconnects = 0;

  beforeAll(async () => {
    if (!sqlite) throw new Error('no SQLite dialect');
    broker = await PrivateBroker.start();
    const config = testConfig({
      DEFAULT: {
        host: uniqueHost('restart'),
        transport_url: broker.transportUrl,
        control_exchange: exchange,
        notification_topics: [topic],
        event_dispatchers: ['database', 'message'],
      },
      health_manager: { nova_control_exchange: nova, nova_notification_topic: novaTopic },
      oslo_messaging_rabbit: {
        rabbit_retry_interval: 1,
        rabbit_retry_backoff: 0,
        rabbit_interval_max: 1,
      },
    });
    notifier = createNotifier(config, testLogger());
    const created = createAmqpNotificationSource(config, testLogger());
    if (!created) throw new Error('no notification source');
    source = created;
    source.subscribe((e) => {
      events.push(e);
    });
    source.onReconnect(() => {
      reconnects++;
    });
    await source.whenConsuming();
    db = await openFresh(sqlite);
    svc = { ...testServices(db, { config }), notifier };
    engine = await startEngine(svc);
  }, 90_000);

  afterAll(async () => {
    await engine?.stop();
    await notifier?.close();
    await source?.close();
    await broker?.destroy();
  }, 60_000);

  async function novaEvent(uuid: string): Promise<void> {
    await publishFromPython({
      url: broker.transportUrl,
      exchange: nova,
      topic: novaTopic,
      publisherId: 'nova-compute:c1',
      eventType: 'instance.delete.end',
      payload: { 'nova_object.data': { uuid, tenant_id: 'p1', state: 'deleted', metadata: {} } },
    });
  }

  it('loses no notification and stops neither the engine nor the listener', async () => {
    await novaEvent('server-before');
    await eventually(() => events.some((e) => e.physicalId === 'server-before'));

    await broker.stop();
    // The engine works on while the broker is down; its events are queued in memory.
    const profileId = await createProfile(svc);
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 1,
    });
    const created = await waitForAction(db, actionId);
    expect(created.status, created.statusReason).toBe('SUCCEEDED');
    expect(source.consuming).toBe(false);

    await broker.resume();
    await eventually(() => reconnects === 1, 30_000, 'the listener to reconnect');
    await source.whenConsuming();

    // What the engine published during the outage reaches an oslo.messaging listener.
    const listener = runPython('listen.py', [
      `--url=${broker.transportUrl}`,
      `--exchange=${exchange}`,
      `--topic=${topic}`,
      '--count=2',
      '--timeout=30',
    ]);
    expect(await listener.exited).toBe(0);
    const received = listener.lines.filter((l) => 'event_type' in l);
    expect(received.map((l) => l.event_type)).toEqual([
      'cluster.create.start',
      'cluster.create.end',
    ]);
    const payload = received[1]?.payload as Record<string, any>;
    expect(payload['senlin_object.data'].cluster['senlin_object.data'].id).toBe(clusterId);

    // And the listener receives what is published after the restart.
    await novaEvent('server-after');
    await eventually(() => events.some((e) => e.physicalId === 'server-after'));
  }, 120_000);
});
