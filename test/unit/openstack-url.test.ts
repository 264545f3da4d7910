import { describe, expect, it } from 'vitest';
import { nextPage } from '../../src/drivers/openstack/pagination.js';
import { joinUrl, rebaseLink, withQuery } from '../../src/drivers/openstack/url.js';

describe('request URLs of the OpenStack drivers', () => {
  it('does not double a version the endpoint already names', () => {
    expect(joinUrl('http://h:9292', '/v2/images')).toBe('http://h:9292/v2/images');
    expect(joinUrl('http://h:9292/v2/', '/v2/images')).toBe('http://h:9292/v2/images');
    expect(joinUrl('http://h:8776/v3/proj', '/v3/volumes/1')).toBe(
      'http://h:8776/v3/proj/volumes/1',
    );
    expect(joinUrl('http://h:8774/v2.1', '/servers')).toBe('http://h:8774/v2.1/servers');
    expect(joinUrl('http://h:8774/v2.1', 'http://other/x')).toBe('http://other/x');
  });

  it('repeats array query parameters and leaves out empty ones', () => {
    expect(withQuery('http://h/p', { a: '1', b: null, c: undefined, f: ['x=1', 'y=2'] })).toBe(
      'http://h/p?a=1&f=x%3D1&f=y%3D2',
    );
    expect(withQuery('http://h/p?z=1', { a: true })).toBe('http://h/p?z=1&a=true');
  });

  it('puts pagination links on the catalog endpoint', () => {
    expect(rebaseLink('http://h:9292', '/v2/images?marker=m')).toBe(
      'http://h:9292/v2/images?marker=m',
    );
    expect(rebaseLink('https://api/image/v2', '/v2/images?marker=m')).toBe(
      'https://api/image/v2/images?marker=m',
    );
    expect(
      rebaseLink('https://api:443/compute/v2.1', 'http://internal:8774/v2.1/servers?marker=m'),
    ).toBe('https://api/compute/v2.1/servers?marker=m');
  });
});

describe('next pages of listings', () => {
  const current = 'http://h/v2.1/servers/detail?limit=2';

  it('follows <key>_links, links lists, Keystone links and Glance next', () => {
    const servers = [{ id: 'a' }];
    expect(
      nextPage(
        {
          servers,
          servers_links: [{ rel: 'next', href: 'http://h/v2.1/servers/detail?marker=a' }],
        },
        'servers',
        current,
        'http://h/v2.1',
        null,
      ),
    ).toBe('http://h/v2.1/servers/detail?marker=a');
    expect(
      nextPage(
        { stacks: servers, links: [{ rel: 'next', href: 'http://h/x?m=a' }] },
        'stacks',
        current,
        'http://h',
        null,
      ),
    ).toBe('http://h/x?m=a');
    expect(
      nextPage(
        { trusts: servers, links: { next: 'http://h/v3/x?page=2', self: 'x' } },
        'trusts',
        current,
        'http://h',
        null,
      ),
    ).toBe('http://h/v3/x?page=2');
    expect(
      nextPage(
        { images: servers, next: '/v2/images?marker=a' },
        'images',
        current,
        'http://g:9292',
        null,
      ),
    ).toBe('http://g:9292/v2/images?marker=a');
  });

  it('asks for the next marker only when a limited page is full', () => {
    const full = { servers: [{ id: 'a' }, { id: 'b' }] };
    expect(nextPage(full, 'servers', current, 'http://h', 2)).toBe(
      'http://h/v2.1/servers/detail?limit=2&marker=b',
    );
    expect(nextPage({ servers: [{ id: 'a' }] }, 'servers', current, 'http://h', 2)).toBeNull();
    expect(nextPage(full, 'servers', current, 'http://h', null)).toBeNull();
    expect(nextPage({ servers: [] }, 'servers', current, 'http://h', 2)).toBeNull();
  });
});
