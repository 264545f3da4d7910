/** A profile call context that remembers the node data stored through it. */
import type { NodeView, ProfileCallContext } from '../../../engine/contracts.js';

/** A context whose `saveNodeData` also keeps the last data stored. */
export interface TrackedContext {
  readonly ctx: ProfileCallContext;
  /** The node's data as last stored through `ctx` (or as it was). */
  data(): Record<string, unknown>;
}

/** Wraps `ctx` so that the data the 1.0 behaviour stores is known afterwards. */
export function trackData(node: NodeView, ctx: ProfileCallContext): TrackedContext {
  let data: Record<string, unknown> = structuredClone({ ...node.data });
  const tracked: ProfileCallContext = {
    drivers: ctx.drivers,
    signal: ctx.signal,
    settings: ctx.settings,
    lookup: ctx.lookup,
    sleep: (seconds) => ctx.sleep(seconds),
    ...(ctx.claims ? { claims: ctx.claims } : {}),
    saveNodeData: async (next) => {
      await ctx.saveNodeData(next);
      data = structuredClone(next);
    },
  };
  return { ctx: tracked, data: () => structuredClone(data) };
}
