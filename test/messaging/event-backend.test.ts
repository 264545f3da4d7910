/**
 * The `message` event backend: the events of actions reach a Python oslo.messaging listener
 * as Senlin's versioned notifications, under the same filters as the `database` backend.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigOverrides } from '../../src/config/load.js';
import type { Engine } from '../../src/engine/engine.js';
import { createNotifier } from '../../src/messaging/notifier.js';
import type { Notifier } from '../../src/messaging/outgoing.js';
import { openFresh, testDialects } from '../db/dialects.js';
import { createProfile, novaSpec, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';
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
const sqlite = (await testDialects()).find((d) => d.name === 'sqlite');

describe.skipIf(!available)('the message event backend', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  /** An engine with the message backend on a fresh exchange and topic. */
  async function world(overrides: ConfigOverrides = {}) {
    if (!sqlite) throw new Error('no SQLite dialect');
    const exchange = uniqueName('senlin_test_x');
    const topic = uniqueName('senlin_test_t');
    const config = testConfig({
      ...overrides,
      DEFAULT: {
        host: 'events-test',
        transport_url: TRANSPORT_URL,
        control_exchange: exchange,
        notification_topics: [topic],
        event_dispatchers: ['database', 'message'],
        ...overrides.DEFAULT,
      },
    });
    const notifier: Notifier = createNotifier(config, testLogger());
    const db = await openFresh(sqlite);
    const svc = { ...testServices(db, { config }), notifier };
    const engine: Engine = await startEngine(svc);
    cleanups.push(async () => {
      await engine.stop();
      await notifier.close();
      await cleanUpBroker({ queues: topicQueues(topic), exchanges: [exchange] });
    });
    const profileId = await createProfile(svc);
    return { svc, db, exchange, topic, profileId };
  }

  /** Event types a Python listener receives, in order, until `last` arrives. */
  async function received(exchange: string, topic: string, last: string) {
    const listener = runPython('listen.py', [
      `--url=${TRANSPORT_URL}`,
      `--exchange=${exchange}`,
      `--topic=${topic}`,
      '--count=100',
      '--timeout=20',
    ]);
    await listener.waitFor((l) => l.event_type === last);
    listener.kill();
    await listener.exited;
    return listener.lines.filter((l) => 'event_type' in l);
  }

  it('publishes the start and end of a cluster creation, and stores them too', async () => {
    const w = await world();
    const { clusterId, actionId } = await requestClusterCreate(w.svc, w.profileId, {
      desiredCapacity: 2,
    });
    expect((await waitForAction(w.db, actionId)).status).toBe('SUCCEEDED');
    const lines = await received(w.exchange, w.topic, 'cluster.create.end');
    expect(lines.map((l) => l.event_type)).toEqual(['cluster.create.start', 'cluster.create.end']);
    const [start, end] = lines as Record<string, any>[];
    expect(start?.publisher_id).toBe('senlin-engine:events-test');
    expect(start?.context).toMatchObject({ user_id: 'u1', project_id: 'p1' });
    const endData = end?.payload['senlin_object.data'];
    expect(endData.cluster['senlin_object.data']).toMatchObject({
      id: clusterId,
      status: 'ACTIVE',
    });
    expect(endData.action['senlin_object.data']).toMatchObject({
      id: actionId,
      action: 'CLUSTER_CREATE',
      status: 'SUCCEEDED',
    });
    const stored = await w.db.retry((k) =>
      k.selectFrom('event').select('status').where('oid', '=', clusterId).execute(),
    );
    expect(stored.map((e) => e.status).sort()).toEqual(['end', 'start']);
  });

  it('includes the node actions when derived actions are not excluded', async () => {
    const w = await world({ dispatchers: { exclude_derived_actions: false } });
    const { actionId } = await requestClusterCreate(w.svc, w.profileId, { desiredCapacity: 1 });
    await waitForAction(w.db, actionId);
    const lines = await received(w.exchange, w.topic, 'cluster.create.end');
    const types = lines.map((l) => l.event_type);
    expect(types).toContain('node.create.start');
    expect(types).toContain('node.create.end');
    const node = lines.find((l) => l.event_type === 'node.create.end') as Record<string, any>;
    expect(node.payload['senlin_object.name']).toBe('NodeActionPayload');
    expect(node.payload['senlin_object.data'].node['senlin_object.data'].status).toBe('ACTIVE');
  });

  it('leaves out events below the dispatch priority', async () => {
    const w = await world({ dispatchers: { priority: 'warning' } });
    const ok = await requestClusterCreate(w.svc, w.profileId, { desiredCapacity: 1 });
    await waitForAction(w.db, ok.actionId);
    // A creation whose servers fail ends with an error event.
    const broken = await createProfile(w.svc, novaSpec({ simulated_fail: 'create' }));
    const failing = await requestClusterCreate(w.svc, broken, { desiredCapacity: 1 });
    expect((await waitForAction(w.db, failing.actionId)).status).toBe('FAILED');
    const lines = await received(w.exchange, w.topic, 'cluster.create.error');
    expect(lines.map((l) => l.event_type)).toEqual(['cluster.create.error']);
    expect(lines[0]?.priority).toBe('error');
  });
});
