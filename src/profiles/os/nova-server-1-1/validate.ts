/** Checks of an `os.nova.server-1.1` spec that need no cloud, and of a move between two specs. */
import { InvalidSpec } from '../../../common/errors.js';
import { isTruthy, type ResolvedProperties } from '../../../common/spec-schema/index.js';
import { checkNetworkEntry } from '../nova-server/validate.js';
import {
  deviceKey,
  deviceLabel,
  type Entry,
  entriesOf,
  expandFixedIps,
  poolOf,
} from './devices.js';

const DEVICE_REQUIRED = ['source_type', 'destination_type', 'volume_size'] as const;

function checkBlockDevice(entry: Entry, index: number): void {
  const pool = poolOf(entry);
  const label = deviceLabel(entry, index);
  if (pool === null) {
    for (const key of DEVICE_REQUIRED) {
      if (entry[key] === null || entry[key] === undefined) {
        throw new InvalidSpec(`Required spec item '${key}' not provided`);
      }
    }
    return;
  }
  if (isTruthy(entry.uuid)) {
    throw new InvalidSpec(
      `Block device '${label}': the 'uuid' property and the 'pool' property cannot be specified at the same time`,
    );
  }
  for (const key of ['source_type', 'destination_type'] as const) {
    if (entry[key] !== null && entry[key] !== undefined && entry[key] !== 'volume') {
      throw new InvalidSpec(`Block device '${label}': a volume pool needs ${key} 'volume'`);
    }
  }
  const listed = Array.isArray(pool.volumes) && pool.volumes.length > 0;
  if (!listed && !isTruthy(pool.metadata) && !isTruthy(pool.name_prefix)) {
    throw new InvalidSpec(
      `Block device '${label}': a volume pool needs 'volumes', 'metadata' or 'name_prefix'`,
    );
  }
}

function checkNetwork(entry: Entry): void {
  const pool = poolOf(entry);
  if (pool === null) {
    checkNetworkEntry(entry);
    return;
  }
  if (isTruthy(entry.port) || isTruthy(entry.fixed_ip)) {
    throw new InvalidSpec(
      "The 'pool' property cannot be specified together with 'port' or 'fixed_ip'",
    );
  }
  const ports =
    (Array.isArray(pool.ports) && pool.ports.length > 0) || isTruthy(pool.port_name_prefix);
  const ips = Array.isArray(pool.fixed_ips) && pool.fixed_ips.length > 0;
  if (ports === ips) {
    throw new InvalidSpec(
      "A network pool needs either 'ports' / 'port_name_prefix' or 'fixed_ips', not both",
    );
  }
  if (ips) {
    if (!isTruthy(entry.network)) {
      throw new InvalidSpec("A fixed IP pool needs the 'network' its addresses belong to");
    }
    try {
      expandFixedIps(pool.fixed_ips as unknown[]);
    } catch (err) {
      throw new InvalidSpec(`Invalid fixed IP pool: ${(err as Error).message}`);
    }
  }
  if (isTruthy(entry.floating_ip) && !isTruthy(entry.floating_network)) {
    throw new InvalidSpec('Must specify a network to create floating IP');
  }
}

/**
 * Checks a resolved `os.nova.server-1.1` spec: something to boot from, block devices (a pool
 * or the properties 1.0 requires) and network entries (a pool or what 1.0 accepts).
 */
export function validateNovaServer11Spec(properties: ResolvedProperties): void {
  const devices = entriesOf(properties.block_device_mapping_v2);
  if ((properties.image ?? null) === null && devices.length === 0) {
    throw new InvalidSpec("One of 'image' and 'block_device_mapping_v2' must be provided");
  }
  devices.forEach((entry, i) => {
    checkBlockDevice(entry, i);
  });
  for (const entry of entriesOf(properties.networks)) checkNetwork(entry);
}

/**
 * Refuses a move between two specs that would shrink a block device: Cinder volumes only
 * grow. Devices are matched by `deviceKey`.
 */
export function validateNovaServer11Update(
  current: ResolvedProperties,
  next: ResolvedProperties,
): void {
  const before = new Map<string, { entry: Entry; index: number }>();
  entriesOf(current.block_device_mapping_v2).forEach((entry, index) => {
    before.set(deviceKey(entry, index), { entry, index });
  });
  entriesOf(next.block_device_mapping_v2).forEach((entry, index) => {
    const old = before.get(deviceKey(entry, index));
    if (old === undefined) return;
    const from = old.entry.volume_size;
    const to = entry.volume_size;
    if (typeof from === 'number' && typeof to === 'number' && to < from) {
      throw new InvalidSpec(
        `The size of block device '${deviceLabel(entry, index)}' cannot shrink from ${from} to ${to}: volumes can only grow`,
      );
    }
  });
}
