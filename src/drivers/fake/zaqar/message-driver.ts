/**
 * The MessageDriver of the fake cloud (Zaqar v2): queues (made on first use, as in Zaqar),
 * subscriptions, messages that expire after their TTL, and claims that hide messages from
 * other claims until they expire or are deleted.
 */
import { randomBytes } from 'node:crypto';
import type { MessageDriver, QueueMessage } from '../../types.js';
import { badRequest, conflict, forbidden, isoZ, newUuid } from '../common.js';
import { K } from '../kinds.js';
import { type Doc, schedule } from '../store.js';
import type { Caller, FakeWorld } from '../world.js';

const QUEUE_RE = /^[a-zA-Z0-9_-]{1,64}$/;
const SUBSCRIBER_RE = /^(https?|trust\+https?|mailto):/;

interface MessageState {
  queue: string;
  seq: number;
  created: number;
  expires: number;
  claim: { id: string; expires: number } | null;
}

function checkQueueName(name: string): void {
  if (!QUEUE_RE.test(name))
    throw badRequest(
      'Queue names may only contain ASCII letters, digits, underscores, and dashes.',
    );
}

function inRange(value: number, min: number, max: number, message: string): number {
  if (!Number.isInteger(value) || value < min || value > max) throw badRequest(message);
  return value;
}

function ensureQueue(
  world: FakeWorld,
  caller: Caller,
  name: string,
  metadata: Record<string, unknown> = {},
): Doc {
  checkQueueName(name);
  const existing = world.store.get(K.queue, name);
  if (existing) return existing;
  const doc: Doc = {
    r: {
      id: name,
      name,
      metadata: { _max_messages_post_size: 262144, _default_message_ttl: 3600, ...metadata },
      project_id: caller.projectId,
      created_at: isoZ(world.now()),
    },
    x: {},
    p: [],
  };
  world.save(K.queue, doc);
  return doc;
}

function messageView(doc: Doc, now: number): QueueMessage & { age: number } {
  const x = doc.x as unknown as MessageState;
  return {
    id: doc.r.id,
    body: doc.r.body,
    ttl: Number(doc.r.ttl),
    age: Math.floor((now - x.created) / 1000),
  };
}

function claimLive(x: MessageState, now: number): boolean {
  return x.claim !== null && x.claim.expires > now;
}

/** Zaqar calls for one caller; `posted` hears of every post. */
export function createMessageDriver(world: FakeWorld, caller: Caller): MessageDriver {
  const store = world.store;
  const messages = (queue: string): Doc[] =>
    store.byParent(K.message, queue).sort((a, b) => Number(a.x.seq) - Number(b.x.seq));
  return {
    async createQueue(name, options = {}) {
      const metadata: Record<string, unknown> = {};
      if (options.maxMessagesPostSize !== undefined)
        metadata._max_messages_post_size = options.maxMessagesPostSize;
      if (options.description !== undefined) metadata.description = options.description;
      store.tx(() => ensureQueue(world, caller, name, metadata));
    },
    async queueExists(name) {
      return store.get(K.queue, name) !== null;
    },
    async deleteQueue(name) {
      store.tx(() => {
        for (const kind of [K.message, K.claim])
          for (const d of store.byParent(kind, name)) store.remove(kind, d.r.id);
        for (const d of store.byParent(K.subscription, name)) store.remove(K.subscription, d.r.id);
        store.remove(K.queue, name);
        world.touch(K.queue, name);
      });
    },
    async createSubscription(queue, body) {
      checkQueueName(queue);
      if (!SUBSCRIBER_RE.test(body.subscriber))
        throw badRequest(
          "The subscriber type of subscription must be supported in the list ['http', 'https', 'mailto', 'trust+http', 'trust+https'].",
        );
      const ttl = inRange(
        body.ttl,
        60,
        Number.MAX_SAFE_INTEGER,
        'The TTL of a subscription must be at least 60 seconds long.',
      );
      return store.tx(() => {
        if (store.byParent(K.subscription, queue).some((d) => d.r.subscriber === body.subscriber))
          throw conflict(
            'Such subscription already exists. Subscriptions are unique by project + queue + subscriber URI.',
          );
        const doc: Doc = {
          r: {
            id: newUuid(),
            source: queue,
            subscriber: body.subscriber,
            ttl,
            options: body.options,
            confirmed: false,
          },
          x: {},
          p: [],
        };
        world.save(K.subscription, doc);
        return doc.r.id;
      });
    },
    async deleteSubscription(_queue, subscriptionId) {
      store.tx(() => store.remove(K.subscription, subscriptionId));
    },
    async postMessages(queue, list) {
      const posted = store.tx(() => {
        const q = ensureQueue(world, caller, queue);
        const meta = q.r.metadata as {
          _max_messages_post_size: number;
          _default_message_ttl?: number;
        };
        const size = Buffer.byteLength(JSON.stringify(list.map((m) => m.body)));
        if (size > meta._max_messages_post_size)
          throw badRequest(
            `Message collection size is too large. Max size ${meta._max_messages_post_size}`,
          );
        if (list.length === 0) throw badRequest('No messages to enqueue.');
        const now = world.now();
        return list.map((m) => {
          const ttl = inRange(
            m.ttl ?? meta._default_message_ttl ?? 3600,
            60,
            1209600,
            'The TTL for a message may not exceed 1209600 seconds, and must be at least 60 seconds long.',
          );
          const state: MessageState = {
            queue,
            seq: store.addToCounter('seq:message'),
            created: now,
            expires: now + ttl * 1000,
            claim: null,
          };
          const doc: Doc = {
            r: { id: randomBytes(12).toString('hex'), body: m.body, ttl },
            x: { ...state },
            p: [],
          };
          schedule(doc, { at: state.expires, del: true });
          world.save(K.message, doc);
          return { id: doc.r.id, body: m.body };
        });
      });
      const subscribers = store.byParent(K.subscription, queue).map((d) => String(d.r.subscriber));
      for (const listener of world.messageListeners)
        listener({ queue, subscribers, messages: posted });
      return posted.map((m) => m.id);
    },
    async claimMessages(queue, options = {}) {
      const limit = inRange(
        options.limit ?? 10,
        1,
        20,
        'Limit must be at least 1 and may not be greater than 20.',
      );
      const ttl = inRange(
        options.ttl ?? 60,
        60,
        43200,
        'The TTL for a claim may not exceed 43200 seconds, and must be at least 60 seconds long.',
      );
      const grace = inRange(
        options.grace ?? 60,
        0,
        43200,
        'The grace for a claim may not exceed 43200 seconds.',
      );
      return store.tx(() => {
        const now = world.now();
        const free = messages(queue)
          .filter((d) => !claimLive(d.x as unknown as MessageState, now))
          .slice(0, limit);
        if (free.length === 0) return { claimId: null, messages: [] };
        const claimId = newUuid();
        const expires = now + ttl * 1000;
        for (const doc of free) {
          const x = doc.x as unknown as MessageState;
          x.claim = { id: claimId, expires };
          x.expires = Math.max(x.expires, expires + grace * 1000);
          doc.p = [];
          schedule(doc, { at: x.expires, del: true });
          world.save(K.message, doc);
        }
        const claim: Doc = { r: { id: claimId, ttl, grace }, x: { queue, expires }, p: [] };
        schedule(claim, { at: expires, del: true });
        world.save(K.claim, claim);
        return { claimId, messages: free.map((d) => messageView(d, now)) };
      });
    },
    async deleteMessage(_queue, messageId, claimId) {
      store.tx(() => {
        const doc = store.get(K.message, messageId);
        if (!doc) return;
        const x = doc.x as unknown as MessageState;
        const live = claimLive(x, world.now());
        if (live && x.claim?.id !== claimId)
          throw forbidden(
            `Message ${messageId} is claimed and can only be deleted with its claim ID.`,
          );
        if (claimId && !live) throw forbidden(`Message ${messageId} is not claimed by ${claimId}.`);
        store.remove(K.message, messageId);
        world.touch(K.message, messageId);
      });
    },
    async deleteClaim(queue, claimId) {
      store.tx(() => {
        for (const doc of messages(queue)) {
          const x = doc.x as unknown as MessageState;
          if (x.claim?.id !== claimId) continue;
          x.claim = null;
          world.save(K.message, doc);
        }
        store.remove(K.claim, claimId);
      });
    },
  };
}
