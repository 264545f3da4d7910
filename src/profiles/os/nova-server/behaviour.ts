/** What the Nova server profile type (`os.nova.server-1.0`) does to the servers of its nodes. */
import type { ProfileBehaviour } from '../../../engine/contracts.js';
import { checkServer, serverHealthy } from './behaviour-check.js';
import { createServer } from './behaviour-create.js';
import { deleteServerResources } from './behaviour-delete.js';
import { adoptServer, joinServer, leaveServer, serverDetails } from './behaviour-details.js';
import { recoverServer, serverOperation } from './behaviour-ops.js';
import { updateServer } from './behaviour-update.js';
import { validateServerSpec } from './behaviour-validate.js';

const behaviour: ProfileBehaviour = {
  create: (node, profile, ctx) => createServer(node, profile, ctx),
  delete: (node, _profile, ctx, options) =>
    deleteServerResources(node, ctx, {
      force: options?.force ?? false,
      timeout: options?.timeout ?? null,
    }),
  update: (node, current, next, ctx, params) => updateServer(node, current, next, ctx, params),
  check: (node, _profile, ctx) => checkServer(node, ctx),
  healthCheck: (node, _profile, ctx, detection) => serverHealthy(node, ctx, detection),
  recover: (node, profile, ctx, options) => recoverServer(behaviour, node, profile, ctx, options),
  details: (node, _profile, ctx) => serverDetails(node, ctx),
  join: (node, _profile, ctx, clusterId) => joinServer(node, ctx, clusterId),
  leave: (node, _profile, ctx) => leaveServer(node, ctx),
  adopt: (physicalId, ctx, options) => adoptServer(physicalId, ctx, options.overrides),
  operation: (node, profile, ctx, name, params) =>
    serverOperation(node, profile, ctx, name, params),
  validateWithCloud: (properties, ctx) => validateServerSpec(properties, ctx),
};

/** Run-time behaviour of `os.nova.server-1.0`: one Nova server per node. */
export const novaServerBehaviour: ProfileBehaviour = Object.freeze(behaviour);
