import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/load.js';
import { tlsSettings } from '../../src/drivers/openstack/backend.js';
import { send } from '../../src/drivers/openstack/http.js';
import { createTlsFetch, needsTlsFetch } from '../../src/drivers/openstack/tls-fetch.js';
import { CloudError } from '../../src/drivers/types.js';

let dir: string;
let server: Server;
let url: string;
let cert: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'senlin-ts-tls-'));
  cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    if (req.url === '/empty') {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Seen-Method': req.method ?? '' });
    req.pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const http = (fetch: (u: string, i: RequestInit) => Promise<Response>) => ({
  fetch,
  connectRetries: 0,
  statusRetries: 0,
  retryDelayMs: 1,
  retryMaxDelayMs: 1,
  timeoutMs: 5_000,
});

describe('TLS settings of cloud endpoints', () => {
  it('trusts an endpoint signed by the configured CA', async () => {
    const fetch = createTlsFetch({ verify: true, cafile: cert, certfile: null, keyfile: null });
    const response = await send(http(fetch), `${url}/echo`, { method: 'PUT', body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-seen-method')).toBe('PUT');
    expect(await response.json()).toEqual({ a: 1 });
    expect((await send(http(fetch), `${url}/empty`, { method: 'DELETE' })).status).toBe(204);
  });

  it('accepts any certificate when verification is off', async () => {
    const fetch = createTlsFetch({ verify: false, cafile: null, certfile: null, keyfile: null });
    expect((await send(http(fetch), `${url}/echo`, { method: 'GET' })).status).toBe(200);
  });

  it('refuses a certificate it cannot verify', async () => {
    const fetch = createTlsFetch({ verify: true, cafile: null, certfile: null, keyfile: null });
    const error = await send(http(fetch), `${url}/echo`, { method: 'GET' }).catch(
      (e: unknown) => e,
    );
    expect((error as CloudError).status).toBe(503);
  });

  it('says which file it cannot read', async () => {
    const fetch = createTlsFetch({
      verify: true,
      cafile: join(dir, 'missing.pem'),
      certfile: null,
      keyfile: null,
    });
    const error = await fetch(`${url}/echo`, { method: 'GET' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).message).toContain('[authentication] cafile');
  });

  it('uses the global fetch unless the configuration changes TLS', () => {
    expect(needsTlsFetch(tlsSettings(defaultConfig()))).toBe(false);
    expect(needsTlsFetch(tlsSettings(defaultConfig({ authentication: { insecure: true } })))).toBe(
      true,
    );
    expect(
      needsTlsFetch(tlsSettings(defaultConfig({ authentication: { verify_ssl: false } }))),
    ).toBe(true);
    expect(
      needsTlsFetch(tlsSettings(defaultConfig({ authentication: { cafile: '/ca.pem' } }))),
    ).toBe(true);
  });
});
