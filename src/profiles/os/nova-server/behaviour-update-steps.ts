/** Steps shared by the parts of a Nova server update. */
import { EResourceUpdate, SenlinError } from '../../../common/errors.js';
import type { NodeView, ProfileCallContext, ProfileView } from '../../../engine/contracts.js';
import { type NodeDataStore, reasonOf } from '../../behaviour-support.js';
import type { LookupScope } from './behaviour-resolve.js';

/** Everything one server update works with. */
export interface UpdateCall {
  readonly node: NodeView;
  readonly current: ProfileView;
  readonly next: ProfileView;
  readonly ctx: ProfileCallContext;
  readonly serverId: string;
  /** Seconds to wait for the server to stop before changing it. */
  readonly stopTimeout: number;
  readonly store: NodeDataStore;
  readonly scope: LookupScope;
}

/**
 * Runs one step of an update: errors become EResourceUpdate (senlin errors pass through), an
 * aborted call raises the signal's reason.
 */
export async function updateStep<T>(u: UpdateCall, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (u.ctx.signal.aborted) throw u.ctx.signal.reason;
    if (err instanceof SenlinError) throw err;
    throw new EResourceUpdate('server', u.serverId, reasonOf(err));
  }
}

/** Waits for the server to reach `status` (failing on ERROR). */
export async function waitServer(u: UpdateCall, status: string, timeout?: number): Promise<void> {
  await u.ctx.drivers.compute.waitForServer(u.serverId, status, {
    timeout: timeout ?? u.ctx.settings.novaTimeout,
    failures: ['ERROR'],
    signal: u.ctx.signal,
  });
}

/** Stops the server if it is ACTIVE; it must then be SHUTOFF. */
export async function stopForChange(u: UpdateCall, what: string): Promise<void> {
  const server = await u.ctx.drivers.compute.getServer(u.serverId);
  if (server.status === 'ACTIVE') {
    await u.ctx.drivers.compute.serverAction(u.serverId, 'stop');
    await waitServer(u, 'SHUTOFF', u.stopTimeout);
  } else if (server.status !== 'SHUTOFF') {
    throw new Error(`Server needs to be ACTIVE or STOPPED in order to update ${what}.`);
  }
}
