/**
 * Request objects of the cluster actions (`POST /v1/clusters/{id}/actions`), cluster
 * operations (`POST /v1/clusters/{id}/ops`) and cluster–policy bindings.
 */
import { AdjustmentType } from '../../common/scaling.js';
import type { RequestObjectSpec } from '../validation/fields.js';

const identity = { kind: 'string' } as const;

/** `add_nodes`. */
export const ClusterAddNodesRequest: RequestObjectSpec = {
  name: 'ClusterAddNodesRequest',
  fields: { identity, nodes: { kind: 'identityList' } },
};

/** `del_nodes` (`destroy_after_deletion` from 1.4). */
export const ClusterDelNodesRequest: RequestObjectSpec = {
  name: 'ClusterDelNodesRequest',
  fields: {
    identity,
    nodes: { kind: 'identityList' },
    destroy_after_deletion: { kind: 'boolean', nullable: true, default: false, since: '1.4' },
  },
};

/** `replace_nodes` (from 1.3). */
export const ClusterReplaceNodesRequest: RequestObjectSpec = {
  name: 'ClusterReplaceNodesRequest',
  fields: { identity, nodes: { kind: 'nodeReplaceMap' } },
};

const resizeCache = new Map<number, RequestObjectSpec>();

/** `resize`; capacities are bounded by `[DEFAULT] max_nodes_per_cluster`. */
export function clusterResizeRequest(maxNodes: number): RequestObjectSpec {
  const cached = resizeCache.get(maxNodes);
  if (cached) return cached;
  const spec: RequestObjectSpec = {
    name: 'ClusterResizeRequest',
    fields: {
      identity,
      adjustment_type: { kind: 'enum', nullable: true, values: Object.values(AdjustmentType) },
      number: { kind: 'float', nullable: true },
      min_size: { kind: 'capacity', nullable: true, min: 0, max: maxNodes },
      max_size: { kind: 'capacity', nullable: true, min: -1, max: maxNodes },
      min_step: { kind: 'nonNegativeInt', nullable: true },
      strict: { kind: 'boolean', nullable: true, default: true },
    },
  };
  resizeCache.set(maxNodes, spec);
  return spec;
}

/** `scale_out` and `scale_in`. */
export const ClusterScaleRequest: RequestObjectSpec = {
  name: 'ClusterScaleRequest',
  fields: { identity, count: { kind: 'nonNegativeInt', nullable: true } },
};

/** `policy_attach`. */
export const ClusterAttachPolicyRequest: RequestObjectSpec = {
  name: 'ClusterAttachPolicyRequest',
  fields: {
    identity,
    policy_id: { kind: 'string' },
    enabled: { kind: 'boolean', nullable: true, default: true },
  },
};

/** `policy_update`. */
export const ClusterUpdatePolicyRequest: RequestObjectSpec = {
  name: 'ClusterUpdatePolicyRequest',
  fields: {
    identity,
    policy_id: { kind: 'string' },
    enabled: { kind: 'boolean', nullable: true, default: true },
  },
};

/** `policy_detach`. */
export const ClusterDetachPolicyRequest: RequestObjectSpec = {
  name: 'ClusterDetachPolicyRequest',
  fields: { identity, policy_id: { kind: 'string' } },
};

/** `check` and `recover`: the action's object is passed on as `params`. */
export const ClusterParamsRequest: RequestObjectSpec = {
  name: 'ClusterParamsRequest',
  fields: { identity, params: { kind: 'json', nullable: true } },
};

/** `complete_lifecycle` (from 1.9). */
export const ClusterCompleteLifecycleRequest: RequestObjectSpec = {
  name: 'ClusterCompleteLifecycleRequest',
  fields: { identity, lifecycle_action_token: { kind: 'string' } },
};

/** `POST /v1/clusters/{id}/ops`. */
export const ClusterOperationRequest: RequestObjectSpec = {
  name: 'ClusterOperationRequest',
  fields: {
    identity,
    operation: { kind: 'string' },
    filters: { kind: 'json', nullable: true, default: {} },
    params: { kind: 'json', nullable: true, default: {} },
  },
};

/** `GET /v1/clusters/{id}/policies` (query). */
export const ClusterPolicyListRequest: RequestObjectSpec = {
  name: 'ClusterPolicyListRequest',
  fields: {
    identity,
    policy_name: { kind: 'name', nullable: true },
    policy_type: { kind: 'string', nullable: true },
    enabled: { kind: 'boolean', nullable: true },
    sort: { kind: 'sort', nullable: true, sortKeys: ['enabled'] },
  },
};
