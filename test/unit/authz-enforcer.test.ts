import { describe, expect, it } from 'vitest';
import { PolicyEnforcer } from '../../src/api/policy/enforcer.js';
import { RequestContext } from '../../src/common/context.js';
import { Forbidden } from '../../src/common/errors.js';

const member = new RequestContext({ userId: 'u1', projectId: 'p1', roles: ['member'] });
const admin = new RequestContext({
  userId: 'a1',
  projectId: 'p9',
  roles: ['admin'],
  isAdmin: true,
});
const nobody = new RequestContext({ userId: 'u2', projectId: 'p2', roles: [] });

const scopes: Record<string, string[]> = {
  build_info: ['build_info'],
  profile_types: ['index', 'get', 'ops'],
  profiles: ['index', 'create', 'get', 'update', 'delete', 'validate'],
  policy_types: ['index', 'get'],
  policies: ['index', 'create', 'get', 'update', 'delete', 'validate'],
  clusters: ['index', 'create', 'get', 'update', 'delete', 'action', 'collect', 'operation'],
  cluster_policies: ['index', 'get', 'attach', 'detach', 'update'],
  nodes: [
    'index',
    'create',
    'adopt',
    'adopt_preview',
    'get',
    'action',
    'update',
    'delete',
    'operation',
  ],
  receivers: ['index', 'create', 'get', 'update', 'delete', 'notify'],
  webhooks: ['trigger'],
  actions: ['index', 'get', 'update'],
  events: ['index', 'get'],
  services: ['index'],
};

const expectedDefaults: Record<string, string> = {
  context_is_admin: 'role:admin',
  deny_everybody: '!',
};
for (const [scope, ops] of Object.entries(scopes)) {
  for (const op of ops) expectedDefaults[`${scope}:${op}`] = '';
}
expectedDefaults['services:index'] = 'role:admin';

describe('default policy rules', () => {
  const enforcer = PolicyEnforcer.fromRules();

  it('are exactly the rules upstream registers', () => {
    expect(enforcer.rules()).toEqual(expectedDefaults);
  });

  it('let any caller use the resource rules', () => {
    for (const name of Object.keys(expectedDefaults)) {
      if (['context_is_admin', 'deny_everybody', 'services:index'].includes(name)) continue;
      expect(enforcer.enforce(name, nobody), name).toBe(true);
    }
  });

  it('keep the service list for administrators', () => {
    expect(enforcer.enforce('services:index', admin)).toBe(true);
    expect(enforcer.enforce('services:index', member)).toBe(false);
  });

  it('deny everybody with deny_everybody', () => {
    expect(enforcer.enforce('deny_everybody', admin)).toBe(false);
  });

  it('deny actions:create because it is not registered', () => {
    expect(enforcer.enforce('actions:create', admin)).toBe(false);
    expect(enforcer.enforce('actions:create', member)).toBe(false);
  });

  it('count the admin role, in any case, as administrator', () => {
    expect(enforcer.isAdmin({ roles: ['member', 'Admin'] })).toBe(true);
    expect(enforcer.isAdmin({ roles: ['member'] })).toBe(false);
    expect(enforcer.isAdmin({ roles: [] })).toBe(false);
  });
});

describe('policy enforcer', () => {
  it('checks the caller against its own project and user when no target is given', () => {
    const enforcer = PolicyEnforcer.fromRules({
      'clusters:get': 'project_id:%(project_id)s and user_id:%(user_id)s',
    });
    expect(enforcer.enforce('clusters:get', member)).toBe(true);
  });

  it('checks the caller against the target it is given', () => {
    const enforcer = PolicyEnforcer.fromRules({ 'clusters:get': 'project_id:%(project_id)s' });
    expect(enforcer.enforce('clusters:get', member, { project_id: 'p1' })).toBe(true);
    expect(enforcer.enforce('clusters:get', member, { project_id: 'p2' })).toBe(false);
  });

  it('sees is_admin of the context', () => {
    const enforcer = PolicyEnforcer.fromRules({ 'clusters:index': 'is_admin:True' });
    expect(enforcer.enforce('clusters:index', admin)).toBe(true);
    expect(enforcer.enforce('clusters:index', member)).toBe(false);
  });

  it('sees the domain of the context', () => {
    const enforcer = PolicyEnforcer.fromRules({ 'clusters:index': 'domain_id:d1' });
    const inDomain = new RequestContext({ domainId: 'd1', roles: [] });
    expect(enforcer.enforce('clusters:index', inDomain)).toBe(true);
    expect(enforcer.enforce('clusters:index', member)).toBe(false);
  });

  it('uses the default rule for unknown names when the default rule is defined', () => {
    const enforcer = PolicyEnforcer.fromRules({ default: 'role:admin' });
    expect(enforcer.enforce('actions:create', admin)).toBe(true);
    expect(enforcer.enforce('actions:create', member)).toBe(false);
  });

  it('uses the default rule for rule: references to unknown names', () => {
    const enforcer = PolicyEnforcer.fromRules({
      default: 'role:member',
      'clusters:index': 'rule:nowhere',
    });
    expect(enforcer.enforce('clusters:index', member)).toBe(true);
    expect(enforcer.enforce('clusters:index', nobody)).toBe(false);
  });

  it('honours a configured default rule name', () => {
    const enforcer = PolicyEnforcer.fromRules({}, 'context_is_admin');
    expect(enforcer.enforce('actions:create', admin)).toBe(true);
    expect(enforcer.enforce('actions:create', member)).toBe(false);
  });

  it('denies unknown names when the default rule names a missing rule', () => {
    const enforcer = PolicyEnforcer.fromRules({}, 'no_such_rule');
    expect(enforcer.enforce('anything:at_all', admin)).toBe(false);
  });

  it('turns an override that cannot be parsed into a denial with a warning', () => {
    const enforcer = PolicyEnforcer.fromRules({ 'clusters:index': 'role:admin or' });
    expect(enforcer.enforce('clusters:index', admin)).toBe(false);
    expect(enforcer.warnings().join('\n')).toMatch(/clusters:index/);
  });

  it('lets an override point at context_is_admin', () => {
    const enforcer = PolicyEnforcer.fromRules({ 'clusters:delete': 'rule:context_is_admin' });
    expect(enforcer.enforce('clusters:delete', admin)).toBe(true);
    expect(enforcer.enforce('clusters:delete', member)).toBe(false);
  });

  it('throws Forbidden from authorize on denial', () => {
    const enforcer = PolicyEnforcer.fromRules();
    expect(() => enforcer.authorize('services:index', member)).toThrow(Forbidden);
    expect(() => enforcer.authorize('services:index', admin)).not.toThrow();
  });

  it('follows a changed context_is_admin in isAdmin', () => {
    const enforcer = PolicyEnforcer.fromRules({ context_is_admin: 'role:cloud-admin' });
    expect(enforcer.isAdmin({ roles: ['admin'] })).toBe(false);
    expect(enforcer.isAdmin({ roles: ['cloud-admin'] })).toBe(true);
  });
});
