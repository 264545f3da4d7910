/** Policy operations: list, create, validate, show, update, delete. */
import type { RequestContext } from '../common/context.js';
import { BadRequest, ESchema, InvalidSpec, ResourceInUse } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { listRows } from '../db/listing.js';
import { deleteById, findRow, nameTaken } from '../db/queries/find.js';
import type { PolicyRecord } from '../db/queries/policies.js';
import { decodePolicy, insertPolicy, policyInUse, renamePolicy } from '../db/queries/policies.js';
import { driversFor } from '../engine/profile-context.js';
import { parsePolicySpec, policyBehaviours } from '../policies/index.js';
import type { ConductorDeps } from './deps.js';
import { owner, projectScope } from './deps.js';
import type { ListRequest } from './list-request.js';

/**
 * Parses a policy spec. Schema errors are 400 InvalidSpec here, where upstream answered 500
 * (docs/compatibility.md).
 */
function parseSpec(
  deps: ConductorDeps,
  spec: Record<string, unknown>,
  policyName: string,
): ReturnType<typeof parsePolicySpec> {
  try {
    return parsePolicySpec(spec, {
      policyName,
      healthCheckIntervalMin: deps.config.DEFAULT.health_check_interval_min,
    });
  } catch (err) {
    if (err instanceof ESchema) throw new InvalidSpec(err.message);
    throw err;
  }
}

/** Policy operations bound to their dependencies. */
export function policyOperations(deps: ConductorDeps) {
  const { db } = deps;

  async function find(ctx: RequestContext, identity: string): Promise<PolicyRecord> {
    const row = await db.retry((k) =>
      findRow(k, 'policy', identity, { kind: 'policy', project: projectScope(ctx) }),
    );
    return decodePolicy(row);
  }

  return {
    /** Lists the caller's policies (every project's for admins). */
    async list(ctx: RequestContext, req: ListRequest): Promise<PolicyRecord[]> {
      const project = projectScope(ctx, req.projectSafe);
      const rows = await db.retry((k) => listRows(k, db.dialect, 'policy', { ...req, project }));
      return rows.map(decodePolicy);
    },

    /** Validates the spec and stores a new policy. */
    async create(
      ctx: RequestContext,
      input: { name: string; spec: Record<string, unknown> },
    ): Promise<PolicyRecord> {
      const who = owner(ctx);
      if (
        deps.config.DEFAULT.name_unique &&
        (await db.retry((k) => nameTaken(k, 'policy', who.project, input.name)))
      ) {
        throw new BadRequest(`A policy named '${input.name}' already exists`);
      }
      const { type, properties } = parseSpec(deps, input.spec, input.name);
      // Policy create checks the spec against the cloud (regions, zones, subnets exist);
      // policy validate does not, as upstream.
      const behaviour = policyBehaviours.get(type.typeName);
      if (behaviour?.validateWithCloud) {
        const drivers = await driversFor(deps, {
          user: ctx.userId ?? '',
          project: ctx.projectId ?? '',
        });
        await behaviour.validateWithCloud(properties, drivers);
      }
      const record: PolicyRecord = {
        id: newId(),
        name: input.name,
        type: type.typeName,
        ...who,
        spec: input.spec,
        data: {},
        createdAt: deps.now(),
        updatedAt: null,
      };
      await db.retry((k) => insertPolicy(k, record));
      return record;
    },

    /** Validates a spec without storing anything; returns a policy-shaped result. */
    async validate(ctx: RequestContext, spec: Record<string, unknown>): Promise<PolicyRecord> {
      const { type } = parseSpec(deps, spec, 'validated_policy');
      return {
        id: null as unknown as string,
        name: 'validated_policy',
        type: type.typeName,
        ...owner(ctx),
        spec,
        data: {},
        createdAt: null,
        updatedAt: null,
      };
    },

    /** Shows one policy. */
    get: find,

    /** Renames a policy. */
    async update(ctx: RequestContext, identity: string, name: string): Promise<PolicyRecord> {
      const policy = await find(ctx, identity);
      if (name === policy.name) throw new BadRequest('No property needs an update.');
      const updatedAt = deps.now();
      await db.retry((k) => renamePolicy(k, policy.id, name, updatedAt));
      return { ...policy, name, updatedAt };
    },

    /** Deletes a policy that is attached to no cluster. */
    async delete(ctx: RequestContext, identity: string): Promise<void> {
      const policy = await find(ctx, identity);
      await db.transaction(async (trx) => {
        if (await policyInUse(trx, policy.id)) {
          throw new ResourceInUse('policy', identity, 'still attached to some clusters');
        }
        await deleteById(trx, 'policy', policy.id);
      });
    },
  };
}

/** The type of the policy operations object. */
export type PolicyOperations = ReturnType<typeof policyOperations>;
