/** Policy types: descriptors, the registry and spec parsing. */
import './builtin-behaviours.js';

export { affinityPolicyTypes, affinitySchema } from './affinity.js';
export { batchPolicyTypes, batchSchema, validateBatchSpec } from './batch.js';
export { policyBehaviours, registerPolicyBehaviour } from './behaviours.js';
export { deletionPolicyTypes, deletionSchema, validateDeletionSpec } from './deletion.js';
export {
  healthPolicyTypes,
  healthSchema,
  POLLING_DETECTION_TYPES,
  validateHealthSpec,
} from './health.js';
export { registrationRecoveryInputs } from './health-behaviour-settings.js';
export {
  loadBalancePolicyTypes,
  loadBalanceSchema,
  validateLoadBalanceSpec,
} from './load-balance.js';
export { checkPlacementList } from './placement-checks.js';
export {
  regionPlacementPolicyTypes,
  regionPlacementSchema,
  validateRegionPlacementSpec,
} from './region-placement.js';
export { builtinPolicyTypes, createPolicyTypeRegistry, policyTypes } from './registry.js';
export type { ScalingAdjustment } from './scaling.js';
export {
  readScalingAdjustment,
  scalingPolicyTypes,
  scalingSchema,
  validateScalingSpec,
} from './scaling.js';
export type { ParsedPolicySpec, ParsePolicySpecOptions } from './spec.js';
export { DEFAULT_HEALTH_CHECK_INTERVAL_MIN, parsePolicySpec } from './spec.js';
export type {
  CloudValidationEnv,
  PolicyCheckPoint,
  PolicyTarget,
  PolicyType,
  PolicyTypeFamily,
  PolicyTypeRegistry,
  PolicyValidationContext,
  SupportStatusEntry,
  SupportStatusMap,
  SupportStatusName,
} from './types.js';
export { policyTypeVersions, SupportStatus } from './types.js';
export {
  validateZonePlacementSpec,
  zonePlacementPolicyTypes,
  zonePlacementSchema,
} from './zone-placement.js';
