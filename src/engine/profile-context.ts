/**
 * Building what profile behaviour needs for one call: the node and profile as it sees them,
 * drivers authenticated for the node's owner, and lookups of other nodes.
 */

import { setTimeout as delay } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { fromDbJson } from '../db/codec.js';
import { findRow } from '../db/queries/find.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { decodeNode, updateNode } from '../db/queries/nodes.js';
import {
  claimResource,
  claimsOfNode,
  dropStaleClaims,
  releaseClaim,
} from '../db/queries/pool-claims.js';
import type { ProfileRecord } from '../db/queries/profiles.js';
import { decodeProfile } from '../db/queries/profiles.js';
import type { Database } from '../db/schema.js';
import type { CloudDrivers } from '../drivers/types.js';
import { parseProfileSpec } from '../profiles/index.js';
import type {
  ClaimKind,
  NodeView,
  ProfileCallContext,
  ProfileView,
  ResourceClaims,
} from './contracts.js';
import type { EngineServices } from './services.js';

/** The node as profile behaviour sees it. */
export function nodeView(node: NodeRecord): NodeView {
  return {
    id: node.id,
    name: node.name,
    clusterId: node.clusterId,
    index: node.index,
    physicalId: node.physicalId,
    status: node.status,
    role: node.role,
    user: node.user,
    project: node.project,
    metadata: node.metadata,
    data: node.data,
  };
}

/** The profile as its behaviour sees it: resolved properties (defaults applied). */
export function profileView(profile: ProfileRecord): ProfileView {
  const spec = profile.spec ?? {};
  let properties: Record<string, unknown>;
  try {
    properties = parseProfileSpec(spec, { profileName: profile.name ?? '' }).properties;
  } catch {
    properties = ((spec as { properties?: Record<string, unknown> }).properties ?? {}) as Record<
      string,
      unknown
    >;
  }
  return {
    id: profile.id,
    name: profile.name ?? '',
    type: profile.type ?? '',
    properties,
    context: (profile.context ?? {}) as Record<string, unknown>,
  };
}

/** The trust stored for a user in a project, if any. */
export async function trustOf(
  db: Kysely<Database>,
  user: string,
  project: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('credential')
    .select('cred')
    .where('user', '=', user)
    .where('project', '=', project)
    .executeTakeFirst();
  const cred = fromDbJson<{ openstack?: { trust?: string } }>(row?.cred ?? null);
  return cred?.openstack?.trust ?? null;
}

/** Drivers acting for the owner of an object, with a profile's connection overrides. */
export async function driversFor(
  svc: EngineServices,
  owner: { user: string; project: string },
  context: Readonly<Record<string, unknown>> = {},
): Promise<CloudDrivers> {
  const trustId = await svc.db.retry((k) => trustOf(k, owner.user, owner.project));
  return svc.backend.drivers({ userId: owner.user, projectId: owner.project, trustId, context });
}

/** Claims on pooled resources kept in the database, shared by every engine. */
export function databaseClaims(svc: EngineServices): ResourceClaims {
  const { db } = svc;
  return {
    async claim(request) {
      await db.retry((k) => dropStaleClaims(k, request.kind));
      return db.retry((k) => claimResource(k, { ...request, now: svc.now() }));
    },
    async held(nodeId) {
      const rows = await db.retry((k) => claimsOfNode(k, nodeId));
      return rows.map((r) => ({ ...r, kind: r.kind as ClaimKind }));
    },
    async release(kind, resourceId, nodeId) {
      await db.retry((k) => releaseClaim(k, kind, resourceId, nodeId));
    },
  };
}

/** A ProfileCallContext for one call about `node`. */
export async function profileCallContext(
  svc: EngineServices,
  node: { id: string; user: string; project: string },
  profile: ProfileView,
  signal: AbortSignal,
): Promise<ProfileCallContext> {
  const { db, config } = svc;
  // A region chosen by a placement policy is where the node's resource lives.
  const placement = ((node as { data?: Record<string, unknown> }).data?.placement ?? {}) as Record<
    string,
    unknown
  >;
  const context =
    typeof placement.region_name === 'string'
      ? { ...profile.context, region_name: placement.region_name }
      : profile.context;
  const drivers = await driversFor(svc, node, context);
  const scope = { project: null };
  return {
    drivers,
    signal,
    settings: {
      novaTimeout: config.DEFAULT.default_nova_timeout,
      actionTimeout: config.DEFAULT.default_action_timeout,
      batchInterval: config.DEFAULT.batch_interval,
    },
    claims: databaseClaims(svc),
    async saveNodeData(data) {
      await db.retry((k) => updateNode(k, node.id, { data }));
    },
    sleep: async (seconds) => {
      if (seconds > 0) await delay(seconds * 1000, undefined, { signal });
    },
    lookup: {
      async findNode(identity) {
        try {
          const row = await db.retry((k) =>
            findRow(k, 'node', identity, { kind: 'node', ...scope }),
          );
          return nodeView(decodeNode(row));
        } catch {
          return null;
        }
      },
      async clusterNodes(identity) {
        let cluster: Record<string, unknown>;
        try {
          cluster = await db.retry((k) =>
            findRow(k, 'cluster', identity, { kind: 'cluster', ...scope }),
          );
        } catch {
          return null;
        }
        const rows = await db.retry((k) =>
          k
            .selectFrom('node')
            .selectAll()
            .where('cluster_id', '=', cluster.id as string)
            .execute(),
        );
        return rows.map((r) => nodeView(decodeNode(r)));
      },
      async nodeProfile(n) {
        const row = await db.retry(async (k) => {
          const node = await k
            .selectFrom('node')
            .select('profile_id')
            .where('id', '=', n.id)
            .executeTakeFirstOrThrow();
          return k
            .selectFrom('profile')
            .selectAll()
            .where('id', '=', node.profile_id)
            .executeTakeFirstOrThrow();
        });
        return profileView(decodeProfile(row));
      },
    },
  };
}
