/** Cluster health and operation actions: check, recover, operations, lifecycle completion. */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import { BadRequest, ResourceNotFound } from '../common/errors.js';
import { pyRepr, pyStr } from '../common/py-repr.js';
import { getAction, updateAction } from '../db/queries/actions.js';
import type { Database } from '../db/schema.js';
import { profileTypes, validateProfileOperation } from '../profiles/index.js';
import { requestClusterAction } from './cluster-support.js';
import type { ConductorDeps } from './deps.js';
import { projectScope } from './deps.js';

/** Recovery operations a cluster recover may ask for (any case). */
const RECOVERY_OPERATIONS = ['REBOOT', 'REBUILD', 'RECREATE'];
/** Reboot types of a REBOOT recovery (any case). */
const REBOOT_TYPES = ['SOFT', 'HARD'];
/** Node columns an operation's `filters` may name. */
const OPERATION_FILTERS = ['name', 'profile_id', 'status', 'role'];

/** Arguments of a cluster operation. */
export interface ClusterOperationInput {
  readonly operation: string;
  readonly params?: Record<string, unknown> | null;
  readonly filters?: Record<string, unknown> | null;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: Record<string, unknown> | null | undefined): boolean {
  return !value || Object.keys(value).length === 0;
}

/**
 * The inputs of CLUSTER_RECOVER from the request's parameters: `operation` (with its
 * `operation_params`), `check` and `check_capacity`; any other key is refused.
 */
export function recoverInputs(params: Record<string, unknown> | null): Record<string, unknown> {
  if (isEmpty(params)) return {};
  const rest = { ...params };
  const inputs: Record<string, unknown> = {};
  if ('operation' in rest) {
    const operation = rest.operation;
    delete rest.operation;
    if (typeof operation !== 'string') throw new BadRequest('operation has to be a string');
    if (!RECOVERY_OPERATIONS.includes(operation.toUpperCase())) {
      throw new BadRequest(
        `Operation value '${operation}' has to be one of the following: ${RECOVERY_OPERATIONS.join(', ')}.`,
      );
    }
    inputs.operation = operation;
    if ('operation_params' in rest) {
      const operationParams = rest.operation_params;
      delete rest.operation_params;
      if (operation.toUpperCase() === 'REBOOT') {
        if (!isMap(operationParams)) throw new BadRequest('operation_params must be a map');
        if (
          'type' in operationParams &&
          !REBOOT_TYPES.includes(pyStr(operationParams.type).toUpperCase())
        ) {
          throw new BadRequest(
            `Type field '${pyStr(operationParams.type)}' in operation_params has to be one of the following: ${REBOOT_TYPES.join(', ')}.`,
          );
        }
      }
      inputs.operation_params = operationParams;
    }
  }
  for (const key of ['check', 'check_capacity']) {
    if (key in rest) {
      inputs[key] = rest[key];
      delete rest[key];
    }
  }
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new BadRequest(`Action parameter ${pyRepr(unknown)} is not recognizable.`);
  }
  return inputs;
}

/** Ids of the cluster's nodes matching the operation filters (exact values or lists). */
async function operationNodes(
  k: Kysely<Database>,
  clusterId: string,
  filters: Record<string, unknown> | null | undefined,
): Promise<string[]> {
  let q = k.selectFrom('node').select('id').where('cluster_id', '=', clusterId);
  if (!isEmpty(filters)) {
    const errors = Object.keys(filters ?? {})
      .filter((key) => !OPERATION_FILTERS.includes(key))
      .map((key) => `Filter key '${key}' is unsupported`);
    if (errors.length > 0) throw new BadRequest(errors.join('\n'));
    for (const [key, value] of Object.entries(filters ?? {})) {
      const column = key as 'name' | 'profile_id' | 'status' | 'role';
      q = Array.isArray(value)
        ? q.where(column, 'in', value.length > 0 ? (value as string[]) : [''])
        : q.where(column, '=', value as string);
    }
  }
  const rows = await q.orderBy('index').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Check, recover, operation and lifecycle operations bound to their dependencies. */
export function clusterActionOperations(deps: ConductorDeps) {
  return {
    /**
     * CLUSTER_CHECK with the request's parameters as inputs. `delete_check_action: true`
     * first removes the cluster's finished CLUSTER_CHECK actions.
     */
    check(
      ctx: RequestContext,
      identity: string,
      params: Record<string, unknown> | null,
    ): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const inputs = params ?? {};
        if (inputs.delete_check_action) {
          const old = trx
            .selectFrom('action')
            .select('id')
            .where('target', '=', cluster.id)
            .where('action', '=', 'CLUSTER_CHECK')
            .where('status', 'in', ['SUCCEEDED', 'FAILED']);
          await trx
            .deleteFrom('dependency')
            .where((eb) => eb.or([eb('depended', 'in', old), eb('dependent', 'in', old)]))
            .execute();
          await trx
            .deleteFrom('action')
            .where('target', '=', cluster.id)
            .where('action', '=', 'CLUSTER_CHECK')
            .where('status', 'in', ['SUCCEEDED', 'FAILED'])
            .execute();
        }
        return { action: 'CLUSTER_CHECK', inputs, ownerFallback: true };
      });
    },

    /** CLUSTER_RECOVER with the validated recovery parameters. */
    recover(
      ctx: RequestContext,
      identity: string,
      params: Record<string, unknown> | null,
    ): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async () => ({
        action: 'CLUSTER_RECOVER',
        inputs: recoverInputs(params),
        ownerFallback: true,
      }));
    },

    /**
     * CLUSTER_OPERATION: runs one of the profile type's operations on the cluster's nodes
     * (all of them, or those matching `filters`).
     */
    operation(
      ctx: RequestContext,
      identity: string,
      input: ClusterOperationInput,
    ): Promise<string> {
      return requestClusterAction(deps, ctx, identity, async (trx, cluster) => {
        const profile = await trx
          .selectFrom('profile')
          .select('type')
          .where('id', '=', cluster.profileId)
          .executeTakeFirst();
        const typeName = profile?.type ?? '';
        const type = profileTypes.get(typeName);
        if (!type) {
          throw new BadRequest(
            `The requested operation '${input.operation}' is not supported by the profile type '${typeName}'.`,
          );
        }
        validateProfileOperation(type, input.operation, input.params ?? {});
        const nodes = await operationNodes(trx, cluster.id, input.filters);
        if (nodes.length === 0) {
          throw new BadRequest('No node (matching the filter) could be found.');
        }
        return {
          action: 'CLUSTER_OPERATION',
          prefix: `cluster_${input.operation}`,
          inputs: { operation: input.operation, params: input.params ?? {}, nodes },
        };
      });
    },

    /**
     * Completes a lifecycle hook: the action whose id is the token goes back to READY when it
     * waits for lifecycle completion (nothing happens otherwise). No cluster is looked up;
     * the token must be an exact action id. Returns the token.
     */
    async completeLifecycle(ctx: RequestContext, token: string): Promise<string> {
      const project = projectScope(ctx);
      const released = await deps.db.transaction(async (trx) => {
        const action = await getAction(trx, token);
        // another project's action is not found, as upstream's project-safe load has it
        if (!action || (project !== null && action.project !== project)) {
          throw new ResourceNotFound('action', token);
        }
        if (action.status !== 'WAITING_LIFECYCLE_COMPLETION') return false;
        await updateAction(trx, token, {
          status: 'READY',
          statusReason: 'Lifecycle complete.',
          owner: null,
        });
        return true;
      });
      if (released) deps.bus.ready();
      return token;
    },
  };
}
