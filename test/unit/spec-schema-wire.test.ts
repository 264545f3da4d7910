import { describe, expect, it } from 'vitest';
import {
  allowedValues,
  booleanProp,
  integerParam,
  listProp,
  mapProp,
  operation,
  operationsToWire,
  propertyToWire,
  stringParam,
  stringProp,
  supportStatusOf,
  supportStatusToWire,
  toWire,
} from '../../src/common/spec-schema/index.js';

describe('toWire', () => {
  it('shows a scalar with its default, required and updatable flags', () => {
    expect(propertyToWire(booleanProp({ description: 'd', default: false }))).toEqual({
      type: 'Boolean',
      description: 'd',
      default: false,
      required: false,
      updatable: false,
    });
  });

  it('leaves out the default and the description when there are none', () => {
    expect(propertyToWire(stringProp({ required: true, updatable: true }))).toEqual({
      type: 'String',
      required: true,
      updatable: true,
    });
  });

  it('shows constraints in the AllowedValues form', () => {
    const wire = propertyToWire(stringProp({ constraints: [allowedValues(['a', 'b'])] }));
    expect(wire.constraints).toEqual([{ type: 'AllowedValues', constraint: ['a', 'b'] }]);
  });

  it('nests map keys under schema', () => {
    const wire = toWire({ m: mapProp({ schema: { k: stringProp() } }) });
    expect(wire.m?.schema).toEqual({ k: { type: 'String', required: false, updatable: false } });
  });

  it('shows a list item schema under the key *', () => {
    const wire = propertyToWire(listProp(stringProp({ required: true })));
    expect(wire.schema).toEqual({ '*': { type: 'String', required: true, updatable: false } });
  });

  it('leaves out schema for a map without declared keys', () => {
    expect(propertyToWire(mapProp())).not.toHaveProperty('schema');
  });
});

describe('operationsToWire', () => {
  it('shows operations with parameters that carry no updatable flag', () => {
    const ops = {
      restart: operation('Restart.', { wait_time: integerParam({ description: 'w' }) }),
      reboot: operation('Reboot.', {
        type: stringParam({ default: 'SOFT', constraints: [allowedValues(['SOFT'])] }),
      }),
    };
    expect(operationsToWire(ops)).toEqual({
      restart: {
        description: 'Restart.',
        parameters: { wait_time: { type: 'Integer', description: 'w', required: false } },
      },
      reboot: {
        description: 'Reboot.',
        parameters: {
          type: {
            type: 'String',
            default: 'SOFT',
            required: false,
            constraints: [{ type: 'AllowedValues', constraint: ['SOFT'] }],
          },
        },
      },
    });
  });

  it('shows an operation declared as a property schema as that schema', () => {
    expect(operationsToWire({ abandon: mapProp({ description: 'a' }) })).toEqual({
      abandon: { type: 'Map', description: 'a', required: false, updatable: false },
    });
  });
});

describe('support status helpers', () => {
  const map = {
    '1.0': [{ status: 'SUPPORTED' as const, since: '2016.04' }],
    '1.1': [{ status: 'SUPPORTED' as const, since: '2018.01' }],
  };

  it('select the entry of one version for list entries', () => {
    expect(supportStatusOf(map, '1.1')).toEqual({ '1.1': map['1.1'] });
  });

  it('give an empty map for an unknown version', () => {
    expect(supportStatusOf(map, '9.9')).toEqual({});
  });

  it('copy the full map for show bodies', () => {
    const wire = supportStatusToWire(map);
    expect(wire).toEqual(map);
    expect(wire['1.0']).not.toBe(map['1.0']);
  });
});
