import { describe, expect, it } from 'vitest';
import { ESchema } from '../../src/common/errors.js';
import {
  allowedValues,
  booleanProp,
  integerProp,
  listProp,
  mapProp,
  numberProp,
  type PropertyMap,
  resolve,
  resolveKey,
  stringProp,
} from '../../src/common/spec-schema/index.js';

function errorOf(fn: () => unknown): ESchema {
  try {
    fn();
  } catch (err) {
    if (err instanceof ESchema) return err;
    throw err;
  }
  throw new Error('expected an ESchema error');
}

const one = (prop: PropertyMap[string], value: unknown): unknown =>
  resolve({ v: prop }, { v: value }).v;

describe('Integer properties', () => {
  it('accept integral numbers', () => {
    expect(one(integerProp(), 42)).toBe(42);
  });

  it('convert integer strings with blanks, signs and underscores', () => {
    expect(one(integerProp(), ' -7 ')).toBe(-7);
    expect(one(integerProp(), '1_000')).toBe(1000);
  });

  it('reject non-integer strings with the upstream message', () => {
    expect(errorOf(() => one(integerProp(), 'abc')).message).toBe(
      "The value 'abc' is not a valid Integer",
    );
  });

  it('reject fractions', () => {
    expect(errorOf(() => one(integerProp(), 1.5)).message).toBe(
      "The value '1.5' is not a valid Integer",
    );
  });

  it('reject booleans printed the Python way', () => {
    expect(errorOf(() => one(integerProp(), true)).message).toBe(
      "The value 'True' is not a valid Integer",
    );
  });

  it('resolve an explicit null to null instead of the default', () => {
    expect(one(integerProp({ default: 5 }), null)).toBeNull();
  });
});

describe('Number properties', () => {
  it('accept integers and floats', () => {
    expect(one(numberProp(), 3)).toBe(3);
    expect(one(numberProp(), 2.5)).toBe(2.5);
  });

  it('convert numeric strings including exponents', () => {
    expect(one(numberProp(), '2.5')).toBe(2.5);
    expect(one(numberProp(), '1e3')).toBe(1000);
  });

  it('reject other strings with the upstream message', () => {
    expect(errorOf(() => one(numberProp(), 'x1')).message).toBe(
      "The value 'x1' is not a valid number.",
    );
  });

  it('reject null', () => {
    expect(errorOf(() => one(numberProp(), null)).message).toBe(
      "The value 'None' is not a valid number.",
    );
  });
});

describe('Boolean properties', () => {
  it('accept booleans', () => {
    expect(one(booleanProp(), false)).toBe(false);
  });

  it('convert the boolean words in any case', () => {
    for (const word of ['1', 't', 'True', 'on', 'Y', 'yes']) {
      expect(one(booleanProp(), word)).toBe(true);
    }
    for (const word of ['0', 'f', 'FALSE', 'off', 'n', 'No']) {
      expect(one(booleanProp(), word)).toBe(false);
    }
  });

  it('convert the numbers 1 and 0', () => {
    expect(one(booleanProp(), 1)).toBe(true);
    expect(one(booleanProp(), 0)).toBe(false);
  });

  it('reject other values with the upstream message', () => {
    expect(errorOf(() => one(booleanProp(), 'maybe')).message).toBe(
      "The value 'maybe' is not a valid Boolean",
    );
  });

  it('reject null printed as None', () => {
    expect(errorOf(() => one(booleanProp(), null)).message).toBe(
      "The value 'None' is not a valid Boolean",
    );
  });
});

describe('String properties', () => {
  it('keep strings', () => {
    expect(one(stringProp(), 'abc')).toBe('abc');
  });

  it('convert other values the way Python prints them', () => {
    expect(one(stringProp(), 12)).toBe('12');
    expect(one(stringProp(), true)).toBe('True');
    expect(one(stringProp(), { a: [1, 'x'] })).toBe("{'a': [1, 'x']}");
  });

  it('reject null with the upstream message', () => {
    expect(errorOf(() => one(stringProp(), null)).message).toBe(
      "The value 'None' is not a valid string.",
    );
  });

  it('enforce allowed values with the upstream message', () => {
    const prop = stringProp({ constraints: [allowedValues(['SOFT', 'HARD'])] });
    expect(errorOf(() => one(prop, 'Unknown')).message).toBe(
      "'Unknown' must be one of the allowed values: SOFT, HARD",
    );
  });

  it('compare allowed values after conversion', () => {
    const prop = stringProp({ constraints: [allowedValues(['1', '2'])] });
    expect(one(prop, 2)).toBe('2');
  });
});

describe('Map properties', () => {
  it('accept any keys when no schema is declared', () => {
    expect(one(mapProp(), { x: 1, y: { z: true } })).toEqual({ x: 1, y: { z: true } });
  });

  it('accept a string holding a JSON object', () => {
    expect(one(mapProp(), '{"a": 1}')).toEqual({ a: 1 });
  });

  it('reject other values with the upstream message', () => {
    expect(errorOf(() => one(mapProp(), [1])).message).toBe("'[1]' is not a Map");
    expect(errorOf(() => one(mapProp(), 'nope')).message).toBe("'nope' is not a Map");
  });

  it('resolve declared keys with their defaults and nulls', () => {
    const prop = mapProp({
      schema: { a: integerProp({ default: 3 }), b: stringProp() },
    });
    expect(one(prop, {})).toEqual({ a: 3, b: null });
  });

  it('report an unknown nested key by its bare name', () => {
    const prop = mapProp({ schema: { a: integerProp() } });
    expect(errorOf(() => one(prop, { a: 1, zzz: 2 })).message).toBe(
      "Unrecognizable spec item 'zzz'",
    );
  });

  it('report a missing nested required key', () => {
    const prop = mapProp({ schema: { subnet: stringProp({ required: true }) } });
    expect(errorOf(() => one(prop, {})).message).toBe("Required spec item 'subnet' not provided");
  });

  it('hand out its default as declared when absent, without nested defaults', () => {
    const schema = {
      hooks: mapProp({ default: {}, schema: { type: stringProp({ default: 'zaqar' }) } }),
    };
    expect(resolve(schema, {}).hooks).toEqual({});
    expect(resolve(schema, { hooks: {} }).hooks).toEqual({ type: 'zaqar' });
  });

  it('return a copy that does not share the default object', () => {
    const schema = { m: mapProp({ default: { a: 1 } }) };
    const first = resolve(schema, {}).m as Record<string, unknown>;
    first.a = 2;
    expect(resolve(schema, {}).m).toEqual({ a: 1 });
  });
});

describe('List properties', () => {
  it('resolve every item by the item schema', () => {
    expect(one(listProp(integerProp()), ['1', 2])).toEqual([1, 2]);
  });

  it('reject non-lists with the upstream message', () => {
    expect(errorOf(() => one(listProp(stringProp()), 'abc')).message).toBe("'abc' is not a List");
  });

  it('report a null item of a required string item schema', () => {
    const prop = listProp(stringProp({ required: true }));
    expect(errorOf(() => one(prop, ['a', null])).message).toBe(
      "The value 'None' is not a valid string.",
    );
  });

  it('resolve map items with their defaults', () => {
    const prop = listProp(mapProp({ schema: { w: integerProp({ default: 100 }) } }));
    expect(one(prop, [{}, { w: '5' }])).toEqual([{ w: 100 }, { w: 5 }]);
  });
});

describe('resolve', () => {
  const schema: PropertyMap = {
    first: stringProp({ required: true }),
    second: integerProp({ default: 7 }),
    third: booleanProp(),
  };

  it('returns every declared key with defaults applied and absent keys as null', () => {
    expect(resolve(schema, { first: 'x' })).toEqual({ first: 'x', second: 7, third: null });
  });

  it('reports a missing required key with the upstream message', () => {
    expect(errorOf(() => resolve(schema, {})).message).toBe(
      "Required spec item 'first' not provided",
    );
  });

  it('reports an unknown key with the upstream message', () => {
    expect(errorOf(() => resolve(schema, { first: 'x', bogus: 1 })).message).toBe(
      "Unrecognizable spec item 'bogus'",
    );
  });

  it('reports problems of declared keys before unknown keys', () => {
    expect(errorOf(() => resolve(schema, { bogus: 1 })).message).toBe(
      "Required spec item 'first' not provided",
    );
  });

  it('reports problems in declaration order', () => {
    expect(errorOf(() => resolve(schema, { first: 'x', second: 'a', third: 'b' })).message).toBe(
      "The value 'a' is not a valid Integer",
    );
  });

  it('reports bad nested values before missing nested keys of the same map', () => {
    const nested: PropertyMap = {
      m: mapProp({
        schema: { need: stringProp({ required: true }), n: integerProp() },
      }),
    };
    expect(errorOf(() => resolve(nested, { m: { n: 'x' } })).message).toBe(
      "The value 'x' is not a valid Integer",
    );
  });

  it('does not treat inherited object keys as declared', () => {
    expect(errorOf(() => resolve(schema, { first: 'x', constructor: 1 })).message).toBe(
      "Unrecognizable spec item 'constructor'",
    );
  });

  it('rejects data that is not an object', () => {
    expect(errorOf(() => resolve(schema, 5)).message).toBe("'5' is not a Map");
  });
});

describe('resolveKey', () => {
  it('resolves a single key without looking at the others', () => {
    const schema = { a: integerProp({ default: 1 }), b: integerProp() };
    expect(resolveKey(schema, { b: 'bad' }, 'a')).toBe(1);
  });

  it('rejects keys the schema does not declare', () => {
    expect(errorOf(() => resolveKey({}, {}, 'x')).message).toBe('Invalid spec item: x');
  });
});
