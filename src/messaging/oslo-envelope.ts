/**
 * The oslo.messaging notification wire format. A notification is a JSON object with
 * `message_id`, `publisher_id`, `event_type`, `priority` (upper case), `payload` and
 * `timestamp` (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC), plus `_unique_id` and the request context
 * flattened into `_context_<key>` entries. Message format 2.0 (driver `messagingv2`) wraps it
 * as `{"oslo.version": "2.0", "oslo.message": "<the object as a JSON string>"}`; format 1.0
 * (driver `messaging`) sends the object itself.
 */
import { randomUUID } from 'node:crypto';

/** Context keys oslo.messaging lets through into notifications (no tokens or secrets). */
const SAFE_CONTEXT_KEYS = new Set([
  'user_id',
  'project_id',
  'domain_id',
  'user_domain_id',
  'project_domain_id',
  'is_admin',
  'request_id',
  'roles',
  'user_name',
  'project_name',
  'domain_name',
  'user_domain_name',
  'project_domain_name',
  'global_request_id',
  'system_scope',
  'user',
  'domain',
  'user_domain',
  'project_domain',
]);

/** The parts of a notification that its sender chooses. */
export interface NotificationFields {
  readonly publisherId: string;
  readonly eventType: string;
  /** Lower-case priority: `info`, `warn`, `error`, … (the routing key suffix). */
  readonly priority: string;
  readonly payload: unknown;
  readonly context: Readonly<Record<string, unknown>>;
  readonly timestamp: Date;
}

/** A notification received from the bus, unwrapped. */
export interface ReceivedNotification {
  readonly messageId: string | null;
  readonly publisherId: string;
  readonly eventType: string;
  /** Lower-case priority. */
  readonly priority: string;
  readonly payload: unknown;
  readonly timestamp: string;
  /** The `_context_*` entries without their prefix. */
  readonly context: Readonly<Record<string, unknown>>;
}

/** `2026-11-25 08:49:45.649000`: Python's `str(datetime.utcnow())`. */
export function osloTimestamp(d: Date): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

/** The notification object (format 1.0 body, inner message of format 2.0). */
export function buildNotification(fields: NotificationFields): Record<string, unknown> {
  const message: Record<string, unknown> = {
    message_id: randomUUID(),
    publisher_id: fields.publisherId,
    event_type: fields.eventType,
    priority: fields.priority.toUpperCase(),
    payload: fields.payload,
    timestamp: osloTimestamp(fields.timestamp),
    _unique_id: randomUUID().replaceAll('-', ''),
  };
  for (const [key, value] of Object.entries(fields.context)) {
    if (SAFE_CONTEXT_KEYS.has(key) && value !== undefined) message[`_context_${key}`] = value;
  }
  return message;
}

/** The AMQP body of a notification in message format 2.0 or 1.0. */
export function encodeNotification(
  message: Record<string, unknown>,
  format: '1.0' | '2.0',
): Buffer {
  const body =
    format === '2.0' ? { 'oslo.version': '2.0', 'oslo.message': JSON.stringify(message) } : message;
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unwraps an AMQP body in either format; throws on anything that is not a notification. */
export function decodeNotification(body: Buffer | string): ReceivedNotification {
  const outer: unknown = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  if (!isObject(outer)) throw new Error('not a JSON object');
  let message: unknown = outer;
  if ('oslo.version' in outer && 'oslo.message' in outer) {
    const version = String(outer['oslo.version']);
    if (!version.startsWith('2.')) throw new Error(`unsupported oslo.version ${version}`);
    const inner = outer['oslo.message'];
    message = typeof inner === 'string' ? JSON.parse(inner) : inner;
  }
  if (!isObject(message)) throw new Error('the message is not a JSON object');
  if (typeof message.event_type !== 'string') throw new Error('the message has no event_type');
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    if (key.startsWith('_context_')) context[key.slice('_context_'.length)] = value;
  }
  return {
    messageId: typeof message.message_id === 'string' ? message.message_id : null,
    publisherId: typeof message.publisher_id === 'string' ? message.publisher_id : '',
    eventType: message.event_type,
    priority: typeof message.priority === 'string' ? message.priority.toLowerCase() : 'info',
    payload: message.payload ?? null,
    timestamp: typeof message.timestamp === 'string' ? message.timestamp : '',
    context,
  };
}
