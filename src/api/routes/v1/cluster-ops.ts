/** `GET /v1/clusters/{id}/attrs/{path}` (1.2) and `POST /v1/clusters/{id}/ops` (1.4). */
import { HTTPBadRequest } from '../../../common/errors.js';
import type { Conductor } from '../../../conductor/index.js';
import type { RouteDef } from '../../route.js';
import { ClusterOperationRequest } from '../../schemas/cluster-actions.js';
import { ClusterCollectRequest } from '../../schemas/clusters.js';
import { parseRequest } from '../../validation/request-object.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Routes of attribute collection and cluster operations. */
export function clusterOpsRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.clusters;
  return [
    {
      method: 'GET',
      url: '/v1/clusters/:cluster_id/attrs/:path',
      rule: 'clusters:collect',
      minVersion: '1.2',
      handler: async ({ ctx, params, version }) => {
        const path = (params.path ?? '').trim();
        if (path === '' || path === 'None') {
          throw new HTTPBadRequest('Required path attribute is missing.');
        }
        const identity = params.cluster_id ?? '';
        parseRequest(ClusterCollectRequest, { identity, path }, version);
        const attrs = await ops.collect(ctx, identity, path);
        return { status: 200, body: { cluster_attributes: attrs } };
      },
    },
    {
      method: 'POST',
      url: '/v1/clusters/:cluster_id/ops',
      rule: 'clusters:operation',
      minVersion: '1.4',
      handler: async ({ ctx, params, body, version }) => {
        const request = isObject(body) ? body : {};
        const keys = Object.keys(request);
        if (keys.length < 1) throw new HTTPBadRequest('No operation specified');
        if (keys.length > 1) throw new HTTPBadRequest('Multiple operations specified');
        const operation = keys[0] as string;
        const value = request[operation];
        // Upstream fails with a 500 here; a non-object is the client's mistake.
        if (!isObject(value)) throw new HTTPBadRequest('The data provided is not a map');
        const identity = params.cluster_id ?? '';
        const parsed = parseRequest(
          ClusterOperationRequest,
          {
            identity,
            operation,
            params: 'params' in value ? value.params : {},
            filters: 'filters' in value ? value.filters : {},
          },
          version,
        );
        const actionId = await ops.operation(ctx, identity, {
          operation,
          params: parsed.params as Record<string, unknown> | null,
          filters: parsed.filters as Record<string, unknown> | null,
        });
        return { status: 202, body: { action: actionId }, location: `/v1/actions/${actionId}` };
      },
    },
  ];
}
