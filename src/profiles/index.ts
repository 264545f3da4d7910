/** Profile types: descriptors, the registry, spec parsing, operation checks and behaviour. */
export type { ProfileBehaviourRegistry } from './behaviours.js';
export {
  builtinProfileBehaviours,
  createProfileBehaviourRegistry,
  profileBehaviours,
} from './behaviours.js';
export { dockerProfileType, dockerSchema, validateDockerSpec } from './container/docker.js';
export { DOCKER_HOST_KEY, dockerBehaviour } from './container/docker-behaviour.js';
export { validateProfileOperation } from './operations.js';
export { heatStackProfileType, heatStackSchema, validateHeatStackSpec } from './os/heat-stack.js';
export { heatStackBehaviour } from './os/heat-stack-behaviour.js';
export { novaServerBehaviour } from './os/nova-server/behaviour.js';
export {
  checkNetworkEntry,
  novaServerOperations,
  novaServerProfileType,
  novaServerSchema,
  VNIC_TYPES,
  validateNovaServerSpec,
} from './os/nova-server/index.js';
export { novaServer11Behaviour } from './os/nova-server-1-1/behaviour.js';
export {
  novaServer11Operations,
  novaServer11ProfileType,
  novaServer11Schema,
  validateNovaServer11Spec,
  validateNovaServer11Update,
} from './os/nova-server-1-1/index.js';
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
