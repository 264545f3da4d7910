/**
 * Membership webhooks: a JSON body POSTed to a URL in the background. Each delivery gets a
 * few attempts with growing pauses; a 2xx answer ends it. Failures are logged, never thrown.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** How webhooks are delivered. */
export interface WebhookSenderOptions {
  readonly logger: Logger;
  /** Seconds one attempt may take. */
  readonly timeoutSeconds?: number;
  /** Attempts per delivery. */
  readonly attempts?: number;
  /** Deliveries in progress beyond which new ones are dropped. */
  readonly maxPending?: number;
  /** Value of the User-Agent header. */
  readonly userAgent?: string;
}

/** Delivers webhook POSTs in the background. */
export class WebhookSender {
  readonly #options: WebhookSenderOptions;
  readonly #pending = new Set<Promise<void>>();
  readonly #stop = new AbortController();

  constructor(options: WebhookSenderOptions) {
    this.#options = options;
  }

  /** Deliveries in progress. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Starts delivering `body` to `url`. */
  post(url: string, body: unknown): void {
    const { logger, maxPending = 1000 } = this.#options;
    if (this.#stop.signal.aborted) return;
    if (this.#pending.size >= maxPending) {
      logger.warn({ url: safeUrl(url) }, 'too many webhook deliveries in progress: dropped one');
      return;
    }
    const delivery = this.#deliver(url, JSON.stringify(body)).finally(() => {
      this.#pending.delete(delivery);
    });
    this.#pending.add(delivery);
  }

  /** Waits for deliveries in progress (at most `timeoutMs`), then abandons the rest. */
  async close(timeoutMs: number): Promise<void> {
    const all = Promise.all([...this.#pending]);
    const timer = sleep(timeoutMs, undefined, { ref: false }).catch(() => undefined);
    await Promise.race([all, timer]);
    this.#stop.abort();
    await all;
  }

  async #deliver(url: string, text: string): Promise<void> {
    const { logger, timeoutSeconds = 10, attempts = 3, userAgent = 'senlin-ts' } = this.#options;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.#stop.signal.aborted) return;
      let problem: string;
      try {
        const signal = AbortSignal.any([
          this.#stop.signal,
          AbortSignal.timeout(timeoutSeconds * 1000),
        ]);
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': userAgent },
          body: text,
          signal,
          redirect: 'manual',
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return;
        problem = `HTTP ${res.status}`;
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
      logger.warn({ url: safeUrl(url), attempt, problem }, 'membership webhook delivery failed');
      if (attempt < attempts) {
        await sleep(attempt * 1000, undefined, { signal: this.#stop.signal }).catch(
          () => undefined,
        );
      }
    }
  }
}

/** The URL without credentials or query (which may hold secrets), for logs. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid URL>';
  }
}
