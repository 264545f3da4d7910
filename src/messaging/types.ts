/**
 * What the messaging layer offers the rest of senlin-ts: notifications about cloud resources
 * coming in (Nova servers, Heat stacks), read by the health manager's LIFECYCLE_EVENTS
 * detection, and Senlin's own notifications going out.
 */

/** A change of a cloud resource reported on the notification bus, already decoded. */
export interface ResourceEvent {
  /** The service that reported it. */
  readonly service: 'nova' | 'heat';
  /**
   * The event type as published, e.g. `instance.delete.end` (versioned Nova),
   * `compute.instance.power_off.end` (legacy Nova), `orchestration.stack.delete.end`.
   */
  readonly eventType: string;
  /** What happened, normalised: the resource is gone, stopped, paused, in error, or other. */
  readonly kind: 'deleted' | 'stopped' | 'paused' | 'error' | 'other';
  /** Id of the server or stack (a node's `physical_id`). */
  readonly physicalId: string;
  /** Project owning the resource, when the notification says. */
  readonly projectId: string | null;
  /** Resource state after the change (`ACTIVE`, `SHUTOFF`, `DELETE_COMPLETE`, …), if given. */
  readonly state: string | null;
  /** Metadata of the resource as published (Nova's carries `cluster_id` / `cluster_node_id`). */
  readonly metadata: Readonly<Record<string, string>>;
  /** When the publisher says it happened (ISO 8601). */
  readonly timestamp: string;
}

/** A stream of resource events; every subscriber sees every event. */
export interface NotificationSource {
  /** Registers a handler; returns the function that removes it. */
  subscribe(handler: (event: ResourceEvent) => void | Promise<void>): () => void;
  /**
   * Registers a handler called when a lost connection to the bus was restored: events
   * published meanwhile may have been missed, so a consumer should look at its resources once
   * (a status poll). Returns the function that removes it.
   */
  onReconnect?(handler: () => void): () => void;
  /** Stops listening and releases connections. */
  close(): Promise<void>;
}
