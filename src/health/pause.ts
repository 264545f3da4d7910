/**
 * Whether health checking of a cluster is paused now, and why.
 *
 * - *disabled*: the registration is disabled with no action holding it: the operator disabled
 *   the health policy's binding (`policy_update` with `enabled: false`).
 * - *paused*: an action that changes the cluster's membership is under way, either one holding
 *   the registration (the health policy's holds, `params.disabled_by`) or any other such action
 *   on the cluster (a scale-out, added nodes, a node created into the cluster …). Holds left by
 *   actions that have ended without releasing them (their engine died) no longer count.
 */
import type { Kysely } from 'kysely';
import { FINAL_ACTION_STATUSES } from '../common/constants.js';
import type { Database } from '../db/schema.js';
import { short } from '../engine/services.js';
import { readHolds } from '../policies/health-behaviour-holds.js';
import type { RegistrationRecord } from './registry-store.js';

/** Actions during which the membership of a cluster changes. */
export const MEMBERSHIP_ACTIONS: readonly string[] = [
  'CLUSTER_CREATE',
  'CLUSTER_DELETE',
  'CLUSTER_ADD_NODES',
  'CLUSTER_DEL_NODES',
  'CLUSTER_REPLACE_NODES',
  'CLUSTER_RESIZE',
  'CLUSTER_SCALE_OUT',
  'CLUSTER_SCALE_IN',
  'CLUSTER_UPDATE',
  'CLUSTER_RECOVER',
  'NODE_CREATE',
  'NODE_DELETE',
  'NODE_JOIN',
  'NODE_LEAVE',
];

const ACTIVE = ['INIT', 'READY', 'RUNNING', 'WAITING', 'SUSPENDED', 'WAITING_LIFECYCLE_COMPLETION'];

/** Why checking is off: disabled by the operator, or paused by an action. */
export interface PauseState {
  readonly state: 'disabled' | 'paused';
  readonly reason: string;
}

function describe(action: { id: string; action: string | null }): string {
  return `${action.action ?? 'an action'} ${short(action.id)} is changing the cluster's membership`;
}

/** The pause of a registration's cluster now, or null when checking goes on. */
export async function pauseState(
  k: Kysely<Database>,
  registration: RegistrationRecord,
): Promise<PauseState | null> {
  if (!registration.enabled) {
    const holds = Object.keys(readHolds(registration.params));
    if (holds.length === 0) {
      return { state: 'disabled', reason: 'Health checking is disabled for the cluster.' };
    }
    const holding = await k
      .selectFrom('action')
      .select(['id', 'action', 'status'])
      .where('id', 'in', holds)
      .execute();
    const live = holding.find((a) => !FINAL_ACTION_STATUSES.includes(a.status ?? ''));
    if (live) return { state: 'paused', reason: describe(live) };
  }
  const busy = await k
    .selectFrom('action')
    .select(['id', 'action'])
    .where((eb) =>
      eb.or([
        eb('cluster_id', '=', registration.clusterId),
        eb('target', '=', registration.clusterId),
      ]),
    )
    .where('action', 'in', [...MEMBERSHIP_ACTIONS])
    .where('status', 'in', ACTIVE)
    .orderBy('created_at')
    .executeTakeFirst();
  return busy ? { state: 'paused', reason: describe(busy) } : null;
}
