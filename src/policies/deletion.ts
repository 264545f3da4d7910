/** The deletion policy (`senlin.policy.deletion`): which nodes go when a cluster shrinks. */
import { InvalidSpec } from '../common/errors.js';
import {
  allowedValues,
  booleanProp,
  integerProp,
  isPlainObject,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../common/spec-schema/index.js';
import { type PolicyType, policyTypeVersions } from './types.js';

/** Properties of a `senlin.policy.deletion` spec. */
export const deletionSchema: PropertyMap = {
  criteria: stringProp({
    description: 'How the nodes to delete are chosen.',
    default: 'RANDOM',
    constraints: [
      allowedValues(['OLDEST_FIRST', 'OLDEST_PROFILE_FIRST', 'YOUNGEST_FIRST', 'RANDOM']),
    ],
  }),
  destroy_after_deletion: booleanProp({
    description: 'Whether removed nodes are destroyed; when false they only leave the cluster.',
    default: true,
  }),
  grace_period: integerProp({
    description: 'Seconds to wait before the chosen nodes are deleted.',
    default: 0,
  }),
  reduce_desired_capacity: booleanProp({
    description: "Whether the cluster's desired capacity shrinks with the deleted nodes.",
    default: true,
  }),
  hooks: mapProp({
    description: 'A lifecycle hook that is told before nodes are deleted.',
    default: {},
    schema: {
      type: stringProp({
        description: 'How the hook is notified.',
        default: 'zaqar',
        constraints: [allowedValues(['zaqar', 'webhook'])],
      }),
      params: mapProp({
        default: {},
        schema: {
          queue: stringProp({
            description: 'Name of the Zaqar queue the hook messages are posted to.',
            default: '',
          }),
          url: stringProp({
            description: 'URL the hook messages are sent to.',
            default: '',
          }),
        },
      }),
      timeout: integerProp({
        description: 'Seconds to wait for the hook to complete before deleting anyway.',
        default: 0,
      }),
    },
  }),
};

/** Checks that `grace_period` and the hook `timeout` are not negative. */
export function validateDeletionSpec(properties: ResolvedProperties): void {
  const grace = properties.grace_period;
  if (typeof grace === 'number' && grace < 0) {
    throw new InvalidSpec("the 'grace_period' must be >= 0");
  }
  const hooks = properties.hooks;
  if (isPlainObject(hooks) && typeof hooks.timeout === 'number' && hooks.timeout < 0) {
    throw new InvalidSpec("the 'timeout' for 'hooks' must be >= 0");
  }
}

/** `senlin.policy.deletion-1.0` and `-1.1` (1.1 added `hooks`; both accept it). */
export const deletionPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.deletion',
  versions: ['1.0', '1.1'],
  supportStatus: {
    '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.04' }],
    '1.1': [{ status: SupportStatus.SUPPORTED, since: '2018.01' }],
  },
  schema: deletionSchema,
  priority: 400,
  singleton: true,
  profileTypes: ['ANY'],
  targets: [
    ['BEFORE', 'CLUSTER_SCALE_IN'],
    ['BEFORE', 'CLUSTER_DEL_NODES'],
    ['BEFORE', 'CLUSTER_RESIZE'],
    ['BEFORE', 'NODE_DELETE'],
  ],
  dataEnvelope: { key: 'DeletionPolicy', version: '1.1' },
  resolveFirst: [
    'criteria',
    'grace_period',
    'destroy_after_deletion',
    'reduce_desired_capacity',
    'hooks',
  ],
  validateSpec: validateDeletionSpec,
});
