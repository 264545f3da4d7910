/**
 * The OrchestrationDriver over Heat's v1 REST API. Stacks are addressed as `<name>/<id>` (the
 * form every stack call of Heat takes), the name looked up before each call.
 * Updates are PATCH requests, so that what a request leaves out (template, files, environment,
 * parameters) keeps its current value, as in the fake cloud. A deleted stack (Heat still shows
 * it, as DELETE_COMPLETE) is not found.
 */
import { CloudError, CloudNotFound, type OrchestrationDriver, type Resource } from '../types.js';
import type { OpenStackDriverOptions } from './options.js';
import {
  heatStackBody,
  isDeleted,
  stackFailureStatuses,
  stackNotFound,
  stackReason,
  stackStatus,
} from './orchestration-body.js';
import type { OpenStackSession } from './session.js';
import { waitForStatus, waitTiming } from './wait.js';

const SERVICE = 'orchestration';

type StackBody = { stack?: Resource };

/** Heat calls over one session. */
export function createOrchestrationDriver(
  session: OpenStackSession,
  options: OpenStackDriverOptions,
): OrchestrationDriver {
  async function readStack(nameOrId: string): Promise<Resource> {
    const res = await session.request<StackBody>(
      SERVICE,
      `/stacks/${encodeURIComponent(nameOrId)}`,
    );
    const stack = res.body?.stack;
    // Heat keeps showing a deleted stack by id (and even runs a check on it, which changes
    // its status again): for senlin-ts a stack with a deletion time is gone
    if (!stack || typeof stack.id !== 'string' || isDeleted(stack)) throw stackNotFound(nameOrId);
    return stack;
  }

  /** `<name>/<id>` of a live stack (looked up every time, so a deleted stack is not found). */
  async function identity(id: string): Promise<string> {
    const stack = await readStack(id);
    return `${encodeURIComponent(String(stack.stack_name))}/${encodeURIComponent(stack.id)}`;
  }

  async function getPart(id: string, part: string): Promise<Record<string, unknown>> {
    const res = await session.request<Record<string, unknown> | null>(
      SERVICE,
      `/stacks/${await identity(id)}/${part}`,
    );
    return res.body ?? {};
  }

  const timing = { timeoutSeconds: options.actionTimeout, intervalMs: options.waitIntervalMs };

  return {
    async createStack(body, opts = {}) {
      const request = heatStackBody(body);
      if (opts.preview) {
        const res = await session.request<StackBody>(SERVICE, '/stacks/preview', {
          method: 'POST',
          body: request,
        });
        return { id: 'None', ...(res.body?.stack ?? {}) } as Resource;
      }
      const res = await session.request<StackBody>(SERVICE, '/stacks', {
        method: 'POST',
        body: request,
      });
      const created = res.body?.stack;
      if (!created || typeof created.id !== 'string')
        throw new CloudError(502, 'Heat answered a stack create without a stack id.');
      const name = String(request.stack_name);
      // the full stack when Heat shows it at once; the stack exists either way
      const full = await readStack(created.id).catch(() => null);
      return full ?? { ...created, stack_name: name };
    },
    async getStack(id) {
      return readStack(id);
    },
    async findStack(nameOrId) {
      try {
        return await readStack(nameOrId);
      } catch (err) {
        if (err instanceof CloudNotFound) return null;
        throw err;
      }
    },
    async updateStack(id, body) {
      await session.request(SERVICE, `/stacks/${await identity(id)}`, {
        method: 'PATCH',
        body: heatStackBody(body, { update: true }),
      });
    },
    async deleteStack(id) {
      await session.request(SERVICE, `/stacks/${await identity(id)}`, { method: 'DELETE' });
    },
    async checkStack(id) {
      await session.request(SERVICE, `/stacks/${await identity(id)}/actions`, {
        method: 'POST',
        body: { check: null },
      });
    },
    async abandonStack(id) {
      const res = await session.request<Record<string, unknown> | null>(
        SERVICE,
        `/stacks/${await identity(id)}/abandon`,
        { method: 'DELETE' },
      );
      // Heat answers at once and forgets the stack a moment later: wait for that
      await waitForStatus(() => readStack(id), stackStatus, {
        timeoutMs: options.actionTimeout * 1000,
        intervalMs: Math.min(1000, options.waitIntervalMs),
        until: ['DELETE_COMPLETE'],
        failOn: ['DELETE_FAILED'],
        what: `Abandoning stack ${id}`,
        reasonOf: stackReason,
        notFoundIsDone: true,
      });
      return res.body ?? {};
    },
    async getStackTemplate(id) {
      return getPart(id, 'template');
    },
    async getStackEnvironment(id) {
      return getPart(id, 'environment');
    },
    async getStackFiles(id) {
      return getPart(id, 'files');
    },
    async waitForStack(id, status, waitOptions) {
      return waitForStatus(() => readStack(id), stackStatus, {
        ...waitTiming(waitOptions, timing),
        until: [status],
        failOn: stackFailureStatuses(status, waitOptions.failures),
        what: `Stack ${id}`,
        reasonOf: stackReason,
      });
    },
    async waitForStackDelete(id, waitOptions) {
      await waitForStatus(() => readStack(id), stackStatus, {
        ...waitTiming(waitOptions, timing),
        until: ['DELETE_COMPLETE'],
        failOn: ['DELETE_FAILED', ...(waitOptions.failures ?? [])],
        what: `Deletion of stack ${id}`,
        reasonOf: stackReason,
        notFoundIsDone: true,
      });
    },
  };
}
