/**
 * The wire details of messaging, without a broker: transport URLs, the oslo.messaging
 * envelope, Senlin's versioned payloads, parsing Nova and Heat notifications, reconnection
 * delays.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { defaultConfig } from '../../src/config/load.js';
import { retryDelay } from '../../src/messaging/connection.js';
import { effectiveDrivers } from '../../src/messaging/notifier.js';
import {
  buildNotification,
  decodeNotification,
  encodeNotification,
  osloTimestamp,
} from '../../src/messaging/oslo-envelope.js';
import { isoFromOslo, toResourceEvent } from '../../src/messaging/resource-events.js';
import { isoSeconds, nodeActionPayload } from '../../src/messaging/senlin-objects.js';
import { parseTransportUrl, redact } from '../../src/messaging/transport-url.js';

describe('transport URLs', () => {
  it('reads users, hosts, ports and the virtual host of a cluster of brokers', () => {
    const t = parseTransportUrl('rabbit://a:p%40ss@h1:5673,b:q@[::1]/vh%2Fx');
    expect(t.brokers).toEqual([
      {
        protocol: 'amqp',
        hostname: 'h1',
        port: 5673,
        username: 'a',
        password: 'p@ss',
        vhost: 'vh/x',
      },
      {
        protocol: 'amqp',
        hostname: '::1',
        port: 5672,
        username: 'b',
        password: 'q',
        vhost: 'vh/x',
      },
    ]);
  });

  it('defaults to guest on localhost and the / virtual host, and selects TLS', () => {
    expect(parseTransportUrl('rabbit://').brokers).toEqual([
      {
        protocol: 'amqp',
        hostname: 'localhost',
        port: 5672,
        username: 'guest',
        password: 'guest',
        vhost: '/',
      },
    ]);
    const tls = parseTransportUrl('rabbit://u:p@mq/?ssl=1').brokers[0];
    expect(tls).toMatchObject({ protocol: 'amqps', port: 5671 });
    expect(parseTransportUrl('kombu://u:p@mq/', true).brokers[0]?.protocol).toBe('amqps');
  });

  it('refuses other transports with a clear error and hides passwords', () => {
    expect(() => parseTransportUrl('kafka://u:secret@k:9092/')).toThrow(ConfigError);
    expect(() => parseTransportUrl('kafka://u:secret@k:9092/')).toThrow(/rabbit:\/\//);
    expect(() => parseTransportUrl('rabbit://u:secret@h:99999/')).toThrow(/bad port/);
    expect(redact('rabbit://u:secret@h1,v:other@h2/')).toBe('rabbit://u:***@h1,v:***@h2/');
  });
});

describe('the oslo.messaging envelope', () => {
  const message = buildNotification({
    publisherId: 'senlin-engine:h',
    eventType: 'cluster.create.end',
    priority: 'info',
    payload: { a: [1, 'x'] },
    context: { user_id: 'u', project_id: 'p', auth_token: 'secret', password: 'pw', trusts: 't' },
    timestamp: new Date('2026-11-25T08:49:45.649Z'),
  });

  it('carries the notification as a JSON string under oslo.message in format 2.0', () => {
    const body = JSON.parse(encodeNotification(message, '2.0').toString('utf8'));
    expect(Object.keys(body).sort()).toEqual(['oslo.message', 'oslo.version']);
    expect(body['oslo.version']).toBe('2.0');
    const inner = JSON.parse(body['oslo.message']);
    expect(inner).toMatchObject({
      publisher_id: 'senlin-engine:h',
      event_type: 'cluster.create.end',
      priority: 'INFO',
      payload: { a: [1, 'x'] },
      timestamp: '2026-11-25 08:49:45.649000',
      _context_user_id: 'u',
      _context_project_id: 'p',
    });
    expect(inner._unique_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('never sends tokens, passwords or trusts', () => {
    expect(
      Object.keys(message)
        .filter((k) => k.startsWith('_context_'))
        .sort(),
    ).toEqual(['_context_project_id', '_context_user_id']);
  });

  it('decodes both formats back, with the context unprefixed', () => {
    for (const format of ['1.0', '2.0'] as const) {
      const decoded = decodeNotification(encodeNotification(message, format));
      expect(decoded).toMatchObject({
        eventType: 'cluster.create.end',
        priority: 'info',
        publisherId: 'senlin-engine:h',
        context: { user_id: 'u', project_id: 'p' },
      });
    }
  });

  it('refuses what is not a notification', () => {
    expect(() => decodeNotification('[1]')).toThrow();
    expect(() => decodeNotification('{"oslo.version": "3.0", "oslo.message": "{}"}')).toThrow(
      /unsupported/,
    );
    expect(() => decodeNotification('{"payload": {}}')).toThrow(/event_type/);
  });

  it('writes timestamps as Python prints a UTC datetime', () => {
    expect(osloTimestamp(new Date('2026-01-02T03:04:05.006Z'))).toBe('2026-01-02 03:04:05.006000');
    expect(isoFromOslo('2026-11-25 08:49:45.649113')).toBe('2026-11-25T08:49:45.649Z');
    expect(isoFromOslo('2026-11-25 08:49:45')).toBe('2026-11-25T08:49:45.000Z');
  });
});

describe("Senlin's versioned payloads", () => {
  it('serialize a node action as upstream does', () => {
    const payload = nodeActionPayload(
      {
        id: 'n1',
        name: 'node-1',
        profileId: 'p1',
        clusterId: 'c1',
        physicalId: null,
        index: 3,
        role: null,
        initAt: new Date('2026-11-25T08:49:45.900Z'),
        createdAt: null,
        updatedAt: null,
        status: 'INIT',
        statusReason: 'Initializing',
        metadata: {},
        data: { placement: { zone: 'az1' } },
        user: 'u',
        project: 'p',
        domain: null,
        dependents: {},
      },
      {
        id: 'a1',
        name: 'node_create_n1',
        createdAt: null,
        target: 'n1',
        action: 'NODE_CREATE',
        startTime: 1.5,
        endTime: null,
        timeout: 3600,
        status: 'RUNNING',
        statusReason: '',
        inputs: {},
        outputs: {},
        data: {},
        user: null,
        project: 'p',
      },
    ) as Record<string, any>;
    expect(payload['senlin_object.name']).toBe('NodeActionPayload');
    expect(payload['senlin_object.version']).toBe('1.0');
    const node = payload['senlin_object.data'].node;
    expect(node['senlin_object.name']).toBe('NodePayload');
    expect(node['senlin_object.data']).toMatchObject({
      index: 3,
      init_at: '2026-11-25T08:49:45Z',
      data: '{"placement":{"zone":"az1"}}',
      physical_id: null,
    });
    expect(payload['senlin_object.data'].action['senlin_object.data'].user).toBe('');
    expect(isoSeconds(null)).toBeNull();
  });
});

function received(eventType: string, payload: unknown, context: Record<string, unknown> = {}) {
  return {
    messageId: 'm',
    publisherId: 'nova-compute:h',
    eventType,
    priority: 'info',
    payload,
    timestamp: '2026-11-25 08:49:53.526036',
    context,
  };
}

describe('Nova and Heat notifications as resource events', () => {
  const versioned = (state: string) => ({
    'nova_object.data': { uuid: 's1', tenant_id: 'p', state },
  });

  it.each([
    ['instance.delete.end', 'deleted'],
    ['instance.soft_delete.end', 'deleted'],
    ['instance.power_off.end', 'stopped'],
    ['instance.shutdown.end', 'stopped'],
    ['instance.pause.end', 'paused'],
    ['instance.rebuild.error', 'error'],
    ['instance.create.end', 'other'],
    ['instance.power_on.end', 'other'],
  ])('%s is %s', (eventType, kind) => {
    expect(toResourceEvent(received(eventType, versioned('active')))?.kind).toBe(kind);
  });

  it('sees an update to state error, and no other update, as a failure', () => {
    expect(toResourceEvent(received('instance.update', versioned('error')))?.kind).toBe('error');
    expect(toResourceEvent(received('instance.update', versioned('stopped')))?.kind).toBe('other');
  });

  it('reads legacy payloads and takes the project from the context when missing', () => {
    const event = toResourceEvent(
      received(
        'compute.instance.soft_delete.end',
        { instance_id: 's2', state: 'soft-delete', metadata: { cluster_node_id: 'n', x: 1 } },
        { project_id: 'from-context' },
      ),
    );
    expect(event).toMatchObject({
      service: 'nova',
      kind: 'deleted',
      physicalId: 's2',
      projectId: 'from-context',
      metadata: { cluster_node_id: 'n', x: '1' },
      timestamp: '2026-11-25T08:49:53.526Z',
    });
  });

  it('reads Heat stacks from their ARN and tags', () => {
    const event = toResourceEvent(
      received('orchestration.stack.update.error', {
        stack_identity: 'arn:openstack:heat::p:stacks/web/5d0f',
        state: 'UPDATE_FAILED',
        tags: 'cluster_id=c,cluster_node_id=n',
      }),
    );
    expect(event).toMatchObject({ service: 'heat', kind: 'error', physicalId: '5d0f' });
    expect(event?.metadata).toEqual({ cluster_id: 'c', cluster_node_id: 'n' });
  });

  it('has nothing to say about other notifications or servers without an id', () => {
    expect(toResourceEvent(received('volume.create.end', {}))).toBeNull();
    expect(toResourceEvent(received('instance.delete.end', { 'nova_object.data': {} }))).toBeNull();
  });

  // Real notifications captured from Nova on RabbitMQ, when the shared lab material is there.
  const sample = join(process.cwd(), '..', 'shared', 'lab', 'nova-notifications-sample.json');
  it.skipIf(!existsSync(sample))('reads the notifications Nova really sends', () => {
    const captured = JSON.parse(readFileSync(sample, 'utf8')) as { message: unknown }[];
    const events = captured.map((c) =>
      toResourceEvent(decodeNotification(JSON.stringify(c.message))),
    );
    for (const event of events) {
      expect(event?.physicalId).toBe('97559428-b52c-4765-84f0-75867abfc156');
      expect(event?.projectId).toBe('3c8729cc2db941fe9ab2da6cef37c43e');
    }
    const deleted = events.find((e) => e?.eventType === 'instance.delete.end');
    expect(deleted).toMatchObject({ kind: 'deleted', state: 'deleted' });
    expect(events.filter((e) => e?.kind !== 'other')).toEqual([deleted]);
  });
});

describe('notifier settings', () => {
  it('waits longer after each failed attempt, up to the maximum, never zero', () => {
    const retry = { intervalMs: 1000, backoffMs: 2000, maxMs: 6000 };
    expect([1, 2, 3, 4].map((n) => retryDelay(retry, n))).toEqual([1000, 3000, 5000, 6000]);
    expect(retryDelay({ intervalMs: 0, backoffMs: 0, maxMs: 0 }, 5)).toBeGreaterThan(0);
  });

  it('uses messagingv2 when a transport is set and no driver is named', () => {
    expect(effectiveDrivers(defaultConfig())).toEqual([]);
    const withUrl = defaultConfig({ DEFAULT: { transport_url: 'rabbit://mq/' } });
    expect(effectiveDrivers(withUrl)).toEqual(['messagingv2']);
    const noop = defaultConfig({
      DEFAULT: { transport_url: 'rabbit://mq/' },
      oslo_messaging_notifications: { driver: ['noop'] },
    });
    expect(effectiveDrivers(noop)).toEqual(['noop']);
  });
});
