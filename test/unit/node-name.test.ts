import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_NAME_FORMAT, formatNodeName } from '../../src/common/node-name.js';

/** A random source that always returns the same value. */
const constant = (value: number) => () => value;

describe('formatNodeName', () => {
  it('pads the index to the requested width', () => {
    expect(formatNodeName('N$2I', 1)).toBe('N01');
  });

  it('does not cut an index wider than the padding', () => {
    expect(formatNodeName('N$2I', 123)).toBe('N123');
  });

  it('writes the index unpadded for $I', () => {
    expect(formatNodeName('web-$I', 7)).toBe('web-7');
  });

  it('copies a format without directives as it is', () => {
    expect(formatNodeName('test-node', 3)).toBe('test-node');
  });

  it('copies a dollar sign that starts no directive', () => {
    expect(formatNodeName('a$b-$x', 1)).toBe('a$b-$x');
  });

  it('fills $nR with n random characters', () => {
    expect(formatNodeName('x-$5R', 1, constant(0))).toBe('x-aaaaa');
  });

  it('starts a random string with a letter', () => {
    // 0.99 picks the last character: Z among letters, 9 among letters and digits
    expect(formatNodeName('$4R', 1, constant(0.99))).toBe('Z999');
  });

  it('lower-cases random strings for $nr', () => {
    // 0.6 picks F among letters, L among letters and digits
    expect(formatNodeName('$3r', 1, constant(0.6))).toBe('fll');
  });

  it('keeps upper case letters for $nR', () => {
    expect(formatNodeName('$3R', 1, constant(0.6))).toBe('FLL');
  });

  it('makes random strings of eight characters without a width', () => {
    expect(formatNodeName('$R', 1, constant(0))).toBe('aaaaaaaa');
  });

  it('produces an empty string for a width of zero', () => {
    expect(formatNodeName('a$0Rb', 1)).toBe('ab');
  });

  it('expands several directives in one format', () => {
    expect(formatNodeName('$2r-$3I-$I', 4, constant(0))).toBe('aa-004-4');
  });

  it('uses node-$8R for an empty format', () => {
    expect(formatNodeName('', 1)).toMatch(/^node-[A-Za-z][A-Za-z0-9]{7}$/);
  });

  it('uses node-$8R for a missing format', () => {
    expect(formatNodeName(null, 1)).toMatch(/^node-[A-Za-z][A-Za-z0-9]{7}$/);
    expect(formatNodeName(undefined, 1)).toMatch(/^node-[A-Za-z][A-Za-z0-9]{7}$/);
  });

  it('names the default format', () => {
    expect(DEFAULT_NODE_NAME_FORMAT).toBe('node-$8R');
  });

  it('produces lower-case letters and digits for $nr with the built-in source', () => {
    expect(formatNodeName('$12r', 1)).toMatch(/^[a-z][a-z0-9]{11}$/);
  });
});
