/**
 * A health endpoint on 127.0.0.1 for NODE_STATUS_POLL_URL tests: answers per path as told,
 * counts requests, and can hang (accept and never answer) or answer over HTTPS.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll } from 'vitest';

/** How the endpoint answers a path. */
export type Answer = { readonly status?: number; readonly body: string } | { readonly hang: true };

/** A running endpoint. */
export interface Endpoint {
  readonly url: string;
  /** Sets the answer of a path (default: 200 `passing`). */
  answer(path: string, answer: Answer): void;
  /** Requests received per path. */
  hits(path: string): number;
  /** Every path requested, in order. */
  readonly paths: readonly string[];
  close(): Promise<void>;
}

/** Starts an endpoint (HTTPS when given a certificate); closed after the file's tests. */
export async function startEndpoint(tls?: { key: Buffer; cert: Buffer }): Promise<Endpoint> {
  const answers = new Map<string, Answer>();
  const counts = new Map<string, number>();
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    paths.push(path);
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const answer = answers.get(path) ?? { body: 'passing' };
    if ('hang' in answer) return;
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain' });
    res.end(answer.body);
  };
  const server: Server = tls ? createHttpsServer(tls, handle) : createHttpServer(handle);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  const endpoint: Endpoint = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    answer: (path, answer) => answers.set(path, answer),
    hits: (path) => counts.get(path) ?? 0,
    paths,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  afterAll(() => endpoint.close());
  return endpoint;
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
