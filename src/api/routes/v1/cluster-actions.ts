/**
 * `POST /v1/clusters/{id}/actions`: one key names the action, its value (an object) holds the
 * arguments. Body and argument checks come before the cluster is looked up, as upstream.
 */
import type { ApiVersion } from '../../../common/api-version.js';
import type { RequestContext } from '../../../common/context.js';
import { HTTPBadRequest, MethodVersionNotFound } from '../../../common/errors.js';
import type { ResizeInput } from '../../../conductor/cluster-resize.js';
import type { Conductor } from '../../../conductor/index.js';
import type { RouteDef } from '../../route.js';
import {
  ClusterAddNodesRequest,
  ClusterAttachPolicyRequest,
  ClusterCompleteLifecycleRequest,
  ClusterDelNodesRequest,
  ClusterDetachPolicyRequest,
  ClusterParamsRequest,
  ClusterReplaceNodesRequest,
  ClusterScaleRequest,
  ClusterUpdatePolicyRequest,
  clusterResizeRequest,
} from '../../schemas/cluster-actions.js';
import { parseRequest } from '../../validation/request-object.js';

/** What an action handler gets. */
interface ActionCall {
  readonly ctx: RequestContext;
  readonly version: ApiVersion;
  readonly identity: string;
  readonly data: Record<string, unknown>;
}

type ActionHandler = (call: ActionCall) => Promise<string>;

const NOT_A_MAP = 'The data provided is not a map';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function requireVersion(version: ApiVersion, min: string): void {
  if (!version.atLeast(min)) throw new MethodVersionNotFound(version.toString());
}

/** The resize checks of the API layer, then the validated arguments. */
function resizeInput(call: ActionCall, maxNodes: number): ResizeInput {
  const { data } = call;
  const params: Record<string, unknown> = {};
  for (const key of ['adjustment_type', 'number', 'min_size', 'max_size']) {
    if (given(data[key])) params[key] = data[key];
  }
  if (data.adjustment_type === 'CHANGE_IN_PERCENTAGE' && given(data.min_step)) {
    params.min_step = data.min_step;
  }
  if (Object.keys(params).length === 0) {
    throw new HTTPBadRequest('Not enough parameters to do resize action.');
  }
  if (given(data.strict)) params.strict = data.strict;
  const parsed = parseRequest(
    clusterResizeRequest(maxNodes),
    { ...params, identity: call.identity },
    call.version,
  );
  if ('adjustment_type' in parsed && !('number' in parsed)) {
    throw new HTTPBadRequest('Missing number value for size adjustment.');
  }
  if ('number' in parsed && !('adjustment_type' in parsed)) {
    throw new HTTPBadRequest('Missing adjustment_type value for size adjustment.');
  }
  const min = parsed.min_size as number | undefined;
  const max = parsed.max_size as number | undefined;
  if (min !== undefined && max !== undefined && max > 0 && min > max) {
    throw new HTTPBadRequest(
      `The specified min_size (${min}) is greater than the specified max_size (${max}).`,
    );
  }
  delete parsed.identity;
  return parsed as ResizeInput;
}

/** The handlers of the twelve cluster actions. */
function actionHandlers(conductor: Conductor): Readonly<Record<string, ActionHandler>> {
  const ops = conductor.clusters;
  const maxNodes = conductor.deps.config.DEFAULT.max_nodes_per_cluster;
  const parse = (spec: Parameters<typeof parseRequest>[0], call: ActionCall, data: object) =>
    parseRequest(spec, { ...data, identity: call.identity }, call.version);

  const scaleCount = (call: ActionCall): number | undefined => {
    const data = given(call.data.count) ? { count: call.data.count } : {};
    return parse(ClusterScaleRequest, call, data).count as number | undefined;
  };

  return {
    add_nodes: async (call) => {
      const p = parse(ClusterAddNodesRequest, call, { nodes: call.data.nodes ?? [] });
      return ops.addNodes(call.ctx, call.identity, p.nodes as string[]);
    },
    del_nodes: async (call) => {
      const destroy =
        'destroy_after_deletion' in call.data ? call.data.destroy_after_deletion : false;
      const p = parse(ClusterDelNodesRequest, call, {
        nodes: call.data.nodes ?? [],
        destroy_after_deletion: destroy,
      });
      return ops.delNodes(call.ctx, call.identity, {
        nodes: p.nodes as string[],
        ...('destroy_after_deletion' in p
          ? { destroy_after_deletion: p.destroy_after_deletion as boolean | null }
          : {}),
      });
    },
    replace_nodes: async (call) => {
      requireVersion(call.version, '1.3');
      const nodes = call.data.nodes;
      if (!isObject(nodes) || Object.keys(nodes).length === 0) {
        throw new HTTPBadRequest(NOT_A_MAP);
      }
      const p = parse(ClusterReplaceNodesRequest, call, { nodes });
      return ops.replaceNodes(call.ctx, call.identity, p.nodes as Record<string, string>);
    },
    resize: async (call) => ops.resize(call.ctx, call.identity, resizeInput(call, maxNodes)),
    scale_out: async (call) => ops.scaleOut(call.ctx, call.identity, scaleCount(call)),
    scale_in: async (call) => ops.scaleIn(call.ctx, call.identity, scaleCount(call)),
    policy_attach: async (call) => {
      const p = parse(ClusterAttachPolicyRequest, call, call.data);
      return ops.attachPolicy(call.ctx, call.identity, {
        policy_id: p.policy_id as string,
        ...('enabled' in p ? { enabled: p.enabled as boolean | null } : {}),
      });
    },
    policy_detach: async (call) => {
      const p = parse(ClusterDetachPolicyRequest, call, call.data);
      return ops.detachPolicy(call.ctx, call.identity, p.policy_id as string);
    },
    policy_update: async (call) => {
      const p = parse(ClusterUpdatePolicyRequest, call, call.data);
      return ops.updatePolicy(call.ctx, call.identity, {
        policy_id: p.policy_id as string,
        ...('enabled' in p ? { enabled: p.enabled as boolean | null } : {}),
      });
    },
    check: async (call) => {
      const p = parse(ClusterParamsRequest, call, { params: call.data });
      return ops.check(call.ctx, call.identity, (p.params as Record<string, unknown>) ?? null);
    },
    recover: async (call) => {
      const p = parse(ClusterParamsRequest, call, { params: call.data });
      return ops.recover(call.ctx, call.identity, (p.params as Record<string, unknown>) ?? null);
    },
    complete_lifecycle: async (call) => {
      requireVersion(call.version, '1.9');
      const p = parse(ClusterCompleteLifecycleRequest, call, {
        lifecycle_action_token: call.data.lifecycle_action_token ?? null,
      });
      return ops.completeLifecycle(call.ctx, p.lifecycle_action_token as string);
    },
  };
}

/** The route of cluster actions. */
export function clusterActionRoutes(conductor: Conductor): RouteDef[] {
  const handlers = actionHandlers(conductor);
  return [
    {
      method: 'POST',
      url: '/v1/clusters/:cluster_id/actions',
      rule: 'clusters:action',
      handler: async ({ ctx, params, body, version }) => {
        const request = isObject(body) ? body : {};
        const keys = Object.keys(request);
        if (keys.length < 1) throw new HTTPBadRequest('No action specified');
        if (keys.length > 1) throw new HTTPBadRequest('Multiple actions specified');
        const name = keys[0] as string;
        const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
        if (!handler) throw new HTTPBadRequest(`Unrecognized action '${name}' specified`);
        const data = request[name];
        if (!isObject(data)) throw new HTTPBadRequest(NOT_A_MAP);
        const actionId = await handler({ ctx, version, identity: params.cluster_id ?? '', data });
        return { status: 202, body: { action: actionId }, location: `/v1/actions/${actionId}` };
      },
    },
  ];
}
