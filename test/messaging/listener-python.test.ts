/**
 * Nova and Heat notifications published by Python oslo.messaging notifiers on a real RabbitMQ
 * reach subscribers of the AMQP notification source as resource events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import type { AmqpNotificationSource } from '../../src/messaging/amqp-source.js';
import { createAmqpNotificationSource } from '../../src/messaging/amqp-source.js';
import type { ResourceEvent } from '../../src/messaging/types.js';
import {
  cleanUpBroker,
  eventually,
  publishFromPython,
  pythonPeersAvailable,
  rabbitAvailable,
  TRANSPORT_URL,
  testLogger,
  topicQueues,
  uniqueHost,
  uniqueName,
} from './support.js';

const available = (await rabbitAvailable()) && pythonPeersAvailable();

const SERVER = '97559428-b52c-4765-84f0-75867abfc156';
const PROJECT = '3c8729cc2db941fe9ab2da6cef37c43e';

/** A versioned Nova payload shaped like Nova's InstanceActionPayload. */
function versionedPayload(state: string, metadata: Record<string, string> = {}) {
  return {
    'nova_object.name': 'InstanceActionPayload',
    'nova_object.namespace': 'nova',
    'nova_object.version': '1.8',
    'nova_object.data': {
      uuid: SERVER,
      tenant_id: PROJECT,
      state,
      power_state: 'pending',
      task_state: null,
      host_name: 'web-01',
      metadata,
      ip_addresses: [],
    },
  };
}

describe.skipIf(!available)('resource events from Python oslo.messaging notifiers', () => {
  const host = uniqueHost('hm');
  const nova = uniqueName('senlin_test_nova');
  const heat = uniqueName('senlin_test_heat');
  const novaTopic = uniqueName('senlin_test_vn');
  const heatTopic = uniqueName('senlin_test_hn');
  const events: ResourceEvent[] = [];
  let source: AmqpNotificationSource;
  let failNext = 0;

  beforeAll(async () => {
    const config = defaultConfig({
      DEFAULT: { host, transport_url: TRANSPORT_URL },
      health_manager: {
        nova_control_exchange: nova,
        nova_notification_topic: novaTopic,
        heat_control_exchange: heat,
        heat_notification_topic: heatTopic,
      },
    });
    const created = createAmqpNotificationSource(config, testLogger());
    if (!created) throw new Error('no source although a transport URL is set');
    source = created;
    source.subscribe((event) => {
      if (failNext > 0) {
        failNext--;
        throw new Error('handler failure');
      }
      events.push(event);
    });
    await source.whenConsuming();
  });

  afterAll(async () => {
    await source?.close();
    await cleanUpBroker({
      queues: [`senlin-listeners.${host}`, ...topicQueues(novaTopic), ...topicQueues(heatTopic)],
      exchanges: [nova, heat],
    });
  });

  async function nextEvent(eventType: string): Promise<ResourceEvent> {
    let found: ResourceEvent | undefined;
    await eventually(
      () => {
        found = events.find((e) => e.eventType === eventType);
        return found !== undefined;
      },
      20_000,
      `an event ${eventType}`,
    );
    return found as ResourceEvent;
  }

  it('turns a versioned instance.delete.end into a deleted server', async () => {
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'nova-compute:fake-compute-2',
      eventType: 'instance.delete.end',
      payload: versionedPayload('deleted', { cluster_id: 'c1', cluster_node_id: 'n1' }),
      context: { project_id: PROJECT, user_id: 'u1' },
    });
    const event = await nextEvent('instance.delete.end');
    expect(event).toMatchObject({
      service: 'nova',
      kind: 'deleted',
      physicalId: SERVER,
      projectId: PROJECT,
      state: 'deleted',
      metadata: { cluster_id: 'c1', cluster_node_id: 'n1' },
    });
    expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('turns an instance.update to state error into a server in error', async () => {
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'nova-conductor:vm',
      eventType: 'instance.update',
      payload: versionedPayload('error'),
    });
    expect(await nextEvent('instance.update')).toMatchObject({ kind: 'error', state: 'error' });
  });

  it('reads legacy compute.instance notifications and the error priority', async () => {
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'compute.fake-compute-2',
      eventType: 'compute.instance.power_off.end',
      payload: { instance_id: SERVER, tenant_id: PROJECT, state: 'stopped', metadata: {} },
    });
    expect(await nextEvent('compute.instance.power_off.end')).toMatchObject({
      kind: 'stopped',
      physicalId: SERVER,
      state: 'stopped',
    });
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'compute.fake-compute-2',
      eventType: 'compute.instance.rebuild.error',
      priority: 'error',
      payload: { instance_id: SERVER, tenant_id: PROJECT, state: 'error', metadata: {} },
    });
    expect(await nextEvent('compute.instance.rebuild.error')).toMatchObject({ kind: 'error' });
  });

  it('reads Heat stack notifications with the cluster tags as metadata', async () => {
    await publishFromPython({
      exchange: heat,
      topic: heatTopic,
      publisherId: 'orchestration.heat-engine',
      eventType: 'orchestration.stack.delete.end',
      payload: {
        stack_identity: `arn:openstack:heat::${PROJECT}:stacks/db/5d0f3c0e-7f55-4d4a-9a47-6b4f1b2c9d10`,
        stack_name: 'db',
        tenant_id: PROJECT,
        state: 'DELETE_COMPLETE',
        tags: ['cluster_id=c9', 'cluster_node_id=n9'],
      },
    });
    expect(await nextEvent('orchestration.stack.delete.end')).toMatchObject({
      service: 'heat',
      kind: 'deleted',
      physicalId: '5d0f3c0e-7f55-4d4a-9a47-6b4f1b2c9d10',
      state: 'DELETE_COMPLETE',
      metadata: { cluster_id: 'c9', cluster_node_id: 'n9' },
    });
  });

  it('delivers an event once more when a handler failed on it', async () => {
    failNext = 1;
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'nova-compute:fake-compute-2',
      eventType: 'instance.pause.end',
      payload: versionedPayload('paused'),
    });
    expect(await nextEvent('instance.pause.end')).toMatchObject({ kind: 'paused' });
    expect(failNext).toBe(0);
  });

  it('ignores notifications about other things', async () => {
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'nova-compute:fake-compute-2',
      eventType: 'flavor.create',
      payload: { flavorid: '1' },
    });
    // A later event arrives; nothing was delivered for the flavor before it.
    await publishFromPython({
      exchange: nova,
      topic: novaTopic,
      publisherId: 'nova-compute:fake-compute-2',
      eventType: 'instance.shutdown.end',
      payload: versionedPayload('active'),
    });
    await nextEvent('instance.shutdown.end');
    expect(events.map((e) => e.eventType)).not.toContain('flavor.create');
  });
});
