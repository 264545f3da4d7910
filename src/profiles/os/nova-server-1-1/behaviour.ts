/** What `os.nova.server-1.1` does to the servers of its nodes. */
import type { ProfileBehaviour } from '../../../engine/contracts.js';
import { novaServerBehaviour } from '../nova-server/behaviour.js';
import { recoverServer } from '../nova-server/behaviour-ops.js';
import { validateServerSpec } from '../nova-server/behaviour-validate.js';
import { createServer11 } from './create.js';
import { deleteServer11 } from './delete.js';
import { entriesOf, poolOf } from './devices.js';
import { serverOperation11 } from './ops.js';
import { updateServer11 } from './update.js';

/**
 * The networks 1.0's cloud check can look up: a port pool has nothing to look up before a
 * node takes from it, a fixed IP pool names its network.
 */
function checkableNetworks(networks: unknown): Record<string, unknown>[] {
  return entriesOf(networks).flatMap((entry) => {
    const pool = poolOf(entry);
    if (pool === null) return [{ ...entry }];
    return Array.isArray(pool.fixed_ips) && pool.fixed_ips.length > 0
      ? [{ network: entry.network }]
      : [];
  });
}

const behaviour: ProfileBehaviour = {
  ...novaServerBehaviour,
  create: (node, profile, ctx) => createServer11(node, profile, ctx),
  delete: (node, _profile, ctx, options) =>
    deleteServer11(node, ctx, {
      force: options?.force ?? false,
      timeout: options?.timeout ?? null,
    }),
  update: (node, current, next, ctx, params) => updateServer11(node, current, next, ctx, params),
  recover: (node, profile, ctx, options) => recoverServer(behaviour, node, profile, ctx, options),
  operation: (node, profile, ctx, name, params) =>
    serverOperation11(node, profile, ctx, name, params),
  validateWithCloud: (properties, ctx) =>
    validateServerSpec({ ...properties, networks: checkableNetworks(properties.networks) }, ctx),
};

/** Run-time behaviour of `os.nova.server-1.1`. */
export const novaServer11Behaviour: ProfileBehaviour = Object.freeze(behaviour);
