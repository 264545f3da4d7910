/** IPv4 address allocation from the subnets of the fake Neutron. */
import { badRequest, conflict } from '../common.js';
import type { FakeStore } from '../store.js';

/** The numeric value of a dotted IPv4 address (NaN when malformed). */
export function ipToInt(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) return Number.NaN;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return Number.NaN;
    const v = Number(part);
    if (v > 255) return Number.NaN;
    n = n * 256 + v;
  }
  return n;
}

/** The dotted form of a numeric IPv4 address. */
export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** First and last address of a CIDR. */
export function cidrBounds(cidr: string): { first: number; last: number } {
  const [base = '', bitsText = '32'] = cidr.split('/');
  const bits = Number(bitsText);
  const size = 2 ** (32 - bits);
  const first = Math.floor(ipToInt(base) / size) * size;
  return { first, last: first + size - 1 };
}

/** True when `ip` lies in `cidr`. */
export function inCidr(ip: string, cidr: string): boolean {
  const n = ipToInt(ip);
  const { first, last } = cidrBounds(cidr);
  return n >= first && n <= last;
}

/** The parts of a subnet that allocation needs. */
export interface SubnetShape {
  id: string;
  network_id: string;
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: { start: string; end: string }[];
}

/**
 * Takes an address of the subnet for `owner`: `requested` when given (it must be free and
 * inside the subnet), else the next free address of the allocation pool.
 */
export function allocateIp(
  store: FakeStore,
  subnet: SubnetShape,
  owner: string,
  requested?: string,
): string {
  if (requested !== undefined) {
    const n = ipToInt(requested);
    const { first, last } = cidrBounds(subnet.cidr);
    if (Number.isNaN(n) || n <= first || n >= last)
      throw badRequest(
        `Invalid input for operation: IP address ${requested} is not a valid IP for the specified subnet.`,
      );
    if (requested === subnet.gateway_ip || !store.takeIp(subnet.id, requested, owner))
      throw conflict(`IP address ${requested} already allocated in subnet ${subnet.id}.`);
    return requested;
  }
  const pool = subnet.allocation_pools[0];
  if (!pool) throw conflict(`No more IP addresses available on network ${subnet.network_id}.`);
  const start = ipToInt(pool.start);
  const size = ipToInt(pool.end) - start + 1;
  const key = `ipnext:${subnet.id}`;
  const stored = Number(store.getValue(key) ?? 0);
  for (let i = 0; i < size; i += 1) {
    const offset = (stored + i) % size;
    const addr = intToIp(start + offset);
    if (addr === subnet.gateway_ip || !store.takeIp(subnet.id, addr, owner)) continue;
    store.setValue(key, (offset + 1) % size);
    return addr;
  }
  throw conflict(`No more IP addresses available on network ${subnet.network_id}.`);
}
