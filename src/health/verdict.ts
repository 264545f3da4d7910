/** What a detection mode says about one node. */

/** A node's health by one detection mode (or by all of them combined). */
export interface Verdict {
  readonly healthy: boolean;
  /** Why, for logs and events. */
  readonly reason: string;
  /** True when the mode could not tell (an error): the node then counts as healthy. */
  readonly unknown: boolean;
}

/** A healthy verdict (`unknown` when the mode could not tell). */
export function healthy(reason: string, unknown = false): Verdict {
  return { healthy: true, reason, unknown };
}

/** An unhealthy verdict. */
export function unhealthy(reason: string): Verdict {
  return { healthy: false, reason, unknown: false };
}

/**
 * Combines the verdicts of several modes: with `allFailed` the node is unhealthy only when
 * every mode says so, otherwise as soon as one does. No verdict at all is healthy.
 */
export function combine(verdicts: readonly Verdict[], allFailed: boolean): Verdict {
  if (verdicts.length === 0) return healthy('no detection mode applies');
  const failed = verdicts.filter((v) => !v.healthy);
  if (allFailed) {
    if (failed.length === verdicts.length) return unhealthy(failed.map((v) => v.reason).join('; '));
    return healthy(verdicts.find((v) => v.healthy)?.reason ?? 'healthy');
  }
  const first = failed[0];
  if (first) return unhealthy(first.reason);
  return healthy(verdicts.map((v) => v.reason).join('; '));
}
