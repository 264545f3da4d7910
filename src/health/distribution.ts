/**
 * How health managers share the registrations: who is alive, and from whom an under-loaded
 * manager takes registrations so that every live manager ends up with about the same number
 * (counts differ by one at most once every manager has run its sweep). Pure functions.
 */
import type { ManagerHeartbeat } from './registry-store.js';

/** Registrations a manager takes from another live manager. */
export interface Takeover {
  readonly donor: string;
  readonly count: number;
}

/**
 * The live managers: `self` and every manager whose heartbeat is not older than
 * `deadAfterSeconds`, sorted by id.
 */
export function liveManagers(
  managers: readonly ManagerHeartbeat[],
  self: string,
  now: Date,
  deadAfterSeconds: number,
): string[] {
  const limit = now.getTime() - deadAfterSeconds * 1000;
  const live = new Set([self]);
  for (const m of managers) {
    if (m.seen && m.seen.getTime() >= limit) live.add(m.id);
  }
  return [...live].sort();
}

/**
 * When the first live manager other than `self` would be judged dead if it stopped
 * heartbeating now: its last heartbeat plus `deadAfterSeconds`; null when there is none.
 */
export function nextDeadline(
  managers: readonly ManagerHeartbeat[],
  self: string,
  live: readonly string[],
  deadAfterSeconds: number,
): Date | null {
  let first: number | null = null;
  for (const m of managers) {
    if (m.id === self || !m.seen || !live.includes(m.id)) continue;
    const at = m.seen.getTime() + deadAfterSeconds * 1000;
    if (first === null || at < first) first = at;
  }
  return first === null ? null : new Date(first);
}

/**
 * The registrations `self` takes from other live managers (after orphans were claimed): it
 * takes one at a time from the most loaded manager while it holds fewer than its fair share
 * (total / live managers, rounded down) and that manager holds at least two more than it.
 */
export function planTakeovers(
  counts: ReadonlyMap<string, number>,
  self: string,
  live: readonly string[],
): Takeover[] {
  if (live.length < 2) return [];
  const load = new Map(live.map((id) => [id, counts.get(id) ?? 0]));
  let total = 0;
  for (const n of load.values()) total += n;
  const share = Math.floor(total / live.length);
  let mine = load.get(self) ?? 0;
  const taken = new Map<string, number>();
  while (mine < share) {
    let donor: string | null = null;
    let most = -1;
    for (const [id, n] of load) {
      if (id !== self && n > most) {
        donor = id;
        most = n;
      }
    }
    if (donor === null || most - mine <= 1) break;
    load.set(donor, most - 1);
    mine += 1;
    taken.set(donor, (taken.get(donor) ?? 0) + 1);
  }
  return [...taken].map(([donor, count]) => ({ donor, count }));
}
