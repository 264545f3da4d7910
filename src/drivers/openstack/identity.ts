/** The IdentityDriver over Keystone v3: regions, the clustering endpoint, trusts. */
import { CloudError, type IdentityDriver, type Resource } from '../types.js';
import { EndpointNotFound } from './catalog.js';
import { seg } from './find.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';

type Json = Record<string, unknown>;

/** Extra wiring of the identity driver. */
export interface IdentityDriverExtras {
  /** The session of senlin's service user (its user id is the trustee of trusts). */
  readonly serviceSession?: OpenStackSession;
}

function trustOf(body: unknown): Resource {
  const trust = (body as Json | null)?.trust as Resource | undefined;
  if (!trust || typeof trust.id !== 'string') {
    throw new CloudError(502, 'Keystone answered without a trust.');
  }
  return trust;
}

/** Keystone calls of one session. */
export function createIdentityDriver(
  session: OpenStackSession,
  _options: OpenStackDriverOptions,
  extras: IdentityDriverExtras = {},
): IdentityDriver {
  const service = extras.serviceSession ?? session;
  return {
    async listRegions() {
      const regions = await session.list<Resource>('identity', '/v3/regions', 'regions');
      return regions.map((r) => r.id);
    },
    async clusteringEndpoint() {
      try {
        return await session.endpoint('clustering');
      } catch (error) {
        if (error instanceof EndpointNotFound) return null;
        throw error;
      }
    },
    async findTrust(trustorUserId, trusteeUserId, projectId) {
      const trusts = await session.list<Resource>('identity', '/v3/OS-TRUST/trusts', 'trusts', {
        query: { trustor_user_id: trustorUserId },
      });
      return (
        trusts.find(
          (t) =>
            t.trustor_user_id === trustorUserId &&
            t.trustee_user_id === trusteeUserId &&
            t.project_id === projectId,
        ) ?? null
      );
    },
    async createTrust(body) {
      const { body: answer } = await session.request('identity', '/v3/OS-TRUST/trusts', {
        method: 'POST',
        body: {
          trust: {
            trustor_user_id: body.trustorUserId,
            trustee_user_id: body.trusteeUserId,
            project_id: body.projectId,
            impersonation: true,
            allow_redelegation: true,
            roles: body.roles.map((name) => ({ name })),
          },
        },
      });
      return trustOf(answer);
    },
    async serviceUserId() {
      return (await service.auth()).userId;
    },
    async deleteTrust(id) {
      await session.request('identity', `/v3/OS-TRUST/trusts/${seg(id)}`, { method: 'DELETE' });
    },
  };
}
