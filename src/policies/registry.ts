/** The registry of policy types and the built-in types in it. */
import { affinityPolicyTypes } from './affinity.js';
import { batchPolicyTypes } from './batch.js';
import { deletionPolicyTypes } from './deletion.js';
import { healthPolicyTypes } from './health.js';
import { loadBalancePolicyTypes } from './load-balance.js';
import { regionPlacementPolicyTypes } from './region-placement.js';
import { scalingPolicyTypes } from './scaling.js';
import type { PolicyType, PolicyTypeRegistry } from './types.js';
import { zonePlacementPolicyTypes } from './zone-placement.js';

/** The built-in policy types: 8 types, 14 type-versions. */
export const builtinPolicyTypes: readonly PolicyType[] = Object.freeze([
  ...affinityPolicyTypes,
  ...batchPolicyTypes,
  ...deletionPolicyTypes,
  ...healthPolicyTypes,
  ...loadBalancePolicyTypes,
  ...regionPlacementPolicyTypes,
  ...scalingPolicyTypes,
  ...zonePlacementPolicyTypes,
]);

/**
 * A registry over the given types, listed in `typeName` order. A later entry with the same
 * `typeName` replaces an earlier one (custom types may override built-ins).
 */
export function createPolicyTypeRegistry(types: readonly PolicyType[]): PolicyTypeRegistry {
  const byName = new Map<string, PolicyType>();
  for (const t of types) byName.set(t.typeName, t);
  const sorted = Object.freeze(
    [...byName.values()].sort((a, b) => (a.typeName < b.typeName ? -1 : 1)),
  );
  return {
    list: () => sorted,
    get: (typeName) => byName.get(typeName),
  };
}

/** The registry of the built-in policy types. */
export const policyTypes: PolicyTypeRegistry = createPolicyTypeRegistry(builtinPolicyTypes);
