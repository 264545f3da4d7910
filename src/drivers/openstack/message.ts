/**
 * The MessageDriver over Zaqar's v2 REST API: queues, subscriptions, messages and claims.
 * Zaqar wants a `Client-ID` (a UUID naming the client) on every request; a driver uses one for
 * its lifetime, so the messages it posts and claims are seen as one client's.
 */
import { randomUUID } from 'node:crypto';
import { CloudError, type MessageDriver, type QueueMessage } from '../types.js';
import type { OpenStackDriverOptions } from './options.js';
import type { OpenStackSession } from './session.js';

const SERVICE = 'messaging';

/** Queues Zaqar lists per page at most (its default `max_queues_per_page`). */
const QUEUE_PAGE = 20;

const queuePath = (queue: string): string => `/v2/queues/${encodeURIComponent(queue)}`;

/** The last path segment of a Zaqar href (`/v2/queues/q/messages/<id>?claim_id=…`). */
export function idFromHref(href: string): string {
  const path = href.split('?')[0] ?? '';
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** The `claim_id` query parameter of a Zaqar href, or null. */
export function claimIdFromHref(href: string): string | null {
  const query = href.split('?')[1];
  return query ? new URLSearchParams(query).get('claim_id') : null;
}

type ClaimedMessage = { id?: string; href?: string; body?: unknown; ttl?: number; age?: number };

/** Zaqar calls over one session. */
export function createMessageDriver(
  session: OpenStackSession,
  _options: OpenStackDriverOptions,
  clientId: string = randomUUID(),
): MessageDriver {
  const headers = { 'Client-ID': clientId };
  const call = <T = unknown>(
    path: string,
    init: {
      method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
      body?: unknown;
      query?: Record<string, string | number>;
    } = {},
  ) => session.request<T>(SERVICE, path, { ...init, headers });

  return {
    async createQueue(name, queueOptions = {}) {
      const metadata: Record<string, unknown> = {};
      if (queueOptions.maxMessagesPostSize !== undefined)
        metadata._max_messages_post_size = queueOptions.maxMessagesPostSize;
      if (queueOptions.description !== undefined) metadata.description = queueOptions.description;
      await call(queuePath(name), { method: 'PUT', body: metadata });
    },
    async queueExists(name) {
      // Zaqar answers a GET of any queue name, made or not: look for it in the listing, whose
      // `name` filter matches prefixes, a page at a time
      let marker: string | null = null;
      for (let page = 0; page < 1000; page += 1) {
        const query: Record<string, string | number> = { name, limit: QUEUE_PAGE };
        if (marker !== null) query.marker = marker;
        const res: { body: { queues?: { name?: string }[] } | null } = await call('/v2/queues', {
          query,
        });
        const queues = res.body?.queues ?? [];
        if (queues.some((q) => q.name === name)) return true;
        if (queues.length < QUEUE_PAGE) return false;
        marker = String(queues[queues.length - 1]?.name);
      }
      return false;
    },
    async deleteQueue(name) {
      await call(queuePath(name), { method: 'DELETE' });
    },
    async createSubscription(queue, body) {
      const res = await call<{ subscription_id?: string }>(`${queuePath(queue)}/subscriptions`, {
        method: 'POST',
        body,
      });
      const id = res.body?.subscription_id;
      if (typeof id !== 'string')
        throw new CloudError(502, 'Zaqar answered a subscription create without its id.');
      return id;
    },
    async deleteSubscription(queue, subscriptionId) {
      await call(`${queuePath(queue)}/subscriptions/${encodeURIComponent(subscriptionId)}`, {
        method: 'DELETE',
      });
    },
    async postMessages(queue, messages) {
      const res = await call<{ resources?: string[] }>(`${queuePath(queue)}/messages`, {
        method: 'POST',
        body: {
          messages: messages.map((m) => (m.ttl === undefined ? { body: m.body } : m)),
        },
      });
      return (res.body?.resources ?? []).map(idFromHref);
    },
    async claimMessages(queue, claimOptions = {}) {
      const res = await call<{ messages?: ClaimedMessage[] } | null>(`${queuePath(queue)}/claims`, {
        method: 'POST',
        query: { limit: claimOptions.limit ?? 10 },
        body: { ttl: claimOptions.ttl ?? 60, grace: claimOptions.grace ?? 60 },
      });
      const claimed = res.status === 204 ? [] : (res.body?.messages ?? []);
      if (claimed.length === 0) return { claimId: null, messages: [] };
      const location = res.headers.get('location');
      const claimId =
        (location ? idFromHref(location) : null) ?? claimIdFromHref(claimed[0]?.href ?? '');
      const messages: QueueMessage[] = claimed.map((m) => ({
        id: m.id ?? idFromHref(m.href ?? ''),
        body: m.body,
        ...(typeof m.ttl === 'number' ? { ttl: m.ttl } : {}),
      }));
      return { claimId, messages };
    },
    async deleteMessage(queue, messageId, claimId) {
      await call(`${queuePath(queue)}/messages/${encodeURIComponent(messageId)}`, {
        method: 'DELETE',
        ...(claimId ? { query: { claim_id: claimId } } : {}),
      });
    },
    async deleteClaim(queue, claimId) {
      await call(`${queuePath(queue)}/claims/${encodeURIComponent(claimId)}`, {
        method: 'DELETE',
      });
    },
  };
}
