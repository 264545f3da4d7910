import { describe, expect, it } from 'vitest';
import {
  PolicySyntaxError,
  parseCheckList,
  parseCheckString,
} from '../../src/api/policy/check-parser.js';
import { checkToString } from '../../src/api/policy/checks.js';

const parsed = (text: string): string => checkToString(parseCheckString(text));

describe('policy check string parser', () => {
  it('reads the empty string as always', () => {
    expect(parseCheckString('')).toEqual({ kind: 'always' });
  });

  it('reads @ as always and ! as never', () => {
    expect(parseCheckString('@')).toEqual({ kind: 'always' });
    expect(parseCheckString('!')).toEqual({ kind: 'never' });
  });

  it('reads role and rule checks', () => {
    expect(parseCheckString('role:admin')).toEqual({ kind: 'role', match: 'admin' });
    expect(parseCheckString('rule:context_is_admin')).toEqual({
      kind: 'rule',
      match: 'context_is_admin',
    });
  });

  it('reads other kinds as generic checks and keeps colons in the match', () => {
    expect(parseCheckString('project_id:%(project_id)s')).toEqual({
      kind: 'generic',
      attr: 'project_id',
      match: '%(project_id)s',
    });
    expect(parseCheckString('url:http://x')).toEqual({
      kind: 'generic',
      attr: 'url',
      match: 'http://x',
    });
  });

  it('binds and tighter than or', () => {
    expect(parsed('role:a or role:b and role:c')).toBe('(role:a or (role:b and role:c))');
    expect(parsed('role:a and role:b or role:c')).toBe('((role:a and role:b) or role:c)');
  });

  it('binds not tighter than and', () => {
    expect(parsed('not role:a and role:b')).toBe('(not role:a and role:b)');
  });

  it('lets parentheses override precedence', () => {
    expect(parsed('(role:a or role:b) and role:c')).toBe('((role:a or role:b) and role:c)');
  });

  it('accepts parentheses stuck to checks and nested several deep', () => {
    expect(parsed('((role:a or (role:b)))')).toBe('(role:a or role:b)');
  });

  it('accepts keywords in any case', () => {
    expect(parsed('NOT role:a AND role:b Or role:c')).toBe('((not role:a and role:b) or role:c)');
  });

  it('accepts not applied twice', () => {
    expect(parsed('not not role:a')).toBe('not not role:a');
  });

  it('turns an atom without a kind into a check that never passes', () => {
    const warnings: string[] = [];
    expect(parseCheckString('admin', (w) => warnings.push(w))).toEqual({ kind: 'never' });
    expect(warnings[0]).toMatch(/no kind/);
  });

  it('turns remote http checks into checks that never pass', () => {
    expect(parseCheckString('http://policy.example/check')).toEqual({ kind: 'never' });
  });

  it.each([
    'role:a and',
    'or role:a',
    '(role:a',
    'role:a)',
    'role:a role:b',
    'not',
    '   ',
    "'quoted'",
  ])('rejects the malformed check string %j', (text) => {
    expect(() => parseCheckString(text)).toThrow(PolicySyntaxError);
  });

  it('reads the list form as an or of ands', () => {
    const check = parseCheckList([['role:a', 'role:b'], ['role:c']]);
    expect(checkToString(check)).toBe('((role:a and role:b) or role:c)');
  });

  it('reads an empty list as always and a list of empty lists as never', () => {
    expect(parseCheckList([])).toEqual({ kind: 'always' });
    expect(parseCheckList([[]])).toEqual({ kind: 'never' });
  });
});
