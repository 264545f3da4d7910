/** The Nova server profile type (`os.nova.server-1.0`). */
import { SupportStatus } from '../../../common/spec-schema/index.js';
import type { ProfileType } from '../../types.js';
import { novaServerOperations } from './operations.js';
import { novaServerSchema } from './schema.js';
import { validateNovaServerSpec } from './validate.js';

export { novaServerOperations } from './operations.js';
export { novaServerSchema } from './schema.js';
export { checkNetworkEntry, VNIC_TYPES, validateNovaServerSpec } from './validate.js';

/** `os.nova.server-1.0`: one Nova server per node. */
export const novaServerProfileType: ProfileType = Object.freeze({
  name: 'os.nova.server',
  version: '1.0',
  typeName: 'os.nova.server-1.0',
  supportStatus: { '1.0': [{ status: SupportStatus.SUPPORTED, since: '2016.04' }] },
  schema: novaServerSchema,
  operations: novaServerOperations,
  validateSpec: validateNovaServerSpec,
});
