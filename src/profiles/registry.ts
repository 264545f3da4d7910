/** The registry of profile types and the built-in types in it. */
import { dockerProfileType } from './container/docker.js';
import { heatStackProfileType } from './os/heat-stack.js';
import { novaServerProfileType } from './os/nova-server/index.js';
import { novaServer11ProfileType } from './os/nova-server-1-1/index.js';
import type { ProfileType, ProfileTypeRegistry } from './types.js';

/** The built-in profile types. */
export const builtinProfileTypes: readonly ProfileType[] = Object.freeze([
  dockerProfileType,
  heatStackProfileType,
  novaServerProfileType,
  novaServer11ProfileType,
]);

/**
 * A registry over the given types, listed in `typeName` order. A later entry with the same
 * `typeName` replaces an earlier one (custom types may override built-ins).
 */
export function createProfileTypeRegistry(types: readonly ProfileType[]): ProfileTypeRegistry {
  const byName = new Map<string, ProfileType>();
  for (const t of types) byName.set(t.typeName, t);
  const sorted = Object.freeze(
    [...byName.values()].sort((a, b) => (a.typeName < b.typeName ? -1 : 1)),
  );
  return {
    list: () => sorted,
    get: (typeName) => byName.get(typeName),
  };
}

/** The registry of the built-in profile types. */
export const profileTypes: ProfileTypeRegistry = createProfileTypeRegistry(builtinProfileTypes);
