import { describe, expect, it } from 'vitest';
import { errorMessage, startApi } from './harness.js';

const api = await startApi();

describe('version documents', () => {
  it('answers GET / with 300 and exactly one version entry', async () => {
    const res = await api.call('GET', '/', { version: null });
    expect(res.statusCode).toBe(300);
    expect(res.data.versions).toHaveLength(1);
    const v = res.data.versions[0];
    expect(v).toMatchObject({
      id: '1.0',
      status: 'CURRENT',
      min_version: '1.0',
      max_version: '1.15',
    });
    for (const key of [
      'id',
      'links',
      'max_version',
      'media-types',
      'min_version',
      'status',
      'updated',
    ]) {
      expect(v).toHaveProperty(key);
    }
    expect(v.links[0]).toEqual({ href: 'http://localhost:80/v1', rel: 'self' });
    expect(res.headers['openstack-api-version']).toBeUndefined();
  });

  it('answers GET /versions like GET /', async () => {
    const res = await api.call('GET', '/versions', { version: null });
    expect(res.statusCode).toBe(300);
    expect(res.data.versions[0].id).toBe('1.0');
  });

  it('answers GET /v1 without authentication and without microversion headers', async () => {
    const res = await api.call('GET', '/v1', { version: null, as: {} });
    expect(res.statusCode).toBe(200);
    expect(res.data.version.id).toBe('1.0');
    expect(res.headers['openstack-api-version']).toBeUndefined();
  });

  it('answers GET /v1/ through the v1 router with microversion headers', async () => {
    const res = await api.call('GET', '/v1/', { version: null });
    expect(res.statusCode).toBe(200);
    expect(res.data.version).toMatchObject({ id: '1.0', status: 'CURRENT' });
    expect(res.headers['openstack-api-version']).toBe('clustering 1.0');
    expect(res.headers.vary).toBe('OpenStack-API-Version');
  });

  it('answers an unknown version prefix with 404 for JSON clients', async () => {
    const res = await api.call('GET', '/vx', { version: null });
    expect(res.statusCode).toBe(404);
    expect(res.data).toEqual({
      message: 'The resource could not be found.<br /><br />\n\n\n',
      code: '404 Not Found',
      title: 'Not Found',
    });
  });

  it('answers an unknown version prefix with the versions document for */* clients', async () => {
    const res = await api.call('GET', '/v2/clusters', {
      version: null,
      headers: { accept: '*/*' },
    });
    expect(res.statusCode).toBe(300);
    expect(res.data.versions[0].id).toBe('1.0');
  });

  it('serves /v1.0/ paths like /v1/', async () => {
    const res = await api.call('GET', '/v1.0/build-info');
    expect(res.statusCode).toBe(200);
    expect(res.data.build_info).toBeDefined();
  });

  it('serves unprefixed paths when the media type names the version', async () => {
    const res = await api.call('GET', '/build-info', {
      headers: { accept: 'application/vnd.openstack.clustering-v1+json' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.data.build_info.api.revision).toBe('1.0');
  });
});

describe('microversion negotiation', () => {
  it('defaults to 1.0 when the client sends no version', async () => {
    const res = await api.call('GET', '/v1/build-info', { version: null });
    expect(res.headers['openstack-api-version']).toBe('clustering 1.0');
  });

  it('maps latest in any case to the maximum', async () => {
    const res = await api.call('GET', '/v1/build-info', { version: 'LaTeSt' });
    expect(res.headers['openstack-api-version']).toBe('clustering 1.15');
  });

  it('takes the last clustering entry of a comma-separated header', async () => {
    const res = await api.call('GET', '/v1/build-info', {
      version: null,
      headers: { 'openstack-api-version': 'clustering 1.3, compute 2.1, CLUSTERING 1.7' },
    });
    expect(res.headers['openstack-api-version']).toBe('clustering 1.7');
  });

  it('rejects a malformed version with a 400 in webob format', async () => {
    const res = await api.call('GET', '/v1/build-info', { version: '1.a' });
    expect(res.statusCode).toBe(400);
    expect(res.data).toEqual({
      message:
        "The server could not comply with the request since it is either malformed or otherwise incorrect.<br /><br />\nAPI Version String '1.a' is of invalid format. It must be of format 'major.minor'.\n\n",
      code: '400 Bad Request',
      title: 'Bad Request',
    });
  });

  it('rejects a version out of range with 406 InvalidGlobalAPIVersion', async () => {
    const res = await api.call('GET', '/v1/build-info', { version: '1.16' });
    expect(res.statusCode).toBe(406);
    expect(res.data.error).toEqual({
      code: 406,
      type: 'InvalidGlobalAPIVersion',
      message:
        "Version '1.16' is not supported by the API. Minimum is '1.0' and maximum is '1.15'.",
    });
    expect(res.data.title).toBe('Not Acceptable');
  });

  it('checks the version before authentication', async () => {
    const res = await api.call('GET', '/v1/build-info', { version: '2.0', as: {} });
    expect(res.statusCode).toBe(406);
  });

  it('answers a method newer than the requested version with MethodVersionNotFound', async () => {
    const res = await api.call('GET', '/v1/profile-types/os.nova.server-1.0/ops', {
      version: '1.3',
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('MethodVersionNotFound');
    expect(errorMessage(res)).toBe("API version '1.3' is not supported on this method.");
    expect(res.headers['openstack-api-version']).toBeUndefined();
  });
});

describe('request ids and routing', () => {
  it('puts a fresh request id on every response, errors included', async () => {
    const ok = await api.call('GET', '/v1/build-info');
    const notFound = await api.call('GET', '/v1/nothing-here');
    const versions = await api.call('GET', '/');
    const inbound = 'req-11111111-2222-3333-4444-555555555555';
    const echoed = await api.call('GET', '/v1/build-info', {
      headers: { 'x-openstack-request-id': inbound },
    });
    for (const res of [ok, notFound, versions, echoed]) {
      expect(res.headers['x-openstack-request-id']).toMatch(/^req-[0-9a-f-]{36}$/);
    }
    expect(echoed.headers['x-openstack-request-id']).not.toBe(inbound);
    expect(ok.headers['x-openstack-request-id']).not.toBe(echoed.headers['x-openstack-request-id']);
  });

  it('answers unknown routes and methods with 404, never 405', async () => {
    expect((await api.call('GET', '/v1/bogus')).statusCode).toBe(404);
    expect((await api.call('PUT', '/v1/profiles')).statusCode).toBe(404);
    expect((await api.call('DELETE', '/v1/build-info')).statusCode).toBe(404);
  });
});

describe('request bodies', () => {
  it('answers invalid JSON with a Python-style decoder message', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      raw: '{bad',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('HTTPBadRequest');
    expect(errorMessage(res)).toBe(
      'Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
    );
  });

  it('ignores bodies that do not start with a brace', async () => {
    for (const raw of [' {"profile": {}}', '[1, 2]']) {
      const res = await api.call('POST', '/v1/profiles', {
        raw,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(errorMessage(res)).toBe(
        'The server could not comply with the request since it is either malformed or otherwise incorrect.',
      );
    }
  });

  it('ignores bodies of other content types', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      raw: '{"profile": {}}',
      headers: { 'content-type': 'application/xml' },
    });
    expect(res.statusCode).toBe(400);
    expect(errorMessage(res)).toMatch(/could not comply/);
  });

  it('parses JSON sent as text/plain or without a content type', async () => {
    const res = await api.call('POST', '/v1/profiles', {
      raw: '{"profile": {"name": "p"}}',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(errorMessage(res)).toBe("'spec' is a required property");
  });

  it('refuses a body above max_json_body_size with RequestLimitExceeded', async () => {
    const small = await startApi({ config: { senlin_api: { max_json_body_size: 100 } } });
    const raw = JSON.stringify({ profile: { name: 'x'.repeat(200) } });
    const res = await small.call('POST', '/v1/profiles', {
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.data.error.type).toBe('RequestLimitExceeded');
    expect(errorMessage(res)).toBe(
      `Request limit exceeded: JSON body size (${raw.length} bytes) exceeds maximum allowed size (100 bytes).`,
    );
  });
});

describe('build info', () => {
  it('reports the configured revisions', async () => {
    const custom = await startApi({
      config: { revision: { senlin_api_revision: '2.5', senlin_engine_revision: '3.1' } },
    });
    const res = await custom.call('GET', '/v1/build-info');
    expect(res.statusCode).toBe(200);
    expect(res.data).toEqual({
      build_info: { api: { revision: '2.5' }, engine: { revision: '3.1' } },
    });
  });
});

const corsApi = await startApi({
  config: { cors: { allowed_origin: ['https://dashboard.example'] } },
});

describe('cross-origin requests', () => {
  it('marks responses to an allowed origin', async () => {
    const res = await corsApi.call('GET', '/v1/build-info', {
      headers: { origin: 'https://dashboard.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://dashboard.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toContain('OpenStack-API-Version');
  });

  it('answers a preflight of an allowed origin without authentication', async () => {
    const res = await corsApi.call('OPTIONS', '/v1/profiles', {
      as: {},
      version: null,
      headers: {
        origin: 'https://dashboard.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'X-Auth-Token, Content-Type',
      },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-methods']).toBe('POST');
    expect(res.headers['access-control-allow-headers']).toBe('x-auth-token,content-type');
    expect(res.headers['access-control-max-age']).toBe('3600');
  });

  it('adds nothing for other origins', async () => {
    const res = await corsApi.call('GET', '/v1/build-info', {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await corsApi.call('OPTIONS', '/v1/profiles', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(404);
  });
});
