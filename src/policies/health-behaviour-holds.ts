/**
 * Pausing health checking while actions change a cluster's membership, when several such
 * actions may overlap.
 *
 * Every action that pauses checking leaves a *hold* in the registration's params:
 * `params.disabled_by = {<action id>: <ISO time the hold was taken>}`. The registration is
 * enabled again only when the last hold goes, so one action finishing cannot turn checking back
 * on while another one still deletes nodes.
 *
 * Which actions can overlap follows from the cluster lock: an action on the whole cluster holds
 * it exclusively (nothing else runs on the cluster meanwhile), requests on member nodes share
 * it. So an exclusive action drops every other hold it finds (they were left by actions that
 * died without their AFTER check), while a node request keeps the holds of its peers and only
 * drops those older than {@link holdExpirySeconds}. Holds of one cluster are changed one at a
 * time within a process; across engine processes two node requests starting at the same instant
 * may still race (see the module's report on what the engine could offer).
 */
import { isPlainObject } from '../common/spec-schema/index.js';
import type { HealthRegistration, PolicyContext } from '../engine/contracts.js';

/** The key of the holds in the registration params. */
export const HOLDS_KEY = 'disabled_by';

/** Holds by action id: when each was taken (ISO time). */
export type Holds = Readonly<Record<string, string>>;

/** Node requests run with `default_action_timeout`, 3600 s unless configured otherwise. */
const MIN_HOLD_EXPIRY = 3600;

/** The holds recorded in registration params (malformed entries are ignored). */
export function readHolds(params: Readonly<Record<string, unknown>>): Holds {
  const raw = params[HOLDS_KEY];
  if (!isPlainObject(raw)) return {};
  const holds: Record<string, string> = {};
  for (const [id, since] of Object.entries(raw)) {
    if (typeof since === 'string') holds[id] = since;
  }
  return holds;
}

/** Holds taken less than `maxAgeSeconds` before `now` (unreadable times count as expired). */
export function liveHolds(holds: Holds, now: Date, maxAgeSeconds: number): Holds {
  const kept: Record<string, string> = {};
  for (const [id, since] of Object.entries(holds)) {
    const at = Date.parse(since);
    if (Number.isFinite(at) && now.getTime() - at < maxAgeSeconds * 1000) kept[id] = since;
  }
  return kept;
}

/**
 * How long a hold of a node request lives at most: the longest such an action may run, i.e.
 * the cluster's timeout but never less than the default action timeout.
 */
export function holdExpirySeconds(clusterTimeout: number): number {
  return Math.max(clusterTimeout, MIN_HOLD_EXPIRY);
}

/** Registration params with `holds` recorded (the key is left out when there is none). */
export function withHolds(
  params: Readonly<Record<string, unknown>>,
  holds: Holds,
): Record<string, unknown> {
  const { [HOLDS_KEY]: _old, ...rest } = params;
  return Object.keys(holds).length > 0 ? { ...rest, [HOLDS_KEY]: { ...holds } } : rest;
}

function sameHolds(a: Holds, b: Holds): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

/** How the holds of one action are taken and released. */
export interface HoldRequest {
  readonly actionId: string;
  /** True for actions holding the cluster lock exclusively (cluster actions). */
  readonly exclusive: boolean;
}

/** Takes and releases holds on the health registration of clusters. */
export interface HealthGate {
  /** Pauses checking for the action (no-op without a registration). */
  hold(ctx: PolicyContext, clusterId: string, request: HoldRequest): Promise<void>;
  /** Ends the action's hold; checking resumes when no hold is left. */
  release(ctx: PolicyContext, clusterId: string, request: HoldRequest): Promise<void>;
  /**
   * Sets the registration enabled or disabled for the binding (policy update); holds are all
   * stale then, as the update holds the cluster lock exclusively. False without a registration.
   */
  reset(ctx: PolicyContext, clusterId: string, enabled: boolean): Promise<boolean>;
}

async function otherHolds(
  ctx: PolicyContext,
  registration: HealthRegistration,
  exclusive: boolean,
): Promise<Holds> {
  if (exclusive) return {};
  const cluster = await ctx.cluster();
  return liveHolds(readHolds(registration.params), ctx.now(), holdExpirySeconds(cluster.timeout));
}

/** Writes holds and the enabled flag, touching the registration only where it changed. */
async function store(
  ctx: PolicyContext,
  registration: HealthRegistration,
  holds: Holds,
  enabled: boolean,
): Promise<void> {
  if (sameHolds(readHolds(registration.params), holds)) {
    if (registration.enabled !== enabled) await ctx.health.setEnabled(enabled);
    return;
  }
  await ctx.health.register({
    ...registration,
    params: withHolds(registration.params, holds),
    enabled,
  });
}

/** A gate whose changes to one cluster's registration run one after another in this process. */
export function createHealthGate(): HealthGate {
  const tails = new Map<string, Promise<unknown>>();
  const serial = async <T>(clusterId: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(clusterId) ?? Promise.resolve();
    const run = previous.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(clusterId, tail);
    try {
      return await run;
    } finally {
      if (tails.get(clusterId) === tail) tails.delete(clusterId);
    }
  };

  return {
    hold: (ctx, clusterId, { actionId, exclusive }) =>
      serial(clusterId, async () => {
        const registration = await ctx.health.get();
        if (!registration) return;
        const holds = {
          ...(await otherHolds(ctx, registration, exclusive)),
          [actionId]: ctx.now().toISOString(),
        };
        await store(ctx, registration, holds, false);
      }),
    release: (ctx, clusterId, { actionId, exclusive }) =>
      serial(clusterId, async () => {
        const registration = await ctx.health.get();
        if (!registration) return;
        const { [actionId]: _mine, ...holds } = await otherHolds(ctx, registration, exclusive);
        await store(ctx, registration, holds, Object.keys(holds).length === 0);
      }),
    reset: (ctx, clusterId, enabled) =>
      serial(clusterId, async () => {
        const registration = await ctx.health.get();
        if (!registration) return false;
        await store(ctx, registration, {}, enabled);
        return true;
      }),
  };
}
