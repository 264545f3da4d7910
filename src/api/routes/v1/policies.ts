/** /v1/policies */
import type { Conductor } from '../../../conductor/index.js';
import { parseListQuery } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import { parseWrapped, requireWrapper } from '../../schemas/common.js';
import {
  PolicyCreateRequest,
  PolicyUpdateRequest,
  PolicyValidateRequest,
  policyList,
} from '../../schemas/policies.js';
import { parseRequest } from '../../validation/request-object.js';
import { policyView } from '../../views/policies.js';

/** Routes of policies. */
export function policyRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.policies;
  return [
    {
      method: 'GET',
      url: '/v1/policies',
      rule: 'policies:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(policyList, query, version);
        return { status: 200, body: { policies: (await ops.list(ctx, req)).map(policyView) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/policies',
      rule: 'policies:create',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(PolicyCreateRequest, 'policy', body, version);
        const policy = await ops.create(ctx, {
          name: input.name as string,
          spec: input.spec as Record<string, unknown>,
        });
        return { status: 201, body: { policy: policyView(policy) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/policies/validate',
      rule: 'policies:validate',
      minVersion: '1.2',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(PolicyValidateRequest, 'policy', body, version);
        const policy = await ops.validate(ctx, input.spec as Record<string, unknown>);
        return { status: 200, body: { policy: policyView(policy) } };
      },
    },
    {
      method: 'GET',
      url: '/v1/policies/:policy_id',
      rule: 'policies:get',
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: { policy: policyView(await ops.get(ctx, params.policy_id ?? '')) },
      }),
    },
    {
      method: 'PATCH',
      url: '/v1/policies/:policy_id',
      rule: 'policies:update',
      handler: async ({ ctx, params, body, version }) => {
        const wrapped = requireWrapper('policy', body);
        const identity = params.policy_id ?? '';
        const parsed = parseRequest(PolicyUpdateRequest, { ...wrapped, identity }, version);
        const input = (parsed.policy as Record<string, unknown> | undefined) ?? {};
        const policy = await ops.update(ctx, identity, input.name as string);
        return { status: 200, body: { policy: policyView(policy) } };
      },
    },
    {
      method: 'DELETE',
      url: '/v1/policies/:policy_id',
      rule: 'policies:delete',
      handler: async ({ ctx, params }) => {
        await ops.delete(ctx, params.policy_id ?? '');
        return { status: 204 };
      },
    },
  ];
}
