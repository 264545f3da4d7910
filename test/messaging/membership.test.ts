/**
 * Membership notifications: after a cluster's members change, the cluster's subscribers get
 * the change and the current member list with addresses, on RabbitMQ (an AMQP consumer) and
 * by webhook (an HTTP endpoint on 127.0.0.1), and the configured operation runs on the
 * members that stayed.
 */
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { Channel, ChannelModel } from 'amqplib';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { listClusterNodes } from '../../src/db/queries/nodes.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineServices } from '../../src/engine/services.js';
import { createNotifier } from '../../src/messaging/notifier.js';
import type { Notifier } from '../../src/messaging/outgoing.js';
import { openFresh, testDialects } from '../db/dialects.js';
import { createProfile, request, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testConfig, testServices, waitForAction } from '../support/engine.js';
import {
  cleanUpBroker,
  eventually,
  RABBIT_URL,
  rabbitAvailable,
  TRANSPORT_URL,
  testLogger,
  topicQueues,
  uniqueName,
} from './support.js';

const available = await rabbitAvailable();
const sqlite = (await testDialects()).find((d) => d.name === 'sqlite');

type Report = Record<string, any>;

describe.skipIf(!available)('membership notifications', () => {
  const exchange = uniqueName('senlin_test_x');
  const topic = uniqueName('senlin_test_t');
  const membershipTopic = uniqueName('senlin_test_members');
  const amqpReports: { routingKey: string; message: Report }[] = [];
  const hookReports: { headers: IncomingMessage['headers']; body: Report }[] = [];
  let hook: Server;
  let hookUrl: string;
  let consumer: ChannelModel;
  let svc: EngineServices;
  let engine: Engine;
  let notifier: Notifier;
  let db: Db;
  let profileId: string;

  beforeAll(async () => {
    if (!sqlite) throw new Error('no SQLite dialect');
    hook = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        text += c;
      });
      req.on('end', () => {
        hookReports.push({ headers: req.headers, body: JSON.parse(text) as Report });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const address = hook.address();
    hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/members`;

    // A subscriber of the membership topic, as an application in the cluster would run.
    consumer = await amqp.connect(RABBIT_URL);
    const ch: Channel = await consumer.createChannel();
    await ch.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    const { queue } = await ch.assertQueue('', { exclusive: true });
    await ch.bindQueue(queue, exchange, `${membershipTopic}.info`);
    await ch.consume(queue, (msg) => {
      if (!msg) return;
      const envelope = JSON.parse(msg.content.toString('utf8'));
      amqpReports.push({
        routingKey: msg.fields.routingKey,
        message: JSON.parse(envelope['oslo.message']),
      });
      ch.ack(msg);
    });

    const config = testConfig({
      DEFAULT: {
        host: 'members-test',
        transport_url: TRANSPORT_URL,
        control_exchange: exchange,
        notification_topics: [topic],
      },
    });
    notifier = createNotifier(config, testLogger());
    db = await openFresh(sqlite);
    svc = { ...testServices(db, { config }), notifier };
    engine = await startEngine(svc);
    profileId = await createProfile(svc);
  });

  afterAll(async () => {
    await engine?.stop();
    await notifier?.close();
    await consumer?.close();
    await new Promise((r) => hook?.close(r));
    await cleanUpBroker({
      queues: [...topicQueues(topic), ...topicQueues(membershipTopic)],
      exchanges: [exchange],
    });
  });

  const membersOf = (clusterId: string) => svc.db.retry((k) => listClusterNodes(k, clusterId));

  async function reportsFor(clusterId: string, count: number) {
    await eventually(
      () =>
        amqpReports.filter((r) => r.message.payload['senlin_object.data'].cluster.id === clusterId)
          .length >= count &&
        hookReports.filter((r) => r.body.cluster.id === clusterId).length >= count,
      20_000,
      `${count} membership reports`,
    );
    return {
      amqp: amqpReports.filter(
        (r) => r.message.payload['senlin_object.data'].cluster.id === clusterId,
      ),
      hooks: hookReports.filter((r) => r.body.cluster.id === clusterId),
    };
  }

  it('reports the members after creation, scale-out and scale-in', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 2,
      config: {
        'membership.notify': true,
        'membership.topic': membershipTopic,
        'membership.webhook': hookUrl,
      },
    });
    expect((await waitForAction(db, actionId)).status).toBe('SUCCEEDED');
    const created = await reportsFor(clusterId, 1);
    const first = created.amqp[0]?.message as Report;
    expect(created.amqp[0]?.routingKey).toBe(`${membershipTopic}.info`);
    expect(first.event_type).toBe('cluster.membership.update');
    expect(first.publisher_id).toBe('senlin-engine:members-test');
    expect(first.payload['senlin_object.name']).toBe('ClusterMembershipPayload');
    const data = first.payload['senlin_object.data'];
    const nodes = await membersOf(clusterId);
    expect(data.nodes_added.sort()).toEqual(nodes.map((n) => n.id).sort());
    expect(data.nodes_removed).toEqual([]);
    expect(data.action).toMatchObject({ id: actionId, action: 'CLUSTER_CREATE' });
    expect(data.members).toHaveLength(2);
    for (const member of data.members) {
      const node = nodes.find((n) => n.id === member.id);
      expect(member).toMatchObject({ physical_id: node?.physicalId, status: 'ACTIVE' });
      const [address] = member.addresses.private;
      expect(address.addr).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(address).toMatchObject({ version: 4, type: 'fixed' });
    }
    // The webhook gets the same report, as plain JSON.
    const hookBody = created.hooks[0]?.body as Report;
    expect(created.hooks[0]?.headers['content-type']).toBe('application/json');
    expect(hookBody.event_type).toBe('cluster.membership.update');
    expect(hookBody.members).toEqual(data.members);

    const out = await waitForAction(db, await request(svc, 'CLUSTER_SCALE_OUT', clusterId));
    expect(out.status, out.statusReason).toBe('SUCCEEDED');
    const afterOut = await reportsFor(clusterId, 2);
    const grown = afterOut.amqp[1]?.message.payload['senlin_object.data'];
    expect(grown.nodes_added).toEqual(out.outputs.nodes_added);
    expect(grown.members.map((m: Report) => m.id).sort()).toEqual(
      (await membersOf(clusterId)).map((n) => n.id).sort(),
    );

    const scaleIn = await waitForAction(db, await request(svc, 'CLUSTER_SCALE_IN', clusterId));
    expect(scaleIn.status, scaleIn.statusReason).toBe('SUCCEEDED');
    const afterIn = await reportsFor(clusterId, 3);
    const shrunk = afterIn.hooks[2]?.body as Report;
    expect(shrunk.nodes_removed).toEqual(scaleIn.outputs.nodes_removed);
    expect(shrunk.nodes_added).toEqual([]);
    expect(shrunk.members).toHaveLength(2);
    expect(shrunk.members.map((m: Report) => m.id)).not.toContain(shrunk.nodes_removed[0]);
  });

  it('runs the membership operation on the members that stayed', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 2,
      config: {
        'membership.operation': 'reboot',
        'membership.operation_params': { type: 'SOFT' },
      },
    });
    expect((await waitForAction(db, actionId)).status).toBe('SUCCEEDED');
    const stayed = (await membersOf(clusterId)).map((n) => n.id).sort();
    const out = await waitForAction(db, await request(svc, 'CLUSTER_SCALE_OUT', clusterId));
    expect(out.status, out.statusReason).toBe('SUCCEEDED');
    let operationId = '';
    await eventually(async () => {
      const row = await db.retry((k) =>
        k
          .selectFrom('action')
          .select('id')
          .where('target', '=', clusterId)
          .where('action', '=', 'CLUSTER_OPERATION')
          .executeTakeFirst(),
      );
      operationId = row?.id ?? '';
      return operationId !== '';
    });
    const operation = await waitForAction(db, operationId);
    expect(operation.status, operation.statusReason).toBe('SUCCEEDED');
    expect(operation.inputs).toMatchObject({ operation: 'reboot', params: { type: 'SOFT' } });
    expect((operation.inputs.nodes as string[]).sort()).toEqual(stayed);
    // Without notify or webhook keys nothing is published for this cluster.
    expect(
      amqpReports.some((r) => r.message.payload['senlin_object.data'].cluster.id === clusterId),
    ).toBe(false);
  });

  it('reports nothing for clusters that do not ask for it', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 1,
    });
    expect((await waitForAction(db, actionId)).status).toBe('SUCCEEDED');
    // A watched cluster changed after it: its report arriving shows the other one was skipped.
    const watched = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 1,
      config: { 'membership.webhook': hookUrl },
    });
    await waitForAction(db, watched.actionId);
    await eventually(() => hookReports.some((r) => r.body.cluster.id === watched.clusterId));
    expect(hookReports.some((r) => r.body.cluster.id === clusterId)).toBe(false);
  });
});
