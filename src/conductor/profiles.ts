/** Profile operations: list, create, validate, show, update, delete. */
import type { RequestContext } from '../common/context.js';
import { BadRequest, ESchema, InvalidSpec, ResourceInUse } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { listRows } from '../db/listing.js';
import { deleteById, findRow, nameTaken } from '../db/queries/find.js';
import type { ProfileRecord } from '../db/queries/profiles.js';
import {
  decodeProfile,
  insertProfile,
  profileInUse,
  updateProfile,
} from '../db/queries/profiles.js';
import { profileCallContext } from '../engine/profile-context.js';
import { parseProfileSpec, profileBehaviours } from '../profiles/index.js';
import type { ConductorDeps } from './deps.js';
import { owner, projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';

/** Arguments of profile create. */
export interface ProfileCreateInput {
  name: string;
  spec: Record<string, unknown>;
  metadata?: Record<string, unknown> | null;
}

/** Arguments of profile update (absent keys are not changed). */
export interface ProfileUpdateInput {
  name?: string | null;
  metadata?: Record<string, unknown> | null;
}

/** Profile operations bound to their dependencies. */
export function profileOperations(deps: ConductorDeps) {
  const { db } = deps;

  async function find(ctx: RequestContext, identity: string): Promise<ProfileRecord> {
    const row = await db.retry((k) =>
      findRow(k, 'profile', identity, { kind: 'profile', project: projectScope(ctx) }),
    );
    return decodeProfile(row);
  }

  return {
    /** Lists the caller's profiles (every project's for admins). */
    async list(ctx: RequestContext, req: ListRequest): Promise<ProfileRecord[]> {
      const project = projectScope(ctx, req.projectSafe);
      const rows = await db.retry((k) => listRows(k, db.dialect, 'profile', { ...req, project }));
      return rows.map(decodeProfile);
    },

    /** Validates the spec and stores a new profile. */
    async create(ctx: RequestContext, input: ProfileCreateInput): Promise<ProfileRecord> {
      const who = owner(ctx);
      if (
        deps.config.DEFAULT.name_unique &&
        (await db.retry((k) => nameTaken(k, 'profile', who.project, input.name)))
      ) {
        throw new BadRequest(`A profile named '${input.name}' already exists`);
      }
      const { type, properties } = parseProfileSpecOrThrow(
        input.spec,
        input.name,
        `Failed in creating profile ${input.name}: `,
      );
      await validateAgainstCloud(
        deps,
        ctx,
        type.typeName,
        properties,
        `Failed in creating profile ${input.name}: `,
      );
      const context =
        input.spec.properties && typeof input.spec.properties === 'object'
          ? ((input.spec.properties as Record<string, unknown>).context as
              | Record<string, unknown>
              | undefined)
          : undefined;
      const record: ProfileRecord = {
        id: newId(),
        name: input.name,
        type: type.typeName,
        context: context ?? {},
        spec: input.spec,
        ...who,
        metadata: input.metadata ?? {},
        createdAt: deps.now(),
        updatedAt: null,
      };
      await db.retry((k) => insertProfile(k, record));
      return record;
    },

    /** Validates a spec without storing anything; returns a profile-shaped result. */
    async validate(ctx: RequestContext, spec: Record<string, unknown>): Promise<ProfileRecord> {
      const { type, properties } = parseProfileSpecOrThrow(spec, 'validated_profile', '');
      await validateAgainstCloud(deps, ctx, type.typeName, properties, '');
      return {
        id: null as unknown as string,
        name: 'validated_profile',
        type: type.typeName,
        context: null,
        spec,
        ...owner(ctx),
        metadata: null,
        createdAt: null,
        updatedAt: null,
      };
    },

    /** Shows one profile. */
    get: find,

    /** Renames a profile and/or replaces its metadata. */
    async update(
      ctx: RequestContext,
      identity: string,
      input: ProfileUpdateInput,
    ): Promise<ProfileRecord> {
      const profile = await find(ctx, identity);
      const changes: { name?: string; metadata?: Record<string, unknown> | null } = {};
      if (input.name !== undefined && input.name !== null && input.name !== profile.name)
        changes.name = input.name;
      if (
        input.metadata !== undefined &&
        JSON.stringify(input.metadata) !== JSON.stringify(profile.metadata)
      ) {
        changes.metadata = input.metadata;
      }
      if (Object.keys(changes).length === 0) throw new BadRequest('No property needs an update.');
      const updatedAt = deps.now();
      await db.retry((k) => updateProfile(k, profile.id, { ...changes, updatedAt }));
      return { ...profile, ...changes, updatedAt };
    },

    /** Deletes a profile that no cluster or node uses. */
    async delete(ctx: RequestContext, identity: string): Promise<void> {
      const profile = await find(ctx, identity);
      await db.transaction(async (trx) => {
        if (await profileInUse(trx, profile.id)) {
          throw new ResourceInUse(
            'profile',
            profile.id,
            'still referenced by some clusters and/or nodes',
          );
        }
        await deleteById(trx, 'profile', profile.id);
      });
    },
  };
}

/**
 * Checks a spec against the cloud (flavors, images, networks, stacks, hosts exist), acting
 * for the caller; failures are InvalidSpec with the prefix.
 */
async function validateAgainstCloud(
  deps: ConductorDeps,
  ctx: RequestContext,
  typeName: string,
  properties: Readonly<Record<string, unknown>>,
  prefix: string,
): Promise<void> {
  const behaviour = profileBehaviours.get(typeName);
  if (!behaviour?.validateWithCloud) return;
  const context = (properties.context ?? {}) as Record<string, unknown>;
  const view = { id: '', name: '', type: typeName, properties, context };
  const caller = { id: '', user: ctx.userId ?? '', project: ctx.projectId ?? '' };
  const callContext = await profileCallContext(
    deps,
    caller,
    view,
    AbortSignal.timeout(deps.config.DEFAULT.default_nova_timeout * 1000),
  );
  try {
    await behaviour.validateWithCloud(properties, callContext);
  } catch (err) {
    if (err instanceof InvalidSpec || err instanceof ESchema)
      throw new InvalidSpec(`${prefix}${err.message}`);
    throw err;
  }
}

/** Parses a spec, reporting schema and semantic errors as InvalidSpec with a prefix. */
function parseProfileSpecOrThrow(
  spec: Record<string, unknown>,
  profileName: string,
  prefix: string,
): ReturnType<typeof parseProfileSpec> {
  try {
    return parseProfileSpec(spec, { profileName });
  } catch (err) {
    if (err instanceof ESchema || err instanceof InvalidSpec)
      throw new InvalidSpec(`${prefix}${err.message}`);
    throw err;
  }
}

/** The type of the profile operations object. */
export type ProfileOperations = ReturnType<typeof profileOperations>;
