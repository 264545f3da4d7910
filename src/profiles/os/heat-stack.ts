/** The Heat stack profile type (`os.heat.stack-1.0`): one Heat stack per node. */
import { InvalidSpec } from '../../common/errors.js';
import {
  booleanProp,
  integerProp,
  isTruthy,
  mapProp,
  type PropertyMap,
  type ResolvedProperties,
  SupportStatus,
  stringProp,
} from '../../common/spec-schema/index.js';
import type { ProfileType, ProfileValidationContext } from '../types.js';

/** Properties of an `os.heat.stack` spec. */
export const heatStackSchema: PropertyMap = {
  context: mapProp({
    description: 'Overrides of the connection used for stack operations (e.g. region_name).',
    default: {},
  }),
  template: mapProp({
    description: 'The Heat template of the stack, given inline.',
    default: {},
    updatable: true,
  }),
  template_url: stringProp({
    description: 'URL the Heat template is fetched from, instead of an inline template.',
    default: '',
    updatable: true,
  }),
  parameters: mapProp({
    description: 'Values of the template parameters.',
    default: {},
    updatable: true,
  }),
  files: mapProp({
    description: 'Contents of the files the template refers to, keyed by their names.',
    default: {},
    updatable: true,
  }),
  timeout: integerProp({
    description: 'Minutes a stack operation may take before it counts as failed.',
    updatable: true,
  }),
  disable_rollback: booleanProp({
    description: 'Whether Heat keeps a stack that failed to create instead of rolling it back.',
    default: true,
    updatable: true,
  }),
  environment: mapProp({
    description: 'The Heat environment applied to the stack.',
    default: {},
    updatable: true,
  }),
};

/** Checks that the spec gives a template, inline or by URL. */
export function validateHeatStackSpec(
  properties: ResolvedProperties,
  ctx: ProfileValidationContext,
): void {
  if (!isTruthy(properties.template) && !isTruthy(properties.template_url)) {
    throw new InvalidSpec(
      `Both template and template_url are not specified for profile '${ctx.profileName}'.`,
    );
  }
}

/** `os.heat.stack-1.0`. */
export const heatStackProfileType: ProfileType = Object.freeze({
  name: 'os.heat.stack',
  version: '1.0',
  typeName: 'os.heat.stack-1.0',
  supportStatus: { '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.04' }] },
  schema: heatStackSchema,
  // Shown as a bare map schema, as upstream declares it.
  operations: {
    abandon: mapProp({ description: 'Remove the stack from Heat while keeping its resources.' }),
  },
  validateSpec: validateHeatStackSpec,
});
