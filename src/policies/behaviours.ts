/**
 * What each policy type does, by `<type>-<version>`. Every version of a type shares one
 * behaviour unless a version needs its own.
 */
import type { PolicyBehaviour } from '../engine/contracts.js';

const registry = new Map<string, PolicyBehaviour>();

/** Registers the behaviour of a policy type name (all its versions) or of one type-version. */
export function registerPolicyBehaviour(typeOrTypeName: string, behaviour: PolicyBehaviour): void {
  registry.set(typeOrTypeName, behaviour);
}

/** Behaviours of policy types. */
export const policyBehaviours = {
  /** The behaviour of `<type>-<version>`: its own, else its type's, else none. */
  get(typeName: string): PolicyBehaviour | undefined {
    return registry.get(typeName) ?? registry.get(typeName.replace(/-[^-]+$/, ''));
  },
};
