/**
 * Helpers shared by the run-time behaviour of the built-in profile types: reading cloud
 * errors, comparing specs, keeping a node's `data` up to date, and the default recovery
 * (delete, pause, create).
 */
import { randomInt } from 'node:crypto';
import { EResourceDeletion, EResourceOperation } from '../common/errors.js';
import type { PropertyMap } from '../common/spec-schema/index.js';
import { CloudError } from '../drivers/types.js';
import type {
  NodeView,
  ProfileBehaviour,
  ProfileCallContext,
  ProfileView,
  RecoverOptions,
} from '../engine/contracts.js';

/** The message of an error, or its text when it is not an Error. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A failure reason as the resource errors take it: without the final period they add. */
export function reasonOf(err: unknown): string {
  return errorText(err).replace(/\.+$/, '');
}

/** The HTTP status a cloud error carries (500 for anything else). */
export function cloudStatus(err: unknown): number {
  return err instanceof CloudError ? err.status : 500;
}

/** True when the cloud answered 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof CloudError && err.status === 404;
}

/** The `{Error: {code, message}}` value details and adopt answer with when the cloud fails. */
export function errorDetails(err: unknown): Record<string, unknown> {
  return { Error: { code: cloudStatus(err), message: errorText(err) } };
}

/** Rethrows the reason of the call's signal when it has been aborted (cancel or timeout). */
export function throwIfAborted(ctx: ProfileCallContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${LETTERS}0123456789`;

/** A random name: a letter followed by letters and digits (`length` characters in all). */
export function randomName(length = 8): string {
  let out = LETTERS[randomInt(LETTERS.length)] ?? 'a';
  while (out.length < length) out += ALNUM[randomInt(ALNUM.length)] ?? '0';
  return out;
}

/** A string property value, or null when absent or empty. */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : String(value);
  return text === '' ? null : text;
}

/** Structural equality of JSON values; `null` and `undefined` count as the same. */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameValue(item, b[i]));
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) if (!sameValue(ra[key], rb[key])) return false;
  return true;
}

/**
 * True when every property that differs between the two profiles may be updated: marked
 * `updatable` in the schema or listed in `alsoUpdatable`.
 */
export function canUpdate(
  schema: PropertyMap,
  current: ProfileView,
  next: ProfileView,
  alsoUpdatable: readonly string[] = [],
): boolean {
  for (const [key, prop] of Object.entries(schema)) {
    if (sameValue(current.properties[key], next.properties[key])) continue;
    if (!prop.updatable && !alsoUpdatable.includes(key)) return false;
  }
  return true;
}

/**
 * A working copy of a node's `data`: changed in place by the behaviour and stored at once with
 * `save()`, so that what was made in the cloud is on record even if the process dies.
 */
export class NodeDataStore {
  /** The current data (mutable). */
  readonly data: Record<string, unknown>;
  readonly #ctx: ProfileCallContext;

  constructor(node: NodeView, ctx: ProfileCallContext) {
    this.data = structuredClone({ ...node.data });
    this.#ctx = ctx;
  }

  /** Stores the current data as the node's `data`. */
  async save(): Promise<void> {
    await this.#ctx.saveNodeData(structuredClone(this.data));
  }
}

/** EResourceOperation of a recovery, carrying the resource the node is left with. */
export class RecoveryFailed extends EResourceOperation {
  override readonly resourceId: string | null;

  constructor(nodeId: string, reason: string, resourceId: string | null) {
    super('recovering', 'node', nodeId, reason);
    this.resourceId = resourceId;
  }
}

/** A flag given as a boolean, a number or a boolean word (`true`, `yes`, `1`, …). */
export function isTrueFlag(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  return (
    typeof value === 'string' &&
    ['1', 't', 'true', 'on', 'y', 'yes'].includes(value.trim().toLowerCase())
  );
}

/**
 * The default recovery, RECREATE: deletes the resource (forced when `fence_compute` is set in
 * the operation parameters), pauses `batchInterval` seconds, creates a new one. A missing
 * operation means RECREATE; any other operation is not supported (`ok: false`). A failed
 * delete stops the recovery unless `forceRecreate`; failures raise EResourceOperation whose
 * `resourceId` is the resource the node is left with.
 */
export async function recreateResource(
  behaviour: Pick<ProfileBehaviour, 'create' | 'delete'>,
  node: NodeView,
  profile: ProfileView,
  ctx: ProfileCallContext,
  options: RecoverOptions,
): Promise<{ physicalId: string | null; ok: boolean }> {
  const operation = (options.operation ?? 'RECREATE').toUpperCase();
  if (operation !== 'RECREATE') return { physicalId: node.physicalId, ok: false };
  const force = isTrueFlag(options.operationParams?.fence_compute);

  // Remember what delete stores so that create starts from the node's current data.
  let data: Readonly<Record<string, unknown>> = node.data;
  const tracking: ProfileCallContext = {
    drivers: ctx.drivers,
    signal: ctx.signal,
    settings: ctx.settings,
    lookup: ctx.lookup,
    sleep: (seconds) => ctx.sleep(seconds),
    ...(ctx.claims ? { claims: ctx.claims } : {}),
    saveNodeData: async (next) => {
      await ctx.saveNodeData(next);
      data = next;
    },
  };
  let deleted = true;
  try {
    await behaviour.delete(node, profile, tracking, {
      force,
      timeout: options.deleteTimeout ?? null,
    });
  } catch (err) {
    throwIfAborted(ctx);
    if (!(err instanceof EResourceDeletion) || !options.forceRecreate) {
      throw new RecoveryFailed(node.id, reasonOf(err), node.physicalId);
    }
    deleted = false;
  }
  await ctx.sleep(ctx.settings.batchInterval);
  // Until the new physical id is recorded, a server found by its node tag may be the new one.
  await tracking.saveNodeData({ ...data, recreating: true });
  const fresh: NodeView = { ...node, physicalId: deleted ? null : node.physicalId, data };
  try {
    const physicalId = await behaviour.create(fresh, profile, tracking);
    return { physicalId, ok: true };
  } catch (err) {
    throwIfAborted(ctx);
    const partial =
      typeof err === 'object' && err !== null && 'resourceId' in err
        ? ((err as { resourceId: string | null }).resourceId ?? null)
        : null;
    throw new RecoveryFailed(node.id, reasonOf(err), partial);
  }
}
