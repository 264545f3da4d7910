import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyEnforcer } from '../../src/api/policy/enforcer.js';
import { PolicyFileError } from '../../src/api/policy/policy-file.js';
import { RequestContext } from '../../src/common/context.js';

const member = new RequestContext({ userId: 'u1', projectId: 'p1', roles: ['member'] });
const admin = new RequestContext({ userId: 'a1', projectId: 'p9', roles: ['admin'] });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'senlin-policy-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function load(policyFile: string | null, policyDirs: string[] = []): PolicyEnforcer {
  return PolicyEnforcer.load({ policyFile, policyDirs, configDir: dir, defaultRule: 'default' });
}

describe('policy files', () => {
  it('replace default rules with the rules of a YAML file', () => {
    writeFileSync(join(dir, 'policy.yaml'), '"clusters:delete": "role:admin"\n');
    const enforcer = load('policy.yaml');
    expect(enforcer.rules()['clusters:delete']).toBe('role:admin');
    expect(enforcer.enforce('clusters:delete', member)).toBe(false);
    expect(enforcer.enforce('clusters:delete', admin)).toBe(true);
  });

  it('keep the defaults of rules the file does not mention', () => {
    writeFileSync(join(dir, 'policy.yaml'), '"clusters:delete": "role:admin"\n');
    const enforcer = load('policy.yaml');
    expect(enforcer.rules()['clusters:get']).toBe('');
    expect(enforcer.rules()['services:index']).toBe('role:admin');
  });

  it('may be JSON', () => {
    writeFileSync(
      join(dir, 'policy.json'),
      JSON.stringify({ 'services:index': '', 'nodes:create': 'rule:deny_everybody' }),
    );
    const enforcer = load('policy.json');
    expect(enforcer.enforce('services:index', member)).toBe(true);
    expect(enforcer.enforce('nodes:create', admin)).toBe(false);
  });

  it('may use the list form of rules', () => {
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ 'nodes:create': [['role:admin']] }));
    const enforcer = load('policy.json');
    expect(enforcer.enforce('nodes:create', admin)).toBe(true);
    expect(enforcer.enforce('nodes:create', member)).toBe(false);
  });

  it('may be given by absolute path', () => {
    const path = join(dir, 'elsewhere.yaml');
    writeFileSync(path, 'clusters:index: "!"\n');
    const enforcer = PolicyEnforcer.load({
      policyFile: path,
      policyDirs: [],
      configDir: '/nonexistent',
      defaultRule: 'default',
    });
    expect(enforcer.enforce('clusters:index', admin)).toBe(false);
  });

  it('are optional: a missing file leaves the defaults', () => {
    const enforcer = load('policy.yaml', ['policy.d']);
    expect(enforcer.rules()).toEqual(PolicyEnforcer.fromRules().rules());
    expect(enforcer.sources()).toEqual([]);
  });

  it('may define the default rule for unknown names', () => {
    writeFileSync(join(dir, 'policy.yaml'), 'default: "role:admin"\n');
    const enforcer = load('policy.yaml');
    expect(enforcer.enforce('actions:create', admin)).toBe(true);
  });

  it('are followed by the files of policy directories in name order', () => {
    writeFileSync(
      join(dir, 'policy.yaml'),
      '"clusters:index": "role:a"\n"clusters:get": "role:a"\n',
    );
    mkdirSync(join(dir, 'policy.d'));
    writeFileSync(join(dir, 'policy.d', '20-b.yaml'), '"clusters:index": "role:c"\n');
    writeFileSync(join(dir, 'policy.d', '10-a.yaml'), '"clusters:index": "role:b"\n');
    const enforcer = load('policy.yaml', ['policy.d']);
    expect(enforcer.rules()['clusters:index']).toBe('role:c');
    expect(enforcer.rules()['clusters:get']).toBe('role:a');
    expect(enforcer.sources().map((s) => s.slice(dir.length + 1))).toEqual([
      'policy.yaml',
      'policy.d/10-a.yaml',
      'policy.d/20-b.yaml',
    ]);
  });

  it('with no content change nothing', () => {
    writeFileSync(join(dir, 'policy.yaml'), '# nothing here\n');
    expect(load('policy.yaml').rules()).toEqual(PolicyEnforcer.fromRules().rules());
  });

  it('that are not mappings are refused', () => {
    writeFileSync(join(dir, 'policy.yaml'), '- role:admin\n');
    expect(() => load('policy.yaml')).toThrow(PolicyFileError);
  });

  it('with rules that are not strings are refused', () => {
    writeFileSync(join(dir, 'policy.yaml'), '"clusters:index": 3\n');
    expect(() => load('policy.yaml')).toThrow(/must be a string/);
  });

  it('that cannot be parsed are refused', () => {
    writeFileSync(join(dir, 'policy.yaml'), '"clusters:index": [unclosed\n');
    expect(() => load('policy.yaml')).toThrow(PolicyFileError);
  });
});
