/** Operations of the Nova server profile, as offered through node and cluster `ops` calls. */
import {
  allowedValues,
  type OperationMap,
  operation,
  stringParam,
} from '../../../common/spec-schema/index.js';

/** Operation table of `os.nova.server`. */
export const novaServerOperations: OperationMap = {
  reboot: operation('Reboot the server.', {
    type: stringParam({
      description: "How to reboot: 'SOFT' (through the guest) or 'HARD' (power cycle).",
      default: 'SOFT',
      constraints: [allowedValues(['SOFT', 'HARD'])],
    }),
  }),
  rebuild: operation('Rebuild the server from its current image and administrator password.'),
  change_password: operation('Change the password of the administrator account.', {
    admin_pass: stringParam({ description: 'The new administrator password.' }),
  }),
  pause: operation('Pause the server, keeping its state in memory.'),
  unpause: operation('Resume a paused server.'),
  suspend: operation('Suspend the server, saving its state to disk.'),
  resume: operation('Resume a suspended server.'),
  lock: operation('Lock the server against changes by non-admin users.'),
  unlock: operation('Unlock a locked server.'),
  start: operation('Start a stopped server.'),
  stop: operation('Stop (shut off) the server.'),
  rescue: operation('Put the server into rescue mode.', {
    image_ref: stringParam({ description: 'Image to boot the rescue system from.' }),
  }),
  unrescue: operation('Bring the server out of rescue mode.'),
  evacuate: operation('Rebuild the server on another host after its host failed.', {
    host: stringParam({ description: 'Host to move the server to.' }),
    force: stringParam({ description: 'Whether to skip the scheduler checks of the target host.' }),
  }),
};
