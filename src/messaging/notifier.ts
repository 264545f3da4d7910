/**
 * The notifier of a senlin-ts process, built from the configuration:
 * `[oslo_messaging_notifications] driver` names where notifications go — `messagingv2`
 * (oslo.messaging format 2.0 on the transport), `messaging` (format 1.0), `log`, `noop`. With
 * no driver configured, `messagingv2` is used when a transport URL is set (upstream would send
 * nothing at all, silently). Notifications are published on the `[DEFAULT] control_exchange`
 * exchange with routing key `<topic>.<priority>` for each topic.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../config/options.js';
import { AmqpPublisher } from './amqp-publisher.js';
import type { TlsFiles } from './connection.js';
import { AmqpConnection } from './connection.js';
import { buildNotification, encodeNotification } from './oslo-envelope.js';
import type { Notifier, OutgoingNotification } from './outgoing.js';
import { parseTransportUrl } from './transport-url.js';
import { WebhookSender } from './webhook-sender.js';

const KNOWN_DRIVERS = ['messagingv2', 'messaging', 'log', 'noop'];
const CLOSE_TIMEOUT_MS = 5000;

/** The transport URL of notifications: the notifications' own, else the default one. */
export function notificationTransportUrl(config: Config): string | null {
  return config.oslo_messaging_notifications.transport_url ?? config.DEFAULT.transport_url;
}

/** The notification drivers in effect (see the module comment). */
export function effectiveDrivers(config: Config): string[] {
  const configured = config.oslo_messaging_notifications.driver;
  if (configured.length > 0) return [...new Set(configured)];
  return notificationTransportUrl(config) ? ['messagingv2'] : [];
}

/** Connection settings of `[oslo_messaging_rabbit]` for a transport URL. */
export function connectionSettings(config: Config, url: string, logger: Logger, name: string) {
  const rabbit = config.oslo_messaging_rabbit;
  const tls: TlsFiles = {
    ...(rabbit.ssl_ca_file ? { ca: readFileSync(rabbit.ssl_ca_file) } : {}),
    ...(rabbit.ssl_cert_file ? { cert: readFileSync(rabbit.ssl_cert_file) } : {}),
    ...(rabbit.ssl_key_file ? { key: readFileSync(rabbit.ssl_key_file) } : {}),
  };
  return {
    transport: parseTransportUrl(url, rabbit.ssl),
    retry: {
      intervalMs: rabbit.rabbit_retry_interval * 1000,
      backoffMs: rabbit.rabbit_retry_backoff * 1000,
      maxMs: rabbit.rabbit_interval_max * 1000,
    },
    heartbeatSeconds: Math.ceil(rabbit.heartbeat_timeout_threshold / 2),
    tls,
    logger,
    name,
  };
}

/** Builds the notifier of a process. Throws ConfigError for an unusable transport URL. */
export function createNotifier(config: Config, logger: Logger): Notifier {
  const log = logger.child({ component: 'notifier' });
  const drivers = effectiveDrivers(config);
  for (const d of drivers) {
    if (!KNOWN_DRIVERS.includes(d)) log.warn({ driver: d }, 'unknown notification driver ignored');
  }
  const formats = (['messagingv2', 'messaging'] as const).filter((d) => drivers.includes(d));
  let connection: AmqpConnection | null = null;
  let publisher: AmqpPublisher | null = null;
  if (formats.length > 0) {
    const url = notificationTransportUrl(config) ?? 'rabbit://';
    const name = `senlin-ts:${config.DEFAULT.host}:notifier`;
    connection = new AmqpConnection(connectionSettings(config, url, log, name));
    const rabbit = config.oslo_messaging_rabbit;
    const retry = config.oslo_messaging_notifications.retry;
    publisher = new AmqpPublisher({
      connection,
      flags: { durable: rabbit.amqp_durable_queues, autoDelete: rabbit.amqp_auto_delete },
      maxQueued: config.notification.max_queue_length,
      maxAttempts: retry < 0 ? null : retry + 1,
      logger: log,
    });
  }
  const logDriver = drivers.includes('log');
  const webhooks = new WebhookSender({ logger: log });
  const exchange = config.DEFAULT.control_exchange;

  return {
    enabled: publisher !== null || logDriver,
    notify(n: OutgoingNotification): void {
      if (!publisher && !logDriver) return;
      const message = buildNotification({
        publisherId: n.publisherId ?? `senlin-engine:${config.DEFAULT.host}`,
        eventType: n.eventType,
        priority: n.priority,
        payload: n.payload,
        context: n.context ?? {},
        timestamp: n.timestamp ?? new Date(),
      });
      if (logDriver) log.info({ notification: message }, `notification ${n.eventType}`);
      if (!publisher) return;
      for (const topic of n.topics ?? config.DEFAULT.notification_topics) {
        for (const format of formats) {
          const body = encodeNotification(message, format === 'messagingv2' ? '2.0' : '1.0');
          publisher.publish(exchange, `${topic}.${n.priority}`, body);
        }
      }
    },
    postWebhook(url: string, body: unknown): void {
      webhooks.post(url, body);
    },
    async close(): Promise<void> {
      await Promise.all([publisher?.close(CLOSE_TIMEOUT_MS), webhooks.close(CLOSE_TIMEOUT_MS)]);
      await connection?.close();
    },
  };
}
