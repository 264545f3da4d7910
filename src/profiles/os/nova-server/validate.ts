/** Checks of an `os.nova.server` spec that need no cloud. */
import { InvalidSpec } from '../../../common/errors.js';
import {
  isPlainObject,
  isTruthy,
  type ResolvedProperties,
} from '../../../common/spec-schema/index.js';

/** VNIC types a network entry may ask for. */
export const VNIC_TYPES = ['normal', 'direct', 'macvtap'] as const;

/**
 * Checks one resolved `networks` entry: a port or a network is given, `fixed_ip` is not
 * combined with `port`, the VNIC type is known and a floating IP comes with a floating network.
 * The checks that look resources up in Neutron come later, with the cloud.
 */
export function checkNetworkEntry(entry: Readonly<Record<string, unknown>>): void {
  const port = entry.port ?? null;
  const network = entry.network ?? null;
  if (port === null && network === null) {
    throw new InvalidSpec("One of 'port' and 'network' must be provided");
  }
  if (isTruthy(entry.fixed_ip) && port !== null) {
    throw new InvalidSpec(
      "The 'port' property and the 'fixed_ip' property cannot be specified at the same time",
    );
  }
  const vnic = entry.vnic_type ?? null;
  if (vnic !== null && !(VNIC_TYPES as readonly unknown[]).includes(vnic)) {
    throw new InvalidSpec(
      `vnic_type: '${String(vnic)}' is not supported.(supported types are: ${VNIC_TYPES.join(', ')})`,
    );
  }
  if (isTruthy(entry.floating_ip) && !isTruthy(entry.floating_network)) {
    throw new InvalidSpec('Must specify a network to create floating IP');
  }
}

/**
 * Checks a resolved `os.nova.server` spec: something to boot from (an image or block device
 * mappings) and every network entry.
 */
export function validateNovaServerSpec(properties: ResolvedProperties): void {
  const image = properties.image ?? null;
  const bdm = properties.block_device_mapping_v2;
  if (image === null && !(Array.isArray(bdm) && bdm.length > 0)) {
    throw new InvalidSpec("One of 'image' and 'block_device_mapping_v2' must be provided");
  }
  const networks = properties.networks;
  if (!Array.isArray(networks)) return;
  for (const entry of networks) {
    if (isPlainObject(entry)) checkNetworkEntry(entry);
  }
}
