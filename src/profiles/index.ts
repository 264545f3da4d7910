/** Profile types: descriptors, the registry, spec parsing and operation checks. */
export { dockerProfileType, dockerSchema, validateDockerSpec } from './container/docker.js';
export { validateProfileOperation } from './operations.js';
export { heatStackProfileType, heatStackSchema, validateHeatStackSpec } from './os/heat-stack.js';
export {
  checkNetworkEntry,
  novaServerOperations,
  novaServerProfileType,
  novaServerSchema,
  VNIC_TYPES,
  validateNovaServerSpec,
} from './os/nova-server/index.js';
export { builtinProfileTypes, createProfileTypeRegistry, profileTypes } from './registry.js';
export type { ParsedProfileSpec, ParseProfileSpecOptions } from './spec.js';
export { PROFILE_CONTEXT_KEYS, parseProfileSpec } from './spec.js';
export type {
  CloudValidationEnv,
  ProfileType,
  ProfileTypeRegistry,
  ProfileValidationContext,
  SupportStatusEntry,
  SupportStatusMap,
  SupportStatusName,
} from './types.js';
export { SupportStatus } from './types.js';
