/** /v1/clusters */
import { HTTPBadRequest } from '../../../common/errors.js';
import type { ClusterCreateInput, ClusterUpdateInput } from '../../../conductor/clusters.js';
import type { Conductor } from '../../../conductor/index.js';
import { parseBoolParam, parseListQuery } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import {
  ClusterDeleteRequest,
  ClusterUpdateRequest,
  clusterCreateRequest,
  clusterList,
} from '../../schemas/clusters.js';
import { parseWrapped } from '../../schemas/common.js';
import { GENERIC_BAD_REQUEST, parseRequest } from '../../validation/request-object.js';
import { clusterView } from '../../views/clusters.js';
import { clusterActionRoutes } from './cluster-actions.js';
import { clusterOpsRoutes } from './cluster-ops.js';
import { clusterPolicyRoutes } from './cluster-policies.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `cluster` object of an update body (upstream's wrapper checks, before validation). */
function updateBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
  const inner = isObject(body) ? body.cluster : undefined;
  if (inner === undefined || inner === null) {
    throw new HTTPBadRequest("Malformed request data, missing 'cluster' key in request body.");
  }
  if (!isObject(inner)) throw new HTTPBadRequest(GENERIC_BAD_REQUEST);
  return inner;
}

/** `force` of a delete: the query parameter wins over the body; false when neither has it. */
function deleteForce(
  query: Readonly<Record<string, string | string[] | undefined>>,
  body: unknown,
): unknown {
  const raw = query.force;
  const value = Array.isArray(raw) ? raw.at(-1) : raw;
  if (value !== undefined) return parseBoolParam('force', value);
  if (isObject(body) && Object.keys(body).length > 0) return body.force ?? false;
  return false;
}

/** Routes of clusters, their actions, operations, attributes and policy bindings. */
export function clusterRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.clusters;
  const maxNodes = conductor.deps.config.DEFAULT.max_nodes_per_cluster;
  return [
    {
      method: 'GET',
      url: '/v1/clusters',
      rule: 'clusters:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(clusterList, query, version);
        return { status: 200, body: { clusters: (await ops.list(ctx, req)).map(clusterView) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/clusters',
      rule: 'clusters:create',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(clusterCreateRequest(maxNodes), 'cluster', body, version);
        const { detail, actionId } = await ops.create(ctx, input as unknown as ClusterCreateInput);
        return {
          status: 202,
          body: { cluster: clusterView(detail) },
          location: `/v1/actions/${actionId}`,
        };
      },
    },
    {
      method: 'GET',
      url: '/v1/clusters/:cluster_id',
      rule: 'clusters:get',
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: { cluster: clusterView(await ops.get(ctx, params.cluster_id ?? '')) },
      }),
    },
    {
      method: 'PATCH',
      url: '/v1/clusters/:cluster_id',
      rule: 'clusters:update',
      handler: async ({ ctx, params, body, version }) => {
        const identity = params.cluster_id ?? '';
        const parsed = parseRequest(
          ClusterUpdateRequest,
          { ...updateBody(body), identity },
          version,
        );
        delete parsed.identity;
        const { detail, actionId } = await ops.update(ctx, identity, parsed as ClusterUpdateInput);
        return {
          status: 202,
          body: { cluster: clusterView(detail) },
          location: `/v1/actions/${actionId}`,
        };
      },
    },
    {
      method: 'DELETE',
      url: '/v1/clusters/:cluster_id',
      rule: 'clusters:delete',
      handler: async ({ ctx, params, query, body, version }) => {
        const identity = params.cluster_id ?? '';
        const force = deleteForce(query, body);
        const parsed = parseRequest(ClusterDeleteRequest, { identity, force }, version);
        const actionId = await ops.delete(ctx, identity, parsed.force === true);
        return { status: 202, body: null, location: `/v1/actions/${actionId}` };
      },
    },
    ...clusterActionRoutes(conductor),
    ...clusterOpsRoutes(conductor),
    ...clusterPolicyRoutes(conductor),
  ];
}
