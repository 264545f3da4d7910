/** The batch policy (`senlin.policy.batch`): updates a cluster's nodes in batches. */
import { InvalidSpec } from '../common/errors.js';
import {
  integerProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
} from '../common/spec-schema/index.js';
import { type PolicyType, policyTypeVersions } from './types.js';

/** Properties of a `senlin.policy.batch` spec. */
export const batchSchema: PropertyMap = {
  min_in_service: integerProp({
    description: 'Least number of nodes kept in service while an update runs.',
    default: 1,
  }),
  max_batch_size: integerProp({
    description: 'Most nodes updated at the same time; -1 sets no limit.',
    default: -1,
  }),
  pause_time: integerProp({
    description: 'Seconds to wait between two batches.',
    default: 60,
  }),
};

/**
 * Checks the batch settings: `min_in_service` >= 0, `max_batch_size` is -1 or positive,
 * `pause_time` >= 0.
 */
export function validateBatchSpec(properties: ResolvedProperties): void {
  const { min_in_service: minIn, max_batch_size: maxBatch, pause_time: pause } = properties;
  if (typeof minIn === 'number' && minIn < 0) {
    throw new InvalidSpec("the 'min_in_service' must be >= 0");
  }
  if (typeof maxBatch === 'number' && maxBatch !== -1 && maxBatch < 1) {
    throw new InvalidSpec("the 'max_batch_size' must be -1 (no limit) or > 0");
  }
  if (typeof pause === 'number' && pause < 0) {
    throw new InvalidSpec("the 'pause_time' must be >= 0");
  }
}

/** `senlin.policy.batch-1.0`. */
export const batchPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.batch',
  versions: ['1.0'],
  supportStatus: { '1.0': [{ status: SupportStatus.EXPERIMENTAL, since: '2017.02' }] },
  schema: batchSchema,
  priority: 200,
  singleton: true,
  profileTypes: ['ANY'],
  targets: [['BEFORE', 'CLUSTER_UPDATE']],
  dataEnvelope: { key: 'BatchPolicy', version: '1.0' },
  resolveFirst: ['min_in_service', 'max_batch_size', 'pause_time'],
  validateSpec: validateBatchSpec,
});
