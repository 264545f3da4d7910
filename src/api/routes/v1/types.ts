/** /v1/profile-types and /v1/policy-types */
import { BadRequest, ResourceNotFound } from '../../../common/errors.js';
import type { Conductor } from '../../../conductor/index.js';
import type { RouteDef } from '../../route.js';
import { operationsView, typeListEntry, typeShow } from '../../views/types.js';

/** Routes of profile types and policy types. */
export function typeRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.types;
  return [
    {
      method: 'GET',
      url: '/v1/profile-types',
      rule: 'profile_types:index',
      handler: async ({ version }) => ({
        status: 200,
        body: { profile_types: ops.listProfileTypes().map((t) => typeListEntry(t, version)) },
      }),
    },
    {
      method: 'GET',
      url: '/v1/profile-types/:type_name',
      rule: 'profile_types:get',
      handler: async ({ params, version }) => {
        const name = params.type_name ?? '';
        return {
          status: 200,
          body: { profile_type: typeShow(ops.getProfileType(name), name, version) },
        };
      },
    },
    {
      method: 'GET',
      url: '/v1/profile-types/:type_name/ops',
      rule: 'profile_types:ops',
      minVersion: '1.4',
      handler: async ({ params }) => {
        try {
          const type = ops.getProfileType(params.type_name ?? '');
          return { status: 200, body: { operations: operationsView(type.operations) } };
        } catch (err) {
          // Upstream answers an unknown type here with 400, not 404.
          if (err instanceof ResourceNotFound) throw new BadRequest(err.message);
          throw err;
        }
      },
    },
    {
      method: 'GET',
      url: '/v1/policy-types',
      rule: 'policy_types:index',
      handler: async ({ version }) => ({
        status: 200,
        body: { policy_types: ops.listPolicyTypes().map((t) => typeListEntry(t, version)) },
      }),
    },
    {
      method: 'GET',
      url: '/v1/policy-types/:type_name',
      rule: 'policy_types:get',
      handler: async ({ params, version }) => {
        const name = params.type_name ?? '';
        return {
          status: 200,
          body: { policy_type: typeShow(ops.getPolicyType(name), name, version) },
        };
      },
    },
  ];
}
