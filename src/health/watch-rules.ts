/** Rules of a cluster watch without I/O: scheduling, pause transitions, lifecycle events. */
import type { NodeRecord } from '../db/queries/nodes.js';
import type { ResourceEvent } from '../messaging/types.js';
import { CHECKED_STATUSES } from './node-checks.js';

/** Checking state of a cluster. */
export type WatchState = 'active' | 'paused' | 'disabled';

/** Milliseconds until the next run, catching up on runs missed while this one lasted. */
export function nextDelayMs(startedMs: number, nowMs: number, intervalSeconds: number): number {
  const interval = intervalSeconds * 1000;
  const elapsed = Math.max(0, nowMs - startedMs);
  const missed = Math.floor(Math.max(0, elapsed - 0.1) / interval);
  return (missed + 1) * interval - elapsed;
}

/**
 * The event status and reason of a change of checking state, or null when the state stays.
 * `reason` is why checking is paused or disabled now.
 */
export function transitionEvent(
  previous: WatchState,
  next: WatchState,
  reason: string,
): { status: string; reason: string } | null {
  if (next === previous) return null;
  if (next === 'paused') return { status: 'PAUSED', reason: `Health checking paused: ${reason}.` };
  if (next === 'disabled') {
    return { status: 'DISABLED', reason: reason || 'Health checking is disabled.' };
  }
  return previous === 'paused'
    ? { status: 'RESUMED', reason: 'Health checking resumed.' }
    : { status: 'ENABLED', reason: 'Health checking enabled.' };
}

const RECOVERABLE_KINDS: readonly string[] = ['deleted', 'stopped', 'paused', 'error'];

/** Whether a resource event means the resource needs recovery. */
export function isRecoverableEvent(event: ResourceEvent): boolean {
  return RECOVERABLE_KINDS.includes(event.kind);
}

/**
 * Whether an event still concerns the node: it is a checked member of the cluster and the
 * event is about the resource the node has now, or the node has lost track of its resource.
 * An event about a resource the node had before (a recovery replaced it) is stale.
 */
export function eventConcernsNode(
  node: Pick<NodeRecord, 'clusterId' | 'status' | 'physicalId'>,
  clusterId: string,
  event: ResourceEvent,
): boolean {
  if (node.clusterId !== clusterId || !CHECKED_STATUSES.includes(node.status)) return false;
  if (event.physicalId === '') return false;
  return node.physicalId === null || node.physicalId === event.physicalId;
}
