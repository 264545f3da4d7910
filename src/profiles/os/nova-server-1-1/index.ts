/** The Nova server profile type, version 1.1 (`os.nova.server-1.1`). */
import { SupportStatus } from '../../../common/spec-schema/index.js';
import type { ProfileType } from '../../types.js';
import { novaServer11Operations } from './operations.js';
import { novaServer11Schema } from './schema.js';
import { validateNovaServer11Spec, validateNovaServer11Update } from './validate.js';

export { novaServer11Operations } from './operations.js';
export { novaServer11Schema } from './schema.js';
export { validateNovaServer11Spec, validateNovaServer11Update } from './validate.js';

/**
 * `os.nova.server-1.1`: one Nova server per node, with migrations, snapshots, volume and port
 * pools and disk updates.
 */
export const novaServer11ProfileType: ProfileType = Object.freeze({
  name: 'os.nova.server',
  version: '1.1',
  typeName: 'os.nova.server-1.1',
  supportStatus: {
    '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.04' }],
    '1.1': [{ status: SupportStatus.EXPERIMENTAL, since: '2026.11' }],
  },
  schema: novaServer11Schema,
  operations: novaServer11Operations,
  validateSpec: validateNovaServer11Spec,
  validateUpdate: validateNovaServer11Update,
});
