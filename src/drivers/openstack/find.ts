/** Looking a resource up by id, then by name, the way the `find*` calls of the drivers do. */
import { CloudConflict, CloudError, type Resource } from '../types.js';

/** True for a failure meaning "no resource with that id" (some services answer 400 for a non-UUID). */
export function isMissing(error: unknown): boolean {
  return error instanceof CloudError && (error.status === 404 || error.status === 400);
}

/** `call`'s result, or null when it fails with a 404. */
export async function orNull<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof CloudError && error.status === 404) return null;
    throw error;
  }
}

/**
 * The resource with id `nameOrId` (`byId`), else the one named so among `byName()`: null when
 * none, CloudConflict when several share the name.
 */
export async function findByNameOrId(
  nameOrId: string,
  label: string,
  byId: (id: string) => Promise<Resource>,
  byName: (name: string) => Promise<Resource[]>,
): Promise<Resource | null> {
  if (nameOrId === '') return null;
  try {
    return await byId(nameOrId);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  const named = (await byName(nameOrId)).filter((r) => r.name === nameOrId);
  if (named.length > 1) {
    throw new CloudConflict(
      `Multiple ${label} matches found for '${nameOrId}', use an ID to be more specific.`,
    );
  }
  return named[0] ?? null;
}

/** A path segment with its special characters escaped. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
