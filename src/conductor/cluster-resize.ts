/** Size changes of a cluster: resize, scale out, scale in. */
import type { RequestContext } from '../common/context.js';
import { BadRequest } from '../common/errors.js';
import type { AdjustmentType } from '../common/scaling.js';
import { calculateDesired, checkSizeParams } from '../common/scaling.js';
import { requestClusterAction } from './cluster-support.js';
import type { ConductorDeps } from './deps.js';
import { projectScope } from './deps.js';

/** Arguments of resize as the API passes them (keys with null values already dropped). */
export interface ResizeInput {
  readonly adjustment_type?: AdjustmentType;
  readonly number?: number;
  readonly min_size?: number;
  readonly max_size?: number;
  readonly min_step?: number;
  readonly strict?: boolean;
}

/** The adjustment of a resize, checked before the cluster is looked up (as upstream). */
function adjustment(input: ResizeInput): {
  type: AdjustmentType | null;
  number: number | null;
  minStep: number | null;
} {
  const type = input.adjustment_type ?? null;
  if (type === null) {
    if (input.number !== undefined && input.number !== null) {
      throw new BadRequest('Missing adjustment_type value for size adjustment.');
    }
    return { type: null, number: null, minStep: null };
  }
  if (input.number === undefined || input.number === null) {
    throw new BadRequest('Missing number value for size adjustment.');
  }
  if (type === 'EXACT_CAPACITY' && input.number < 0) {
    throw new BadRequest(
      `The 'number' must be non-negative integer for adjustment type '${type}'.`,
    );
  }
  if (type === 'CHANGE_IN_PERCENTAGE') {
    return { type, number: input.number, minStep: input.min_step ?? null };
  }
  return { type, number: Math.trunc(input.number), minStep: null };
}

/** Resize and scaling operations bound to their dependencies. */
export function clusterResizeOperations(deps: ConductorDeps) {
  const maxNodes = (): number => deps.config.DEFAULT.max_nodes_per_cluster;

  function scale(
    ctx: RequestContext,
    identity: string,
    direction: 'out' | 'in',
    count: number | undefined,
  ): Promise<string> {
    const action = direction === 'out' ? 'CLUSTER_SCALE_OUT' : 'CLUSTER_SCALE_IN';
    return requestClusterAction(deps, ctx, identity, async (_trx, cluster) => {
      if (count === undefined) return { action, inputs: {} };
      if (count === 0) throw new BadRequest(`Count for scale-${direction} request cannot be 0.`);
      const current = cluster.desiredCapacity ?? 0;
      const desired = direction === 'out' ? current + count : current - count;
      // Only the per-cluster maximum is checked now; the action enforces the cluster limits.
      const error = checkSizeParams(cluster, { desired, strict: false }, maxNodes());
      if (error) throw new BadRequest(error);
      return { action, inputs: { count } };
    });
  }

  return {
    /**
     * CLUSTER_RESIZE: the target is computed from the number of nodes now in the cluster and
     * checked against the limits (strict by default) before the action is queued.
     */
    async resize(ctx: RequestContext, identity: string, input: ResizeInput): Promise<string> {
      const { type, number, minStep } = adjustment(input);
      const minSize = input.min_size ?? null;
      const maxSize = input.max_size ?? null;
      const strict = input.strict ?? true;
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        let q = trx
          .selectFrom('node')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('cluster_id', '=', cluster.id);
        const project = projectScope(ctx);
        if (project !== null) q = q.where('project', '=', project);
        const current = Number((await q.executeTakeFirst())?.n ?? 0);
        const desired =
          type !== null && number !== null
            ? calculateDesired(current, type, number, minStep)
            : null;
        const error = checkSizeParams(cluster, { desired, minSize, maxSize, strict }, maxNodes());
        if (error) throw new BadRequest(error);
        return {
          action: 'CLUSTER_RESIZE',
          inputs: {
            adjustment_type: type,
            number,
            min_size: minSize,
            max_size: maxSize,
            min_step: minStep,
            strict,
          },
        };
      });
    },

    /** CLUSTER_SCALE_OUT by `count` nodes (or by what a scaling policy decides). */
    scaleOut(ctx: RequestContext, identity: string, count?: number): Promise<string> {
      return scale(ctx, identity, 'out', count);
    },

    /** CLUSTER_SCALE_IN by `count` nodes (or by what a scaling policy decides). */
    scaleIn(ctx: RequestContext, identity: string, count?: number): Promise<string> {
      return scale(ctx, identity, 'in', count);
    },
  };
}
