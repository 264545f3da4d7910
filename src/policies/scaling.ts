/** The scaling policy (`senlin.policy.scaling`): how far a scale-in or scale-out goes. */
import { InvalidSpec } from '../common/errors.js';
import {
  allowedValues,
  booleanProp,
  integerProp,
  isPlainObject,
  mapProp,
  numberProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../common/spec-schema/index.js';
import { type PolicyType, policyTypeVersions } from './types.js';

/** Properties of a `senlin.policy.scaling` spec. */
export const scalingSchema: PropertyMap = {
  event: stringProp({
    description: 'The action this policy sizes: CLUSTER_SCALE_IN or CLUSTER_SCALE_OUT.',
    required: true,
    constraints: [allowedValues(['CLUSTER_SCALE_IN', 'CLUSTER_SCALE_OUT'])],
  }),
  adjustment: mapProp({
    description: 'How many nodes a scaling action adds or removes.',
    schema: {
      type: stringProp({
        description:
          'How `number` is read: a target size, a count of nodes or a percentage of the size.',
        default: 'CHANGE_IN_CAPACITY',
        constraints: [
          allowedValues(['EXACT_CAPACITY', 'CHANGE_IN_CAPACITY', 'CHANGE_IN_PERCENTAGE']),
        ],
      }),
      number: numberProp({
        description: 'The size of the adjustment, read according to `type`; must be positive.',
        default: 1,
      }),
      min_step: integerProp({
        description: 'Smallest number of nodes a CHANGE_IN_PERCENTAGE adjustment adds or removes.',
        default: 1,
      }),
      best_effort: booleanProp({
        description: 'Whether to shrink the adjustment to fit the size limits instead of failing.',
        default: false,
      }),
      cooldown: integerProp({
        description: 'Seconds after a scaling action during which no other one may start.',
        default: 0,
      }),
    },
  }),
};

/** The adjustment of a resolved scaling spec, with defaults for whatever is left out. */
export interface ScalingAdjustment {
  readonly type: 'EXACT_CAPACITY' | 'CHANGE_IN_CAPACITY' | 'CHANGE_IN_PERCENTAGE';
  readonly number: number;
  readonly min_step: number;
  readonly best_effort: boolean;
  readonly cooldown: number;
}

/**
 * Reads the adjustment of resolved scaling properties. A spec without `adjustment` gets all
 * defaults (upstream fails on such a spec).
 */
export function readScalingAdjustment(properties: ResolvedProperties): ScalingAdjustment {
  const adj = isPlainObject(properties.adjustment) ? properties.adjustment : {};
  const pick = <T>(key: string, fallback: T, check: (v: unknown) => v is T): T => {
    const v = adj[key];
    return check(v) ? v : fallback;
  };
  const isNum = (v: unknown): v is number => typeof v === 'number';
  return {
    type: pick(
      'type',
      'CHANGE_IN_CAPACITY' as ScalingAdjustment['type'],
      (v): v is ScalingAdjustment['type'] => typeof v === 'string',
    ),
    number: pick('number', 1, isNum),
    min_step: pick('min_step', 1, isNum),
    best_effort: pick('best_effort', false, (v): v is boolean => typeof v === 'boolean'),
    cooldown: pick('cooldown', 0, isNum),
  };
}

/** Checks the adjustment: `number` > 0, `min_step` >= 0, `cooldown` >= 0. */
export function validateScalingSpec(properties: ResolvedProperties): void {
  const adj = readScalingAdjustment(properties);
  if (adj.number <= 0) throw new InvalidSpec("the 'number' for 'adjustment' must be > 0");
  if (adj.min_step < 0) throw new InvalidSpec("the 'min_step' for 'adjustment' must be >= 0");
  if (adj.cooldown < 0) throw new InvalidSpec("the 'cooldown' for 'adjustment' must be >= 0");
}

/** `senlin.policy.scaling-1.0`. */
export const scalingPolicyTypes: readonly PolicyType[] = policyTypeVersions({
  name: 'senlin.policy.scaling',
  versions: ['1.0'],
  supportStatus: { '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.04' }] },
  schema: scalingSchema,
  priority: 100,
  singleton: false,
  profileTypes: ['ANY'],
  targets: [
    ['BEFORE', 'CLUSTER_SCALE_IN'],
    ['BEFORE', 'CLUSTER_SCALE_OUT'],
    ['AFTER', 'CLUSTER_SCALE_IN'],
    ['AFTER', 'CLUSTER_SCALE_OUT'],
  ],
  dataEnvelope: { key: 'ScalingPolicy', version: '1.0' },
  resolveFirst: ['event', 'adjustment'],
  validateSpec: validateScalingSpec,
});
