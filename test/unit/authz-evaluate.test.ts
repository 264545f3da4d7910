import { describe, expect, it } from 'vitest';
import { parseCheckString } from '../../src/api/policy/check-parser.js';
import type { Check } from '../../src/api/policy/checks.js';
import { evaluate, pythonString, substitute } from '../../src/api/policy/evaluate.js';

const noRules = (): Check | undefined => undefined;

function passes(
  text: string,
  creds: Record<string, unknown>,
  target: Record<string, unknown> = {},
  rules: Record<string, string> = {},
): boolean {
  const lookup = (name: string): Check | undefined =>
    rules[name] === undefined ? undefined : parseCheckString(rules[name]);
  return evaluate(parseCheckString(text), creds, target, lookup);
}

describe('policy check evaluation', () => {
  it('passes always and fails never for anyone', () => {
    expect(evaluate({ kind: 'always' }, {}, {}, noRules)).toBe(true);
    expect(evaluate({ kind: 'never' }, { roles: ['admin'] }, {}, noRules)).toBe(false);
  });

  it('compares role names without regard to case', () => {
    expect(passes('role:Admin', { roles: ['ADMIN'] })).toBe(true);
    expect(passes('role:admin', { roles: ['member'] })).toBe(false);
  });

  it('fails a role check when the credentials have no roles', () => {
    expect(passes('role:admin', {})).toBe(false);
  });

  it('substitutes target values into role checks', () => {
    expect(passes('role:%(needed)s', { roles: ['reader'] }, { needed: 'reader' })).toBe(true);
    expect(passes('role:%(needed)s', { roles: ['reader'] }, {})).toBe(false);
  });

  it('matches a credential against a target attribute', () => {
    const check = 'project_id:%(project_id)s';
    expect(passes(check, { project_id: 'p1' }, { project_id: 'p1' })).toBe(true);
    expect(passes(check, { project_id: 'p1' }, { project_id: 'p2' })).toBe(false);
  });

  it('fails when the target lacks the substituted attribute', () => {
    expect(passes('user_id:%(user_id)s', { user_id: 'u1' }, { project_id: 'p1' })).toBe(false);
  });

  it('fails when the credentials lack the attribute', () => {
    expect(passes('user_id:%(user_id)s', {}, { user_id: 'u1' })).toBe(false);
  });

  it('compares booleans the way Python prints them', () => {
    expect(passes('is_admin:True', { is_admin: true })).toBe(true);
    expect(passes('is_admin:True', { is_admin: false })).toBe(false);
    expect(passes('is_admin:False', { is_admin: false })).toBe(true);
    expect(passes('is_admin:true', { is_admin: true })).toBe(false);
  });

  it('compares a credential with a literal value', () => {
    expect(passes('domain_id:default', { domain_id: 'default' })).toBe(true);
    expect(passes('domain_id:default', { domain_id: 'other' })).toBe(false);
  });

  it('treats a quoted left side as a literal compared with the match', () => {
    expect(passes("'p1':%(project_id)s", {}, { project_id: 'p1' })).toBe(true);
    expect(passes("'p1':%(project_id)s", {}, { project_id: 'p2' })).toBe(false);
    expect(passes('True:%(enabled)s', {}, { enabled: true })).toBe(true);
  });

  it('matches any item of a list credential in a generic check', () => {
    expect(passes('roles:member', { roles: ['reader', 'member'] })).toBe(true);
    expect(passes('roles:Member', { roles: ['member'] })).toBe(false);
  });

  it('follows dotted paths into nested credentials', () => {
    expect(passes('token.project.id:p1', { token: { project: { id: 'p1' } } })).toBe(true);
    expect(passes('token.project.id:p1', { token: { project: {} } })).toBe(false);
  });

  it('negates with not', () => {
    expect(passes('not role:admin', { roles: ['member'] })).toBe(true);
    expect(passes('not role:admin', { roles: ['admin'] })).toBe(false);
  });

  it('combines with and, or and parentheses', () => {
    const check = '(role:a or role:b) and not role:c';
    expect(passes(check, { roles: ['b'] })).toBe(true);
    expect(passes(check, { roles: ['b', 'c'] })).toBe(false);
    expect(passes(check, { roles: ['d'] })).toBe(false);
  });

  it('evaluates or before and only where parentheses say so', () => {
    // role:a or (role:b and role:c)
    expect(passes('role:a or role:b and role:c', { roles: ['a'] })).toBe(true);
    // (role:a or role:b) and role:c
    expect(passes('(role:a or role:b) and role:c', { roles: ['a'] })).toBe(false);
  });

  it('follows rule references', () => {
    const rules = { owner: 'user_id:%(user_id)s', admin: 'role:admin' };
    const check = 'rule:admin or rule:owner';
    expect(passes(check, { user_id: 'u1', roles: [] }, { user_id: 'u1' }, rules)).toBe(true);
    expect(passes(check, { user_id: 'u2', roles: [] }, { user_id: 'u1' }, rules)).toBe(false);
  });

  it('fails a reference to a rule that does not exist', () => {
    expect(passes('rule:missing', { roles: ['admin'] })).toBe(false);
  });

  it('fails a rule that refers to itself instead of looping', () => {
    const rules = { a: 'rule:b', b: 'rule:a or role:x' };
    expect(passes('rule:a', { roles: [] }, {}, rules)).toBe(false);
    expect(passes('rule:a', { roles: ['x'] }, {}, rules)).toBe(true);
  });
});

describe('target substitution', () => {
  it('replaces names and %% and prints None for null', () => {
    expect(substitute('%(a)s-%(b)s %%', { a: 'x', b: null })).toBe('x-None %');
  });

  it('reads dotted names from nested targets', () => {
    expect(substitute('%(cluster.project)s', { cluster: { project: 'p' } })).toBe('p');
  });

  it('gives null when a name is missing', () => {
    expect(substitute('%(a)s', {})).toBeNull();
  });

  it('prints values as Python does', () => {
    expect([true, false, null, 3, 'x'].map(pythonString)).toEqual([
      'True',
      'False',
      'None',
      '3',
      'x',
    ]);
  });
});
