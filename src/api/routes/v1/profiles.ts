/** /v1/profiles */
import type { Conductor } from '../../../conductor/index.js';
import { parseListQuery } from '../../listing.js';
import type { RouteDef } from '../../route.js';
import { parseWrapped, requireWrapper } from '../../schemas/common.js';
import {
  ProfileCreateRequest,
  ProfileUpdateRequest,
  ProfileValidateRequest,
  profileList,
} from '../../schemas/profiles.js';
import { parseRequest } from '../../validation/request-object.js';
import { profileView } from '../../views/profiles.js';

/** Routes of profiles. */
export function profileRoutes(conductor: Conductor): RouteDef[] {
  const ops = conductor.profiles;
  return [
    {
      method: 'GET',
      url: '/v1/profiles',
      rule: 'profiles:index',
      handler: async ({ ctx, query, version }) => {
        const req = parseListQuery(profileList, query, version);
        return { status: 200, body: { profiles: (await ops.list(ctx, req)).map(profileView) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/profiles',
      rule: 'profiles:create',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(ProfileCreateRequest, 'profile', body, version);
        const profile = await ops.create(ctx, {
          name: input.name as string,
          spec: input.spec as Record<string, unknown>,
          metadata: (input.metadata as Record<string, unknown> | null | undefined) ?? {},
        });
        return { status: 201, body: { profile: profileView(profile) } };
      },
    },
    {
      method: 'POST',
      url: '/v1/profiles/validate',
      rule: 'profiles:validate',
      minVersion: '1.2',
      handler: async ({ ctx, body, version }) => {
        const input = parseWrapped(ProfileValidateRequest, 'profile', body, version);
        const profile = await ops.validate(ctx, input.spec as Record<string, unknown>);
        return { status: 200, body: { profile: profileView(profile) } };
      },
    },
    {
      method: 'GET',
      url: '/v1/profiles/:profile_id',
      rule: 'profiles:get',
      handler: async ({ ctx, params }) => ({
        status: 200,
        body: { profile: profileView(await ops.get(ctx, params.profile_id ?? '')) },
      }),
    },
    {
      method: 'PATCH',
      url: '/v1/profiles/:profile_id',
      rule: 'profiles:update',
      handler: async ({ ctx, params, body, version }) => {
        const wrapped = requireWrapper('profile', body);
        const identity = params.profile_id ?? '';
        const parsed = parseRequest(ProfileUpdateRequest, { ...wrapped, identity }, version);
        const input = (parsed.profile as Record<string, unknown> | undefined) ?? {};
        const profile = await ops.update(ctx, identity, {
          ...('name' in input ? { name: input.name as string | null } : {}),
          ...('metadata' in input
            ? { metadata: input.metadata as Record<string, unknown> | null }
            : {}),
        });
        return { status: 200, body: { profile: profileView(profile) } };
      },
    },
    {
      method: 'DELETE',
      url: '/v1/profiles/:profile_id',
      rule: 'profiles:delete',
      handler: async ({ ctx, params }) => {
        await ops.delete(ctx, params.profile_id ?? '');
        return { status: 204 };
      },
    },
  ];
}
