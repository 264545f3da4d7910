/**
 * A client of senlin-ts's Clustering API for the scenario tests: requests with a Keystone token,
 * waits for actions and objects, and the bookkeeping that deletes what a test made.
 */
import { expect } from 'vitest';
import { ACCOUNTS, issueToken, type LabAccount, SENLIN_URL } from './lab.js';

/** Microversion the scenarios speak (cluster check/recover, operations, node adoption). */
export const MICROVERSION = '1.12';

/** An answer of senlin-ts. */
export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** What an action looks like when it is over. */
export interface ActionView {
  id: string;
  action: string;
  status: string;
  status_reason: string;
  outputs: Record<string, unknown>;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The id of the action named by an answer's `Location` header (or its `action` field). */
export function actionIdOf(answer: ApiAnswer): string {
  const location = answer.headers.get('location') ?? '';
  const fromHeader = location.split('/actions/')[1];
  const id = fromHeader ?? (answer.body as { action?: string } | null)?.action;
  if (!id) throw new Error(`no action in answer ${answer.status} ${JSON.stringify(answer.body)}`);
  return id;
}

/** senlin-ts's API for one Keystone user. */
export class SenlinClient {
  userId = '';
  projectId = '';
  #token = '';
  #expires = 0;

  constructor(readonly account: LabAccount = ACCOUNTS.demo) {}

  async #auth(): Promise<string> {
    if (Date.now() > this.#expires) {
      const issued = await issueToken(this.account);
      this.#token = issued.token;
      this.userId = issued.userId;
      this.projectId = issued.projectId;
      this.#expires = Date.now() + 30 * 60_000;
    }
    return this.#token;
  }

  /** One request; the answer whatever its status. */
  async request(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = {
      'X-Auth-Token': await this.#auth(),
      'OpenStack-API-Version': `clustering ${MICROVERSION}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(`${SENLIN_URL}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** A request that must answer `status`; its body. */
  async expect(status: number, method: string, path: string, body?: unknown): Promise<any> {
    const answer = await this.request(method, path, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    return answer;
  }

  /** Waits until an action is over and returns it. */
  async waitAction(id: string, timeoutMs = 600_000): Promise<ActionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.request('GET', `/v1/actions/${id}`);
      const action = answer.body?.action as ActionView | undefined;
      if (action && FINAL.has(action.status)) return action;
      if (Date.now() > deadline)
        throw new Error(
          `action ${id} still ${action?.status ?? answer.status} after ${timeoutMs} ms`,
        );
      await sleep(1500);
    }
  }

  /** Starts an asynchronous call (202) and waits for its action; the finished action. */
  async act(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<ActionView> {
    const answer = await this.expect(202, method, path, body);
    return this.waitAction(actionIdOf(answer), timeoutMs);
  }

  /** Like `act`, and the action must succeed. */
  async actOk(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs?: number,
  ): Promise<ActionView> {
    const action = await this.act(method, path, body, timeoutMs);
    expect(action.status, `${action.action}: ${action.status_reason}`).toBe('SUCCEEDED');
    return action;
  }

  /** Creates a profile; its id. */
  async createProfile(name: string, spec: Record<string, unknown>): Promise<string> {
    const answer = await this.expect(201, 'POST', '/v1/profiles', { profile: { name, spec } });
    return answer.body.profile.id as string;
  }

  /** Creates a policy; its id. */
  async createPolicy(name: string, spec: Record<string, unknown>): Promise<string> {
    const answer = await this.expect(201, 'POST', '/v1/policies', { policy: { name, spec } });
    return answer.body.policy.id as string;
  }

  /** Creates a cluster and waits for its CLUSTER_CREATE; the cluster id and the action. */
  async createCluster(
    cluster: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<{ id: string; action: ActionView }> {
    const answer = await this.expect(202, 'POST', '/v1/clusters', { cluster });
    const action = await this.waitAction(actionIdOf(answer), timeoutMs);
    return { id: answer.body.cluster.id as string, action };
  }

  async cluster(id: string): Promise<any> {
    return (await this.expect(200, 'GET', `/v1/clusters/${id}`)).body.cluster;
  }

  async node(id: string): Promise<any> {
    return (await this.expect(200, 'GET', `/v1/nodes/${id}?show_details=true`)).body.node;
  }

  /** The nodes of a cluster with their details (physical ids, server data). */
  async clusterNodes(clusterId: string): Promise<any[]> {
    const answer = await this.expect(200, 'GET', `/v1/nodes?cluster_id=${clusterId}`);
    return answer.body.nodes as any[];
  }

  /** Deletes a cluster (and its nodes) and waits; true when it is gone. */
  async deleteCluster(id: string, timeoutMs?: number): Promise<boolean> {
    const answer = await this.request('DELETE', `/v1/clusters/${id}`);
    if (answer.status === 404) return true;
    if (answer.status !== 202) return false;
    const action = await this.waitAction(actionIdOf(answer), timeoutMs);
    return action.status === 'SUCCEEDED';
  }
}

/** Runs every cleanup even when some fail; reports the failures together. */
export async function runCleanups(cleanups: (() => Promise<unknown>)[]): Promise<void> {
  const errors: unknown[] = [];
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (err) {
      errors.push(err);
    }
  }
  cleanups.length = 0;
  if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
}
