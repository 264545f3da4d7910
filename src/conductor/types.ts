/** Profile and policy type lookups. */
import { ResourceNotFound } from '../common/errors.js';
import { policyTypes } from '../policies/index.js';
import type { PolicyType } from '../policies/types.js';
import { profileTypes } from '../profiles/index.js';
import type { ProfileType } from '../profiles/types.js';

/** Type operations (no dependencies: the registries are static). */
export const typeOperations = {
  /** Every profile type-version. */
  listProfileTypes(): readonly ProfileType[] {
    return profileTypes.list();
  },

  /** One profile type by `<name>-<version>`; 404 when unknown. */
  getProfileType(typeName: string): ProfileType {
    const type = profileTypes.get(typeName);
    if (!type) throw new ResourceNotFound('profile_type', typeName);
    return type;
  },

  /** Every policy type-version. */
  listPolicyTypes(): readonly PolicyType[] {
    return policyTypes.list();
  },

  /** One policy type by `<name>-<version>`; 404 when unknown. */
  getPolicyType(typeName: string): PolicyType {
    const type = policyTypes.get(typeName);
    if (!type) throw new ResourceNotFound('policy_type', typeName);
    return type;
  },
};
