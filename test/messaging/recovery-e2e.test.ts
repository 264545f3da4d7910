/**
 * End to end: Nova-format notifications published by a Python oslo.messaging notifier on a
 * real RabbitMQ make the health manager recover the node whose server they are about.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { createAmqpNotificationSource } from '../../src/messaging/amqp-source.js';
import { healthSpec, healthWorld, until } from '../health/support.js';
import { waitForAction } from '../support/engine.js';
import {
  cleanUpBroker,
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

const host = uniqueHost('hm');
const nova = uniqueName('senlin_test_nova');
const topic = uniqueName('senlin_test_vn');
const source = available
  ? createAmqpNotificationSource(
      defaultConfig({
        DEFAULT: { host, transport_url: TRANSPORT_URL },
        health_manager: { nova_control_exchange: nova, nova_notification_topic: topic },
      }),
      testLogger(),
    )
  : null;
const world = available ? await healthWorld() : null;
afterAll(async () => {
  await source?.close();
  if (available) {
    await cleanUpBroker({
      queues: [`senlin-listeners.${host}`, ...topicQueues(topic)],
      exchanges: [nova],
    });
  }
});

describe.skipIf(!available)('recovery triggered by Nova notifications on RabbitMQ', () => {
  async function eventCluster(size: number) {
    if (!world || !source) throw new Error('no world');
    const clusterId = await world.cluster(size);
    await world.attach(clusterId, healthSpec(['LIFECYCLE_EVENTS']));
    return { clusterId, nodes: await world.members(clusterId) };
  }

  async function firstRecovery(nodeId: string) {
    if (!world) throw new Error('no world');
    const [action] = await until(`a recovery of ${nodeId}`, async () => {
      const found = await world.recoveries(nodeId);
      return found.length > 0 && found;
    });
    return waitForAction(world.db, action.id);
  }

  it('recreates the node whose server Nova reports deleted, and only that node', async () => {
    if (!world || !source) throw new Error('no world');
    const manager = await world.manager({ source });
    await source.whenConsuming();
    const { clusterId, nodes } = await eventCluster(2);
    await until('the cluster to be watched', () =>
      manager.snapshot().some((s) => s.clusterId === clusterId),
    );
    const [gone, other] = nodes;
    world.api.backend.destroyServer(gone.physical_id);
    await publishFromPython({
      exchange: nova,
      topic,
      publisherId: 'nova-compute:fake-compute-1',
      eventType: 'instance.delete.end',
      payload: {
        'nova_object.name': 'InstanceActionPayload',
        'nova_object.namespace': 'nova',
        'nova_object.version': '1.8',
        'nova_object.data': {
          uuid: gone.physical_id,
          tenant_id: gone.project_id,
          state: 'deleted',
          metadata: { cluster_id: clusterId, cluster_node_id: gone.id },
        },
      },
      context: { project_id: gone.project_id, user_id: gone.user_id },
    });
    const action = await firstRecovery(gone.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(action.inputs.operation).toBe('RECREATE');
    const after = await world.members(clusterId);
    const recreated = after.find((n: { id: string }) => n.id === gone.id);
    expect(recreated.physical_id).not.toBe(gone.physical_id);
    expect(recreated.status).toBe('ACTIVE');
    expect(await world.recoveries(other.id)).toEqual([]);
  });

  it('recovers a node whose server a legacy notification reports powered off', async () => {
    if (!world || !source) throw new Error('no world');
    const { nodes } = await eventCluster(1);
    const [node] = nodes;
    await publishFromPython({
      exchange: nova,
      topic,
      publisherId: 'compute.fake-compute-1',
      eventType: 'compute.instance.power_off.end',
      payload: {
        instance_id: node.physical_id,
        tenant_id: node.project_id,
        state: 'stopped',
        metadata: { cluster_id: node.cluster_id, cluster_node_id: node.id },
      },
    });
    const action = await firstRecovery(node.id);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
  });
});
