/** Operations of `os.nova.server-1.1`: those of 1.0, migrations, drain, snapshot and restore. */
import {
  allowedValues,
  type OperationMap,
  operation,
  stringParam,
} from '../../../common/spec-schema/index.js';
import { novaServerOperations } from '../nova-server/operations.js';

/** Operation table of `os.nova.server-1.1`. */
export const novaServer11Operations: OperationMap = {
  ...novaServerOperations,
  migrate: operation('Cold-migrate the server to another host, confirming the move.', {
    host: stringParam({
      description: 'Host to move the server to (default: the scheduler picks).',
    }),
  }),
  live_migrate: operation('Live-migrate the running server to another host.', {
    host: stringParam({
      description: 'Host to move the server to (default: the scheduler picks).',
    }),
    block_migration: stringParam({
      description: "Whether disks are copied: 'auto' (Nova decides), 'true' or 'false'.",
      default: 'auto',
      constraints: [allowedValues(['auto', 'true', 'false'])],
    }),
  }),
  drain: operation(
    'Move the server off a host: live if running, cold if stopped, evacuate if the host is down.',
    {
      host: stringParam({ description: 'The host to empty.', required: true }),
      target: stringParam({
        description: 'Host to move the server to (default: the scheduler picks).',
      }),
    },
  ),
  snapshot: operation("Make an image of the server and record it in the node's data.", {
    name: stringParam({ description: 'Name of the image (default: <node name>-<time>).' }),
  }),
  restore: operation("Rebuild the server from the node's latest snapshot or from an image.", {
    image: stringParam({
      description: "Name or ID of the image (default: the node's latest snapshot).",
    }),
  }),
};
