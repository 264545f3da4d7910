/**
 * Node adoption (microversion 1.7): describing an existing cloud resource as a profile spec
 * (preview), or adopting it as an ACTIVE orphan node with a new profile `prof-<node name>`.
 * Both are synchronous.
 */
import type { RequestContext } from '../common/context.js';
import { BadRequest, ESchema, InvalidSpec, ResourceNotFound } from '../common/errors.js';
import { newId, randomName } from '../common/ids.js';
import { nameTaken } from '../db/queries/find.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { insertNode } from '../db/queries/nodes.js';
import type { ProfileRecord } from '../db/queries/profiles.js';
import { insertProfile } from '../db/queries/profiles.js';
import { parseProfileSpec, profileTypes } from '../profiles/index.js';
import type { ProfileType } from '../profiles/types.js';
import type { ConductorDeps } from './deps.js';
import { owner } from './deps.js';
import type { NodeInfo } from './node-lookup.js';
import { adoptProperties } from './node-profile.js';

/** Arguments of adopt-preview. */
export interface NodeAdoptPreviewInput {
  /** Physical id of the resource. */
  identity: string;
  /** `<profile type>-<version>`. */
  type: string;
  overrides?: Record<string, unknown> | null;
  snapshot?: boolean | null;
}

/** Arguments of adopt. */
export interface NodeAdoptInput extends NodeAdoptPreviewInput {
  name?: string | null;
  role?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** The spec an adoption would build: `{type, version, properties}`. */
export interface AdoptPreview {
  type: string;
  version: string;
  properties: Record<string, unknown>;
}

/** Node adoption bound to its dependencies. */
export function nodeAdoptOperations(deps: ConductorDeps) {
  const { db } = deps;

  function typeOf(typeName: string): ProfileType {
    const type = profileTypes.get(typeName);
    if (!type) throw new BadRequest(new ResourceNotFound('profile_type', typeName).message);
    return type;
  }

  async function preview(ctx: RequestContext, input: NodeAdoptPreviewInput): Promise<AdoptPreview> {
    const type = typeOf(input.type);
    const properties = await adoptProperties(deps, ctx, {
      typeName: type.typeName,
      identity: input.identity,
      overrides: input.overrides ?? null,
      snapshot: input.snapshot ?? false,
    });
    return { type: type.name, version: type.version, properties };
  }

  return {
    /** The profile spec that adopting the resource would create (nothing is stored). */
    adoptPreview: preview,

    /** Adopts a resource: a new profile `prof-<name>` and an ACTIVE orphan node. */
    async adopt(ctx: RequestContext, input: NodeAdoptInput): Promise<NodeInfo> {
      const who = owner(ctx);
      let name: string;
      if (input.name) {
        name = input.name;
        const taken = input.name;
        if (
          deps.config.DEFAULT.name_unique &&
          (await db.retry((k) => nameTaken(k, 'node', who.project, taken)))
        ) {
          throw new BadRequest(`The node named (${name}) already exists.`);
        }
      } else {
        name = `node-${randomName()}`;
      }
      const described = await preview(ctx, input);
      // Properties the resource does not have (null) are left out of the stored spec.
      const properties = Object.fromEntries(
        Object.entries(described.properties).filter(([, v]) => v !== null),
      );
      const spec = { ...described, properties };
      const profileName = `prof-${name}`;
      try {
        parseProfileSpec(spec as unknown as Record<string, unknown>, { profileName });
      } catch (err) {
        if (err instanceof ESchema || err instanceof InvalidSpec) {
          throw new InvalidSpec(`Failed in creating profile ${profileName}: ${err.message}`);
        }
        throw err;
      }
      const now = deps.now();
      const context = spec.properties.context;
      const profile: ProfileRecord = {
        id: newId(),
        name: profileName,
        type: input.type,
        context: context && typeof context === 'object' ? (context as Record<string, unknown>) : {},
        spec: { ...spec },
        ...who,
        metadata: {},
        createdAt: now,
        updatedAt: null,
      };
      const node: NodeRecord = {
        id: newId(),
        name,
        physicalId: input.identity,
        clusterId: '',
        profileId: profile.id,
        ...who,
        index: -1,
        // Upstream drops the requested role; we keep it.
        role: input.role ?? '',
        initAt: now,
        createdAt: now,
        updatedAt: null,
        tainted: false,
        status: 'ACTIVE',
        statusReason: 'Node adopted successfully',
        metadata: input.metadata ?? {},
        data: {},
        dependents: {},
      };
      await db.transaction(async (trx) => {
        await insertProfile(trx, profile);
        await insertNode(trx, node);
      });
      return { ...node, profileName };
    },
  };
}
