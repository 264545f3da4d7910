import { describe, expect, it } from 'vitest';
import { ESchema } from '../../src/common/errors.js';
import { readSpecTypeVersion, specVersionText } from '../../src/common/spec-schema/index.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof ESchema) return err.message;
    throw err;
  }
  throw new Error('expected an ESchema error');
}

describe('readSpecTypeVersion', () => {
  it('joins type and version into the type name', () => {
    expect(readSpecTypeVersion({ type: 'os.nova.server', version: '1.0' })).toEqual({
      type: 'os.nova.server',
      version: '1.0',
      typeName: 'os.nova.server-1.0',
    });
  });

  it('reports a missing type with the upstream message', () => {
    expect(messageOf(() => readSpecTypeVersion({ version: '1.0' }))).toBe(
      "The 'type' key is missing from the provided spec map.",
    );
  });

  it('reports a missing version with the upstream message', () => {
    expect(messageOf(() => readSpecTypeVersion({ type: 'x' }))).toBe(
      "The 'version' key is missing from the provided spec map.",
    );
  });

  it('reports a spec that is not an object', () => {
    expect(messageOf(() => readSpecTypeVersion(['x']))).toBe('The provided spec is not a map.');
  });
});

describe('specVersionText', () => {
  it('keeps string versions as they are', () => {
    expect(specVersionText('1')).toBe('1');
  });

  it('prints an integral number with one decimal, as JSON 1.0 arrives as 1', () => {
    expect(specVersionText(1)).toBe('1.0');
  });

  it('prints other numbers as they are', () => {
    expect(specVersionText(1.2)).toBe('1.2');
  });
});
