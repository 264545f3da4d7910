import { describe, expect, it } from 'vitest';
import { canUpdate, randomName, sameValue } from '../../src/profiles/behaviour-support.js';
import {
  builtinProfileTypes,
  dockerBehaviour,
  heatStackBehaviour,
  novaServerBehaviour,
  novaServerSchema,
  profileBehaviours,
} from '../../src/profiles/index.js';
import { novaProfile } from './profile-behaviour-context.js';

describe('profile behaviour registry', () => {
  it('has behaviour for every built-in profile type', () => {
    expect(profileBehaviours.typeNames()).toEqual(
      builtinProfileTypes.map((t) => t.typeName).sort(),
    );
  });

  it('returns the behaviour of each type by type name', () => {
    expect(profileBehaviours.get('os.nova.server-1.0')).toBe(novaServerBehaviour);
    expect(profileBehaviours.get('os.heat.stack-1.0')).toBe(heatStackBehaviour);
    expect(profileBehaviours.get('container.dockerinc.docker-1.0')).toBe(dockerBehaviour);
  });

  it('returns undefined for an unknown type', () => {
    expect(profileBehaviours.get('os.nova.server-9.9')).toBeUndefined();
  });
});

describe('profile behaviour helpers', () => {
  it('compares JSON values by structure, with null and undefined alike', () => {
    expect(sameValue({ a: [1, { b: null }] }, { a: [1, {}] })).toBe(true);
    expect(sameValue({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameValue('1', 1)).toBe(false);
  });

  it('allows an update only when every changed property is updatable', () => {
    const current = novaProfile();
    expect(canUpdate(novaServerSchema, current, novaProfile({ flavor: 'm1.small' }))).toBe(true);
    expect(canUpdate(novaServerSchema, current, novaProfile({ key_name: 'k' }))).toBe(false);
    expect(canUpdate(novaServerSchema, current, novaProfile({ key_name: 'k' }), ['key_name'])).toBe(
      true,
    );
  });

  it('makes random names of a letter and letters or digits', () => {
    const names = new Set(Array.from({ length: 20 }, () => randomName(8)));
    for (const name of names) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9]{7}$/);
    expect(names.size).toBeGreaterThan(1);
  });
});
