/**
 * Whether something answers at an address of the fake cloud: a port bound to an ACTIVE server,
 * or an address of a complete Heat stack. Used for load-balancer member health and to decide
 * whether a Docker daemon on a server can be reached.
 */
import { K } from '../kinds.js';
import type { FakeWorld } from '../world.js';
import { inCidr } from './ipam.js';

/** `live`, `down`, or `unknown` when the address is outside every subnet of the cloud. */
export function addressState(world: FakeWorld, address: string): 'live' | 'down' | 'unknown' {
  const subnet = world.store.list(K.subnet).find((s) => inCidr(address, String(s.r.cidr)));
  if (!subnet) return 'unknown';
  const owner = world.store.ipOwner(subnet.r.id, address);
  if (!owner) return 'down';
  const port = world.store.get(K.port, owner);
  if (port) {
    const deviceId = String(port.r.device_id ?? '');
    const server = deviceId ? world.store.get(K.server, deviceId) : null;
    return server?.r.status === 'ACTIVE' ? 'live' : 'down';
  }
  const stack = world.store.get(K.stack, owner);
  const status = String(stack?.r.stack_status ?? '');
  return status.endsWith('_COMPLETE') && !status.startsWith('DELETE') ? 'live' : 'down';
}
