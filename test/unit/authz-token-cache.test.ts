import { describe, expect, it } from 'vitest';
import { ExpiringLru } from '../../src/api/auth/token-cache.js';

describe('expiring LRU cache', () => {
  it('returns a value until its expiry time', () => {
    const cache = new ExpiringLru<string>(10);
    cache.set('k', 'v', 1000);
    expect(cache.get('k', 999)).toBe('v');
    expect(cache.get('k', 1000)).toBeUndefined();
  });

  it('drops an expired entry when it is met', () => {
    const cache = new ExpiringLru<string>(10);
    cache.set('k', 'v', 1000);
    cache.get('k', 2000);
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used entry when full', () => {
    const cache = new ExpiringLru<string>(2);
    cache.set('a', '1', 10_000);
    cache.set('b', '2', 10_000);
    cache.get('a', 0);
    cache.set('c', '3', 10_000);
    expect(cache.get('b', 0)).toBeUndefined();
    expect(cache.get('a', 0)).toBe('1');
    expect(cache.get('c', 0)).toBe('3');
    expect(cache.size).toBe(2);
  });

  it('replaces the value of a key that is set again', () => {
    const cache = new ExpiringLru<string>(2);
    cache.set('a', '1', 10_000);
    cache.set('a', '2', 10_000);
    expect(cache.get('a', 0)).toBe('2');
    expect(cache.size).toBe(1);
  });
});
