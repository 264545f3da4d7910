/**
 * Synchronous calls into profile behaviour made by node requests: the `details` of
 * `GET /v1/nodes/{id}?show_details=true` and the spec of an adopted resource.
 */
import type { RequestContext } from '../common/context.js';
import { SenlinError } from '../common/errors.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import type { ProfileRecord } from '../db/queries/profiles.js';
import { CloudError } from '../drivers/types.js';
import type { ProfileBehaviour, ProfileView } from '../engine/contracts.js';
import { nodeView, profileCallContext, profileView } from '../engine/profile-context.js';
import { profileBehaviours } from '../profiles/index.js';
import type { ConductorDeps } from './deps.js';

/** 500: the cloud failed while a profile operation ran synchronously (adopt). */
export class ProfileOperationFailed extends SenlinError {
  constructor(message: string) {
    super(message, 500, 'ProfileOperationFailed');
  }
}

/** The run-time behaviour of a profile type, or undefined when none is registered. */
export function behaviourOf(typeName: string): ProfileBehaviour | undefined {
  return profileBehaviours.get(typeName);
}

function errorValue(err: unknown): { code: number; message: string } {
  return {
    code: err instanceof CloudError ? err.status : err instanceof SenlinError ? err.status : 500,
    message: err instanceof Error ? err.message : String(err),
  };
}

function callSignal(deps: ConductorDeps): AbortSignal {
  return AbortSignal.timeout(deps.config.DEFAULT.default_action_timeout * 1000);
}

/**
 * Details of a node's resource from its profile behaviour. Cloud failures are reported inside
 * the details (`{"Error": {code, message}}`) rather than failing the request.
 */
export async function nodeDetails(
  deps: ConductorDeps,
  node: NodeRecord,
  profile: ProfileRecord,
): Promise<Record<string, unknown>> {
  const behaviour = behaviourOf(profile.type ?? '');
  if (!behaviour) return {};
  try {
    const view = profileView(profile);
    const ctx = await profileCallContext(deps, node, view, callSignal(deps));
    return await behaviour.details(nodeView(node), view, ctx);
  } catch (err) {
    return { Error: errorValue(err) };
  }
}

/** What adopting a resource needs. */
export interface AdoptSource {
  /** `<type>-<version>` of the profile to build. */
  readonly typeName: string;
  /** Physical id of the resource. */
  readonly identity: string;
  readonly overrides: Record<string, unknown> | null;
  readonly snapshot: boolean;
}

/**
 * Spec properties describing an existing resource, from the profile behaviour of the type.
 * A cloud failure is a 500 `ProfileOperationFailed` with `<code>: <message>`.
 */
export async function adoptProperties(
  deps: ConductorDeps,
  ctx: RequestContext,
  source: AdoptSource,
): Promise<Record<string, unknown>> {
  const behaviour = behaviourOf(source.typeName);
  if (!behaviour) {
    throw new ProfileOperationFailed(
      `500: The profile type '${source.typeName}' does not support adoption`,
    );
  }
  const owner = { id: 'adopt', user: ctx.userId ?? '', project: ctx.projectId ?? '' };
  const view: ProfileView = {
    id: '',
    name: '',
    type: source.typeName,
    properties: {},
    context: {},
  };
  let spec: Record<string, unknown>;
  try {
    const callCtx = await profileCallContext(deps, owner, view, callSignal(deps));
    spec = await behaviour.adopt(source.identity, callCtx, {
      overrides: source.overrides,
      snapshot: source.snapshot,
    });
  } catch (err) {
    const { code, message } = errorValue(err);
    throw new ProfileOperationFailed(`${code}: ${message}`);
  }
  const failure = spec.Error as { code?: unknown; message?: unknown } | undefined;
  if (failure && typeof failure === 'object') {
    throw new ProfileOperationFailed(`${String(failure.code)}: ${String(failure.message)}`);
  }
  return spec;
}
