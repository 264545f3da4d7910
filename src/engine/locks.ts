/**
 * Taking and releasing cluster and node locks for running actions, with upstream's rules: a few
 * quick attempts, forced locks steal, and a lock held by an action of a dead engine is taken
 * over (and that engine's work is failed).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { fromDbTime } from '../db/codec.js';
import { markEnded } from '../db/queries/action-state.js';
import { getAction } from '../db/queries/actions.js';
import {
  acquireClusterLock,
  acquireNodeLock,
  getClusterLock,
  getNodeLock,
  releaseClusterLock,
  releaseNodeLock,
  stealClusterLock,
  stealNodeLock,
} from '../db/queries/locks.js';
import { failWorkOfEngine } from './liveness.js';
import type { EngineServices } from './services.js';
import { epoch } from './services.js';

/** Attempts of a lock before giving up (the action is then rescheduled). */
const ATTEMPTS = 3;

function isDuplicate(err: unknown): boolean {
  const e = err as { code?: string | number; errno?: number; message?: string };
  return (
    e?.code === '23505' ||
    e?.code === 'ER_DUP_ENTRY' ||
    e?.errno === 1062 ||
    (typeof e?.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT'))
  );
}

/** True when the engine owning `actionId` no longer heartbeats (or the action has no owner). */
export async function holderIsDead(svc: EngineServices, actionId: string): Promise<string | null> {
  const holder = await svc.db.retry((k) => getAction(k, actionId));
  if (!holder?.owner || holder.owner === svc.engineId) return null;
  const owner = holder.owner;
  const row = await svc.db.retry((k) =>
    k
      .selectFrom('service')
      .select(['updated_at', 'created_at'])
      .where('id', '=', owner)
      .executeTakeFirst(),
  );
  const seen = fromDbTime(row?.updated_at ?? row?.created_at ?? null);
  const limit = 2.2 * svc.config.DEFAULT.periodic_interval * 1000;
  return !seen || svc.now().getTime() - seen.getTime() > limit ? owner : null;
}

/** Takes a cluster lock (scope -1 exclusive, 1 shared by node actions); false when it cannot. */
export async function lockCluster(
  svc: EngineServices,
  clusterId: string,
  actionId: string,
  scope: number,
  forced: boolean,
): Promise<boolean> {
  const lockRows = svc.db.dialect !== 'sqlite';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const holders = await svc.db.transaction((trx) =>
        acquireClusterLock(trx, clusterId, actionId, scope, lockRows),
      );
      if (holders.includes(actionId)) return true;
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
    if (attempt < ATTEMPTS) await delay(50 + Math.random() * 150);
  }
  if (forced) {
    await svc.db.transaction((trx) => stealClusterLock(trx, clusterId, actionId));
    return true;
  }
  const lock = await svc.db.retry((k) => getClusterLock(k, clusterId));
  const first = lock?.actionIds[0];
  if (!first) return false;
  const dead = await holderIsDead(svc, first);
  if (!dead) return false;
  await failWorkOfEngine(svc, dead);
  await svc.db.transaction((trx) => stealClusterLock(trx, clusterId, actionId));
  return true;
}

/** Releases an action's hold on a cluster lock. */
export async function unlockCluster(
  svc: EngineServices,
  clusterId: string,
  actionId: string,
): Promise<void> {
  const lockRows = svc.db.dialect !== 'sqlite';
  await svc.db.transaction((trx) => releaseClusterLock(trx, clusterId, actionId, lockRows));
}

/** Takes a node lock; forced locks steal it. False when another live action holds it. */
export async function lockNode(
  svc: EngineServices,
  nodeId: string,
  actionId: string,
  forced: boolean,
): Promise<boolean> {
  const lockRows = svc.db.dialect !== 'sqlite';
  let holder: string;
  try {
    holder = await svc.db.transaction((trx) => acquireNodeLock(trx, nodeId, actionId, lockRows));
  } catch (err) {
    if (!isDuplicate(err)) throw err;
    holder = (await svc.db.retry((k) => getNodeLock(k, nodeId))) ?? '';
  }
  if (holder === actionId) return true;
  if (forced) {
    await svc.db.transaction((trx) => stealNodeLock(trx, nodeId, actionId));
    return true;
  }
  if (holder && (await holderIsDead(svc, holder))) {
    await svc.db.transaction(async (trx) => {
      await markEnded(
        trx,
        holder,
        'FAILED',
        epoch(svc.now()),
        'Engine died when executing this action.',
      );
      await stealNodeLock(trx, nodeId, actionId);
    });
    return true;
  }
  return false;
}

/** Releases a node lock held by the action. */
export async function unlockNode(
  svc: EngineServices,
  nodeId: string,
  actionId: string,
): Promise<void> {
  await svc.db.transaction((trx) => releaseNodeLock(trx, nodeId, actionId));
}
