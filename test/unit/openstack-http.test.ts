import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type HttpSettings, send } from '../../src/drivers/openstack/http.js';
import { CloudError } from '../../src/drivers/types.js';
import { OpenStackStub } from '../support/openstack-stub.js';

let stub: OpenStackStub;
let fetchCalls: number;

function settings(overrides: Partial<HttpSettings> = {}): HttpSettings {
  return {
    fetch: (url, init) => {
      fetchCalls += 1;
      return fetch(url, init);
    },
    connectRetries: 2,
    statusRetries: 3,
    retryDelayMs: 1,
    retryMaxDelayMs: 4,
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** Answers with each status in turn, then 200. */
function sequence(...statuses: number[]) {
  let i = 0;
  return () => {
    const status = statuses[i++] ?? 200;
    return {
      status,
      body: status === 200 ? { ok: true } : { error: { message: `status ${status}` } },
    };
  };
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeEach(async () => {
  stub = await OpenStackStub.start();
  fetchCalls = 0;
});

afterEach(async () => {
  await stub.close();
});

describe('retries of requests to OpenStack services', () => {
  it('retries a GET answered 503 until it succeeds', async () => {
    stub.on('GET', '/x', sequence(503, 503));
    const response = await send(settings(), `${stub.url}/x`, { method: 'GET' });
    expect(response.status).toBe(200);
    expect(stub.calls('/x')).toHaveLength(3);
  });

  it('returns the last 5xx answer once the retries are used up', async () => {
    stub.on('GET', '/x', { status: 502, body: { error: { message: 'bad gateway' } } });
    const response = await send(settings({ statusRetries: 2 }), `${stub.url}/x`, { method: 'GET' });
    expect(response.status).toBe(502);
    expect(stub.calls('/x')).toHaveLength(3);
  });

  it('does not retry a 501', async () => {
    stub.on('GET', '/x', sequence(501));
    const response = await send(settings(), `${stub.url}/x`, { method: 'GET' });
    expect(response.status).toBe(501);
    expect(stub.calls('/x')).toHaveLength(1);
  });

  it('does not retry a POST answered 500', async () => {
    stub.on('POST', '/x', sequence(500));
    const response = await send(settings(), `${stub.url}/x`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(500);
    expect(stub.calls('/x')).toHaveLength(1);
  });

  it('retries a DELETE whose connection was reset', async () => {
    let resets = 1;
    stub.on('DELETE', '/x', () => (resets-- > 0 ? { destroy: true } : { status: 204 }));
    const response = await send(settings(), `${stub.url}/x`, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(stub.calls('/x')).toHaveLength(2);
  });

  it('does not repeat a POST whose connection was reset after it was sent', async () => {
    stub.on('POST', '/x', { destroy: true });
    const error = await send(settings(), `${stub.url}/x`, { method: 'POST', body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).status).toBe(503);
    expect(stub.calls('/x')).toHaveLength(1);
  });

  it('retries a POST whose connection was refused, then reports the service unreachable', async () => {
    const port = await closedPort();
    const error = await send(settings(), `http://127.0.0.1:${port}/x`, { method: 'POST' }).catch(
      (e: unknown) => e,
    );
    expect((error as CloudError).status).toBe(503);
    expect((error as CloudError).message).toContain(`POST http://127.0.0.1:${port}/x failed`);
    expect(fetchCalls).toBe(3);
  });

  it('abandons an attempt that takes too long and reports a timeout', async () => {
    stub.on('GET', '/slow', { hang: true });
    const error = await send(settings({ timeoutMs: 100, connectRetries: 1 }), `${stub.url}/slow`, {
      method: 'GET',
    }).catch((e: unknown) => e);
    expect((error as CloudError).status).toBe(504);
    expect(stub.calls('/slow')).toHaveLength(2);
  });

  it("rejects with the caller's reason at once when the caller aborts", async () => {
    stub.on('GET', '/slow', { hang: true });
    const controller = new AbortController();
    const pending = send(
      settings(),
      `${stub.url}/slow`,
      { method: 'GET' },
      {
        signal: controller.signal,
      },
    );
    const reason = new Error('stop');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
    expect(stub.calls('/slow')).toHaveLength(1);
  });

  it('retries a 503 that says when to come back (Retry-After)', async () => {
    let first = true;
    stub.on('GET', '/x', () => {
      if (!first) return { status: 200, body: {} };
      first = false;
      return { status: 503, headers: { 'Retry-After': '0' }, body: {} };
    });
    const response = await send(settings(), `${stub.url}/x`, { method: 'GET' });
    expect(response.status).toBe(200);
  });
});
