/**
 * What senlin-ts sends out: versioned notifications (action events, membership changes) on
 * the notification bus and membership webhooks. Sending never blocks or fails the caller:
 * messages are queued and delivered in the background.
 */

/** Priorities of oslo.messaging notifications; the routing key is `<topic>.<priority>`. */
export type NotificationPriority =
  | 'audit'
  | 'debug'
  | 'info'
  | 'warn'
  | 'error'
  | 'critical'
  | 'sample';

/** A notification to publish. */
export interface OutgoingNotification {
  /** E.g. `cluster.scale_out.end`, `cluster.membership.update`. */
  readonly eventType: string;
  readonly priority: NotificationPriority;
  /** The payload (a serialized versioned object for Senlin's notifications). */
  readonly payload: unknown;
  /** Request context; only oslo.messaging's safe keys (ids, names, roles) are sent. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Topics to publish on (default: `[DEFAULT] notification_topics`). */
  readonly topics?: readonly string[];
  /** Publisher id (default: `senlin-engine:<host>`). */
  readonly publisherId?: string;
  /** When it happened (default: now). */
  readonly timestamp?: Date;
}

/** The outgoing side of messaging, shared by the engine. */
export interface Notifier {
  /** Whether notifications go anywhere (a notification driver is configured). */
  readonly enabled: boolean;
  /** Queues a notification for every configured driver; never blocks or throws. */
  notify(notification: OutgoingNotification): void;
  /** POSTs `body` as JSON to `url` in the background, retrying failures a few times. */
  postWebhook(url: string, body: unknown): void;
  /** Delivers what is queued (for a few seconds at most), then closes connections. */
  close(): Promise<void>;
}
