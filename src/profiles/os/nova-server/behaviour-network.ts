/**
 * Checking one `networks` entry of a Nova server spec against Neutron and resolving the names
 * it holds into ids, as needed to create its port.
 */
import { errorText, textOf } from '../../behaviour-support.js';
import { type LookupScope, phaseError } from './behaviour-resolve.js';
import { VNIC_TYPES } from './validate.js';

/** A `networks` entry with names resolved to ids. */
export interface ResolvedNetwork {
  /** Network id. */
  network?: string;
  /** Id of an existing port to use. */
  port?: string;
  fixed_ip?: string;
  vnic_type?: string;
  /** Security group ids. */
  security_groups?: string[];
  /** Id of the network floating IPs come from. */
  floating_network?: string;
  /** Requested floating IP address. */
  floating_ip?: string;
  /** Id of an existing, unused floating IP with the requested address. */
  floating_ip_id?: string;
}

/** Scope of a network check: the project whose security groups are preferred. */
export interface NetworkScope extends LookupScope {
  readonly projectId?: string | null;
}

async function securityGroupIds(scope: NetworkScope, names: readonly unknown[]): Promise<string[]> {
  const nc = scope.drivers.network;
  const ids: string[] = [];
  for (const raw of names) {
    const name = String(raw);
    let found = null;
    try {
      if (scope.projectId) found = await nc.findSecurityGroup(name, scope.projectId);
    } catch {
      found = null;
    }
    try {
      found ??= await nc.findSecurityGroup(name);
    } catch (err) {
      throw phaseError(scope.phase, scope.serverId, errorText(err));
    }
    if (found === null) {
      throw phaseError(
        scope.phase,
        scope.serverId,
        `The specified security group '${name}' could not be found.`,
      );
    }
    ids.push(found.id);
  }
  return ids;
}

async function checkFloating(
  scope: NetworkScope,
  entry: Readonly<Record<string, unknown>>,
  out: ResolvedNetwork,
  existing: boolean,
): Promise<void> {
  const nc = scope.drivers.network;
  const fail = (message: string) => phaseError(scope.phase, scope.serverId, message);
  const network = textOf(entry.floating_network);
  if (network !== null) {
    let found = null;
    try {
      found = await nc.findNetwork(network);
    } catch (err) {
      throw fail(errorText(err));
    }
    if (found === null) throw fail(`The floating network ${network} could not be found.`);
    out.floating_network = found.id;
  }
  const address = textOf(entry.floating_ip);
  if (address === null) return;
  if (existing) {
    out.floating_ip = address;
    return;
  }
  let fip = null;
  try {
    fip = await nc.findFloatingIp(address);
  } catch (err) {
    throw fail(errorText(err));
  }
  if (fip !== null) {
    const port = fip.port_id ?? null;
    if (fip.status === 'ACTIVE' || (port !== null && port !== '')) {
      throw fail(`the floating IP ${address} has been used.`);
    }
    out.floating_ip_id = fip.id;
  }
  if (network === null) throw fail('Must specify a network to create floating IP');
  out.floating_ip = address;
}

/**
 * Checks a `networks` entry as a server create or update needs it: the network and port exist
 * (an existing port must be `DOWN`), one of them is given, `fixed_ip` is not combined with a
 * port, the VNIC type is known, security groups exist (first in the node's project, then
 * anywhere), the floating network exists and a requested floating IP address is free.
 * With `existing` the entry describes an interface the server already has: its port is in use
 * and its floating IP taken, so those two checks are skipped.
 */
export async function resolveNetworkEntry(
  scope: NetworkScope,
  entry: Readonly<Record<string, unknown>>,
  existing = false,
): Promise<ResolvedNetwork> {
  const nc = scope.drivers.network;
  const fail = (message: string) => phaseError(scope.phase, scope.serverId, message);
  const out: ResolvedNetwork = {};

  const network = textOf(entry.network);
  if (network !== null) {
    let found = null;
    try {
      found = await nc.findNetwork(network);
    } catch (err) {
      throw fail(errorText(err));
    }
    if (found === null) throw fail(`The specified network ${network} could not be found.`);
    out.network = found.id;
  }

  const port = textOf(entry.port);
  if (port !== null) {
    let found = null;
    try {
      found = await nc.findPort(port);
    } catch (err) {
      throw fail(errorText(err));
    }
    if (found === null) throw fail(`The specified port ${port} could not be found.`);
    if (!existing && found.status !== 'DOWN')
      throw fail(`The status of the port ${port} must be DOWN`);
    out.port = found.id;
  }

  if (port === null && network === null) {
    throw fail("One of 'port' and 'network' must be provided");
  }
  const fixedIp = textOf(entry.fixed_ip);
  if (fixedIp !== null) {
    if (port !== null) {
      throw fail(
        "The 'port' property and the 'fixed_ip' property cannot be specified at the same time",
      );
    }
    out.fixed_ip = fixedIp;
  }
  const vnic = entry.vnic_type ?? null;
  if (vnic !== null) {
    if (!(VNIC_TYPES as readonly unknown[]).includes(vnic)) {
      throw fail(
        `vnic_type: '${String(vnic)}' is not supported.(supported types are: ${VNIC_TYPES.join(', ')})`,
      );
    }
    out.vnic_type = String(vnic);
  }
  const groups = entry.security_groups;
  if (Array.isArray(groups) && groups.length > 0) {
    out.security_groups = await securityGroupIds(scope, groups);
  }
  await checkFloating(scope, entry, out, existing);
  return out;
}
