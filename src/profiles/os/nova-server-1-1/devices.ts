/**
 * Naming the block devices and pools of an `os.nova.server-1.1` spec: how entries of two specs
 * are matched, the key of a pool, and the addresses a fixed IP pool holds.
 */
import { createHash } from 'node:crypto';
import { isPlainObject } from '../../../common/spec-schema/index.js';

/** A block device or network entry of a resolved spec. */
export type Entry = Readonly<Record<string, unknown>>;

/** The entries of a list property (non-objects dropped). */
export function entriesOf(value: unknown): Entry[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** The pool of an entry, or null. */
export function poolOf(entry: Entry): Entry | null {
  return isPlainObject(entry.pool) ? entry.pool : null;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical(value[k])]),
    );
  }
  return value;
}

/**
 * The key of a pool: the same definition gives the same key in every profile, so that nodes
 * of different profiles share one pool. `sticky` is not part of the definition.
 */
export function poolKey(kind: string, pool: Entry): string {
  const { sticky: _sticky, ...definition } = pool;
  const digest = createHash('sha256')
    .update(JSON.stringify(canonical(definition)))
    .digest('hex');
  return `${kind}:${digest.slice(0, 40)}`;
}

/**
 * The identity of a block device entry, used to match the entries of the current and the
 * new spec of an update: its device name, else the volume or image it is made from, else its
 * pool, else its position.
 */
export function deviceKey(entry: Entry, index: number): string {
  if (typeof entry.device_name === 'string' && entry.device_name !== '') {
    return `device:${entry.device_name.replace(/^\/dev\//, '')}`;
  }
  if (typeof entry.uuid === 'string' && entry.uuid !== '') return `uuid:${entry.uuid}`;
  const pool = poolOf(entry);
  if (pool !== null) return poolKey('volume', pool);
  return `index:${index}`;
}

/** A readable name of a block device entry for messages. */
export function deviceLabel(entry: Entry, index: number): string {
  if (typeof entry.device_name === 'string' && entry.device_name !== '') return entry.device_name;
  if (typeof entry.uuid === 'string' && entry.uuid !== '') return entry.uuid;
  return `#${index}`;
}

/** Block device entries by key, in spec order. */
export function devicesByKey(value: unknown): Map<string, Entry> {
  const out = new Map<string, Entry>();
  entriesOf(value).forEach((entry, i) => {
    out.set(deviceKey(entry, i), entry);
  });
  return out;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipToNumber(text: string): number | null {
  const m = IPV4.exec(text.trim());
  if (m === null) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** The most addresses a fixed IP pool may list. */
export const MAX_POOL_ADDRESSES = 4096;

/**
 * The addresses of a fixed IP pool, in order, without duplicates: each item is an address or
 * a range `first-last`. Throws an Error naming the first bad item.
 */
export function expandFixedIps(items: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const item of items) {
    const text = String(item);
    const [first = '', last, extra] = text.split('-');
    const from = ipToNumber(first);
    const to = last === undefined ? from : ipToNumber(last);
    if (from === null || to === null || extra !== undefined || to < from) {
      throw new Error(`'${text}' is not an IPv4 address or a range 'first-last' of them`);
    }
    if (out.size + (to - from + 1) > MAX_POOL_ADDRESSES) {
      throw new Error(`a fixed IP pool may hold at most ${MAX_POOL_ADDRESSES} addresses`);
    }
    for (let n = from; n <= to; n += 1) out.add(numberToIp(n));
  }
  return [...out];
}
