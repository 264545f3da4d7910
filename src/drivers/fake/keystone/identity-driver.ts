/** The IdentityDriver of the fake cloud (Keystone regions, endpoint and trusts). */
import { randomBytes } from 'node:crypto';
import type { IdentityDriver } from '../../types.js';
import { badRequest, isoZ, notFound, stableUuid } from '../common.js';
import { K } from '../kinds.js';
import type { Doc } from '../store.js';
import type { FakeWorld } from '../world.js';

/** Keystone calls. */
export function createIdentityDriver(world: FakeWorld): IdentityDriver {
  const store = world.store;
  return {
    async listRegions() {
      return store.list(K.region).map((d) => d.r.id);
    },
    async clusteringEndpoint() {
      return world.clusteringEndpoint;
    },
    async findTrust(trustorUserId, trusteeUserId, projectId) {
      const found = store
        .byParent(K.trust, trustorUserId)
        .find((d) => d.r.trustee_user_id === trusteeUserId && d.r.project_id === projectId);
      return found?.r ?? null;
    },
    async createTrust(body) {
      if (!body.trustorUserId || !body.trusteeUserId || !body.projectId)
        throw badRequest(
          'Invalid input for field trust: trustor, trustee and project are required.',
        );
      if (body.roles.length === 0) throw badRequest('At least one role should be specified.');
      const doc: Doc = {
        r: {
          id: randomBytes(16).toString('hex'),
          trustor_user_id: body.trustorUserId,
          trustee_user_id: body.trusteeUserId,
          project_id: body.projectId,
          impersonation: true,
          allow_redelegation: true,
          redelegation_count: 3,
          roles: body.roles.map((name) => ({
            id: stableUuid(`role:${name}`).replace(/-/g, ''),
            name,
          })),
          expires_at: null,
          remaining_uses: null,
          created_at: isoZ(world.now()),
          links: {},
        },
        x: {},
        p: [],
      };
      world.save(K.trust, doc);
      return doc.r;
    },
    async serviceUserId() {
      return world.serviceUserId;
    },
    async deleteTrust(id) {
      store.tx(() => {
        if (!store.get(K.trust, id)) throw notFound(`Could not find trust: ${id}.`);
        store.remove(K.trust, id);
      });
    },
  };
}
