/** What every service of the fake cloud shares: the store, waits, faults and settings. */
import {
  type CloudCredentials,
  CloudError,
  CloudWaitFailed,
  type Resource,
  type WaitOptions,
} from '../types.js';
import { conflict, notFound } from './common.js';
import type { FaultRegistry } from './faults.js';
import type { Hints } from './simulate.js';
import type { Doc, FakeStore } from './store.js';
import { nextDue } from './store.js';
import { type ProbeResult, type WaitHub, waitFor } from './waits.js';

/** What a wait for a status looks at. */
export interface StatusWait {
  kind: string;
  id: string;
  /** Status field (default `status`). */
  field?: string;
  target: string;
  /** Name of the resource type in messages. */
  label: string;
  /** Statuses that can never lead to the target. */
  fails(status: string): boolean;
  /** Why the resource failed (e.g. a server fault). */
  reason?(doc: Doc): string;
  /** Message of the CloudNotFound when the resource disappears. */
  missing?: string;
}

/** Who makes a call (recorded as owner of what it creates). */
export interface Caller {
  readonly userId: string;
  readonly projectId: string;
}

/** Messages posted to a queue, as told to message listeners. */
export interface PostedMessages {
  queue: string;
  /** Subscriber URLs of the queue. */
  subscribers: string[];
  messages: { id: string; body: unknown }[];
}

/** The shared part of a fake cloud. */
export class FakeWorld {
  /** Set when the backend is closed: waits end at once. */
  closed = false;
  /** Default duration of transitions in milliseconds. */
  defaultDelayMs: number;
  private readonly dirty = new Set<string>();
  private flushScheduled = false;
  readonly messageListeners = new Set<(event: PostedMessages) => void>();
  /** Values derived from state that never changes (e.g. network names). */
  readonly memo = new Map<string, unknown>();

  constructor(
    readonly store: FakeStore,
    readonly hub: WaitHub,
    readonly faults: FaultRegistry,
    defaultDelaySeconds: number,
    readonly clusteringEndpoint: string | null,
    readonly serviceUserId: string,
  ) {
    this.defaultDelayMs = Math.max(0, defaultDelaySeconds) * 1000;
  }

  /** The owner of resources created with `credentials`. */
  static caller(credentials: CloudCredentials): Caller {
    return { userId: credentials.userId, projectId: credentials.projectId };
  }

  /** A value computed once (for state that never changes: networks, subnets, hosts). */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  /** Now, in epoch milliseconds. */
  now(): number {
    return this.store.now();
  }

  /** The time a transition started now ends, given the hints of the resource. */
  readyAt(hints: Hints): number {
    return this.now() + (hints.waitMs ?? this.defaultDelayMs);
  }

  /** Wakes the waits on a resource (after the current synchronous work). */
  touch(kind: string, id: string): void {
    this.dirty.add(`${kind}/${id}`);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      const keys = [...this.dirty];
      this.dirty.clear();
      for (const key of keys) this.hub.notify(key);
    });
  }

  /** Writes a document and wakes its waits. */
  save(kind: string, doc: Doc): void {
    this.store.put(kind, doc);
    this.touch(kind, doc.r.id);
  }

  /** A document or CloudNotFound with `message`. */
  need<R extends Resource>(kind: string, id: string, message: string): Doc<R> {
    const doc = this.store.get<R>(kind, id);
    if (!doc) throw notFound(message);
    return doc;
  }

  /** Reads, changes and saves a document (CloudNotFound with `message` when missing). */
  change<R extends Resource, T>(
    kind: string,
    id: string,
    message: string,
    fn: (doc: Doc<R>) => T,
  ): T {
    return this.store.tx(() => {
      const doc = this.need<R>(kind, id, message);
      const out = fn(doc);
      this.save(kind, doc as unknown as Doc);
      return out;
    });
  }

  /**
   * Waits until a status field of a resource equals `spec.target`; resolves with the document.
   * Statuses in `options.failures` or accepted by `spec.fails` end the wait with
   * CloudWaitFailed; a resource that disappears ends it with CloudNotFound.
   */
  waitStatus(spec: StatusWait, options: WaitOptions): Promise<Doc> {
    const { kind, id, label, target } = spec;
    const field = spec.field ?? 'status';
    const failures = new Set(options.failures ?? []);
    const probe = (): ProbeResult<Doc> => {
      if (this.closed) return { fail: closedError() };
      const doc = this.store.get(kind, id);
      if (!doc) return { fail: notFound(spec.missing ?? `${label} ${id} could not be found.`) };
      const status = String(doc.r[field]);
      if (status === target) return { done: doc };
      if (failures.has(status) || spec.fails(status)) {
        const reason = spec.reason?.(doc) ?? '';
        const suffix = reason ? `: ${reason}` : '';
        return { fail: new CloudWaitFailed(`${label} ${id} went to status ${status}${suffix}.`) };
      }
      return { due: nextDue(doc), current: `status ${status}` };
    };
    return waitFor(this.hub, `${kind}/${id}`, probe, options, `${label} ${id} to be ${target}`);
  }

  /** Waits until a resource is gone; `failed` tells whether it will never go. */
  waitGone<R extends Resource>(
    kind: string,
    id: string,
    options: WaitOptions,
    label: string,
    failed: (doc: Doc<R>) => string | null = () => null,
  ): Promise<void> {
    const probe = (): ProbeResult<undefined> => {
      if (this.closed) return { fail: closedError() };
      const doc = this.store.get<R>(kind, id);
      if (!doc) return { done: undefined };
      const why = failed(doc);
      if (why) return { fail: new CloudWaitFailed(`${label} ${id} was not deleted: ${why}.`) };
      return { due: nextDue(doc), current: 'still present' };
    };
    return waitFor(this.hub, `${kind}/${id}`, probe, options, `${label} ${id} to be deleted`);
  }

  /** Fails with a conflict unless `ok`. */
  require(ok: boolean, message: string): void {
    if (!ok) throw conflict(message);
  }
}

function closedError(): CloudError {
  return new CloudError(503, 'The fake cloud has been closed.');
}
