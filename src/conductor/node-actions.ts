/** Node actions: check, recover and profile operations. */
import type { Kysely } from 'kysely';
import type { RequestContext } from '../common/context.js';
import { BadRequest } from '../common/errors.js';
import { pyRepr } from '../common/py-repr.js';
import type { ActionRecord } from '../db/queries/actions.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import type { Database } from '../db/schema.js';
import type { NewAction } from '../engine/action-create.js';
import { short } from '../engine/services.js';
import { profileTypes, validateProfileOperation } from '../profiles/index.js';
import type { ConductorDeps } from './deps.js';
import { findNode, getProfileById } from './node-lookup.js';

/** Stores an action for a node inside a transaction (see nodes.ts). */
export type NodeActionStarter = (
  trx: Kysely<Database>,
  ctx: RequestContext,
  node: NodeRecord,
  spec: Omit<NewAction, 'target' | 'clusterId' | 'timeout'>,
) => Promise<ActionRecord>;

/** Recovery operations, in upstream's order (it appears in messages). */
export const RECOVERY_OPERATIONS = ['REBOOT', 'REBUILD', 'RECREATE'] as const;
const REBOOT_TYPES = ['SOFT', 'HARD'];

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `operation` and `operation_params` of recover parameters, validated with upstream's
 * messages. The keys it consumes are removed from `params`.
 */
export function takeOperationParams(params: Record<string, unknown>): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  if (!('operation' in params)) return inputs;
  const op = params.operation;
  delete params.operation;
  if (typeof op !== 'string') throw new BadRequest('operation has to be a string');
  if (!(RECOVERY_OPERATIONS as readonly string[]).includes(op.toUpperCase())) {
    throw new BadRequest(
      `Operation value '${op}' has to be one of the following: ${RECOVERY_OPERATIONS.join(', ')}.`,
    );
  }
  inputs.operation = op;
  if ('operation_params' in params) {
    const opParams = params.operation_params;
    delete params.operation_params;
    if (op.toUpperCase() === 'REBOOT') {
      if (!isMap(opParams)) throw new BadRequest('operation_params must be a map');
      if ('type' in opParams) {
        const type = opParams.type;
        if (typeof type !== 'string' || !REBOOT_TYPES.includes(type.toUpperCase())) {
          throw new BadRequest(
            `Type field '${String(type)}' in operation_params has to be one of the following: ${REBOOT_TYPES.join(', ')}.`,
          );
        }
      }
    }
    inputs.operation_params = opParams;
  }
  return inputs;
}

/**
 * The inputs of a NODE_RECOVER from the request parameters: the operation, `check`,
 * `delete_timeout` and `force_recreate`; any other key is a 400.
 */
export function nodeRecoverInputs(
  params: Readonly<Record<string, unknown>> | null | undefined,
): Record<string, unknown> {
  if (!params || Object.keys(params).length === 0) return {};
  const rest = { ...params };
  const inputs = takeOperationParams(rest);
  for (const key of ['check', 'delete_timeout', 'force_recreate']) {
    if (key in rest) {
      inputs[key] = rest[key];
      delete rest[key];
    }
  }
  const left = Object.keys(rest);
  if (left.length > 0) {
    throw new BadRequest(`Action parameter ${pyRepr(left)} is not recognizable.`);
  }
  return inputs;
}

/** Check, recover and operation on nodes, bound to their dependencies. */
export function nodeActionOperations(deps: ConductorDeps, start: NodeActionStarter) {
  const { db } = deps;

  async function run(
    ctx: RequestContext,
    node: NodeRecord,
    spec: Omit<NewAction, 'target' | 'clusterId' | 'timeout'>,
  ): Promise<string> {
    const action = await db.transaction((trx) => start(trx, ctx, node, spec));
    deps.bus.ready();
    return action.id;
  }

  return {
    /** Starts a NODE_CHECK; non-empty parameters become its inputs. */
    async check(
      ctx: RequestContext,
      identity: string,
      params: Record<string, unknown> | null,
    ): Promise<string> {
      const node = await db.retry((k) => findNode(k, ctx, identity));
      return run(ctx, node, {
        name: `node_check_${short(node.id)}`,
        action: 'NODE_CHECK',
        ...(params && Object.keys(params).length > 0 ? { inputs: params } : {}),
      });
    },

    /** Starts a NODE_RECOVER after validating its parameters. */
    async recover(
      ctx: RequestContext,
      identity: string,
      params: Record<string, unknown> | null,
    ): Promise<string> {
      const node = await db.retry((k) => findNode(k, ctx, identity));
      const inputs = nodeRecoverInputs(params);
      return run(ctx, node, {
        name: `node_recover_${short(node.id)}`,
        action: 'NODE_RECOVER',
        inputs,
      });
    },

    /** Starts a NODE_OPERATION after checking the operation against the node's profile type. */
    async operation(
      ctx: RequestContext,
      identity: string,
      operation: string,
      params: Record<string, unknown> | null,
    ): Promise<string> {
      const node = await db.retry((k) => findNode(k, ctx, identity));
      const profile = await db.retry((k) => getProfileById(k, node.profileId));
      const typeName = profile?.type ?? '';
      const type = profileTypes.get(typeName);
      if (!type) {
        throw new BadRequest(
          `The requested operation '${operation}' is not supported by the profile type '${typeName}'.`,
        );
      }
      validateProfileOperation(type, operation, params);
      const given = params && Object.keys(params).length > 0 ? params : {};
      return run(ctx, node, {
        name: `node_${operation}_${short(node.id)}`,
        action: 'NODE_OPERATION',
        inputs: { operation, params: given },
      });
    },
  };
}
