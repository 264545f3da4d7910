/** /v1/clusters/{id}/policies: the cluster's policy bindings. */
import { HTTPBadRequest } from '../../../common/errors.js';
import type { Conductor } from '../../../conductor/index.js';
import type { QueryParams } from '../../listing.js';
import { parseBoolParam } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import { ClusterPolicyListRequest } from '../../schemas/cluster-actions.js';
import { parseRequest } from '../../validation/request-object.js';
import { clusterPolicyView } from '../../views/cluster-policies.js';

/** Query keys of the binding list; each is single-valued (the last occurrence counts). */
const ALLOWED = ['enabled', 'policy_name', 'policy_type', 'sort'];

/** The validated query of a binding list (no limit, marker or global_project, as upstream). */
function bindingQuery(query: QueryParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(query)) {
    if (!ALLOWED.includes(key)) throw new HTTPBadRequest(`Invalid parameter ${key}`);
    const value = Array.isArray(raw) ? raw.at(-1) : raw;
    if (value === undefined) continue;
    out[key] = key === 'enabled' ? parseBoolParam(key, value) : value;
  }
  return out;
}

/** Routes of cluster–policy bindings. */
export function clusterPolicyRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.clusters;
  return [
    {
      method: 'GET',
      url: '/v1/clusters/:cluster_id/policies',
      rule: 'cluster_policies:index',
      handler: async ({ ctx, params, query, version }) => {
        const identity = params.cluster_id ?? '';
        const parsed = parseRequest(
          ClusterPolicyListRequest,
          { ...bindingQuery(query), identity },
          version,
        );
        const bindings = await ops.listPolicies(ctx, identity, {
          enabled: parsed.enabled as boolean | null | undefined,
          policyName: parsed.policy_name as string | null | undefined,
          policyType: parsed.policy_type as string | null | undefined,
          sort: parsed.sort as string | null | undefined,
        });
        return { status: 200, body: { cluster_policies: bindings.map(clusterPolicyView) } };
      },
    },
    {
      method: 'GET',
      url: '/v1/clusters/:cluster_id/policies/:policy_id',
      rule: 'cluster_policies:get',
      handler: async ({ ctx, params }) => {
        const binding = await ops.getPolicy(ctx, params.cluster_id ?? '', params.policy_id ?? '');
        return { status: 200, body: { cluster_policy: clusterPolicyView(binding) } };
      },
    },
  ];
}
