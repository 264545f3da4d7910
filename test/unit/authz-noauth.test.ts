import { describe, expect, it } from 'vitest';
import { NoAuthAuthenticator } from '../../src/api/auth/noauth.js';

const auth = new NoAuthAuthenticator();
const identify = (headers: Record<string, string | string[]>) => auth.authenticate({ headers });

describe('noauth authentication', () => {
  it('takes a request without identity headers for the admin user of project admin', async () => {
    const identity = await identify({});
    expect(identity).toMatchObject({
      userId: 'admin',
      userName: 'admin',
      projectId: 'admin',
      projectName: 'admin',
      roles: ['admin'],
      authToken: null,
      trustId: null,
      domainId: null,
    });
  });

  it('maps every identity header', async () => {
    const identity = await identify({
      'x-user-id': 'u1',
      'x-user-name': 'alice',
      'x-project-id': 'p1',
      'x-project-name': 'demo',
      'x-domain-id': 'd0',
      'x-user-domain-id': 'd1',
      'x-user-domain-name': 'Users',
      'x-project-domain-id': 'd2',
      'x-project-domain-name': 'Projects',
      'x-roles': 'member, reader',
      'x-auth-token': 'tok',
      'x-trust-id': 't1',
    });
    expect(identity).toEqual({
      userId: 'u1',
      userName: 'alice',
      projectId: 'p1',
      projectName: 'demo',
      domainId: 'd0',
      userDomainId: 'd1',
      userDomainName: 'Users',
      projectDomainId: 'd2',
      projectDomainName: 'Projects',
      roles: ['member', 'reader'],
      authToken: 'tok',
      trustId: 't1',
    });
  });

  it('accepts X-Tenant-Id and X-Tenant-Name for the project', async () => {
    const identity = await identify({ 'x-tenant-id': 'p7', 'x-tenant-name': 'seven' });
    expect(identity.projectId).toBe('p7');
    expect(identity.projectName).toBe('seven');
  });

  it('prefers X-Project-Id over X-Tenant-Id', async () => {
    const identity = await identify({ 'x-project-id': 'p1', 'x-tenant-id': 'p7' });
    expect(identity.projectId).toBe('p1');
  });

  it('does not invent names for ids that were given', async () => {
    const identity = await identify({ 'x-user-id': 'u1', 'x-project-id': 'p1' });
    expect(identity.userName).toBeNull();
    expect(identity.projectName).toBeNull();
  });

  it('keeps the admin role when roles are not given', async () => {
    const identity = await identify({ 'x-user-id': 'u1', 'x-project-id': 'p1' });
    expect(identity.roles).toEqual(['admin']);
  });

  it('reads an empty X-Roles header as no roles', async () => {
    expect((await identify({ 'x-roles': '' })).roles).toEqual([]);
  });

  it('drops empty items and spaces from X-Roles', async () => {
    expect((await identify({ 'x-roles': ' member ,, reader,' })).roles).toEqual([
      'member',
      'reader',
    ]);
  });

  it('uses the first value of a repeated header', async () => {
    expect((await identify({ 'x-user-id': ['u1', 'u2'] })).userId).toBe('u1');
  });

  it('returns a fresh roles list each time', async () => {
    const first = await identify({});
    first.roles.push('extra');
    expect((await identify({})).roles).toEqual(['admin']);
  });
});
