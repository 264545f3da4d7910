/**
 * The worker pool of an engine process: claims READY actions from the database (atomically, so
 * several engines can share one database), runs them with bounded concurrency, watches their
 * signals, heartbeats nothing itself (see service-registry.ts) but sweeps the work of dead
 * engines. Woken in-process by the bus; otherwise it looks at the database every
 * `[engine] poll_interval` seconds, so no READY action waits for a message that never comes.
 */
import { actionPurge, eventPurge } from '../db/manage.js';
import { claimReadyActions } from '../db/queries/action-state.js';
import { updateAction } from '../db/queries/actions.js';
import { Execution } from './execution.js';
import { sweepDeadEngines } from './liveness.js';
import { runAction } from './runner.js';
import type { EngineServices } from './services.js';
import { epoch } from './services.js';

/** A running engine. */
export class Engine {
  readonly svc: EngineServices;
  readonly #running = new Map<string, { execution: Execution; done: Promise<void> }>();
  readonly #offBus: (() => void)[] = [];
  #stopping = false;
  #loop: Promise<void> | null = null;
  #sweepTimer: NodeJS.Timeout | null = null;
  #signalTimer: NodeJS.Timeout | null = null;
  #wake: (() => void) | null = null;
  #pausedUntil = 0;
  #launchedNodeActions = 0;
  #lastPurge = 0;

  constructor(svc: EngineServices) {
    this.svc = svc;
  }

  /** Number of actions running now. */
  get running(): number {
    return this.#running.size;
  }

  /** Starts claiming work. */
  start(): void {
    if (this.#loop) return;
    this.#offBus.push(this.svc.bus.on('ready', () => this.wake()));
    this.#offBus.push(this.svc.bus.on('signal', (id) => void this.#deliverSignal(id)));
    this.#loop = this.#run();
    const sweepMs = this.svc.config.DEFAULT.periodic_interval * 1000;
    this.#sweepTimer = setInterval(() => void this.sweep(), sweepMs);
    this.#sweepTimer.unref();
    const pollMs = Math.max(50, this.svc.config.engine.poll_interval * 1000);
    this.#signalTimer = setInterval(() => void this.#pollSignals(), pollMs);
    this.#signalTimer.unref();
    void this.sweep();
  }

  /** Claims work at once instead of at the next poll. */
  wake(): void {
    this.#wake?.();
  }

  /** Fails the work of engines that stopped heartbeating; purges old records hourly if asked to. */
  async sweep(): Promise<void> {
    try {
      await sweepDeadEngines(this.svc);
    } catch (err) {
      this.svc.logger.error({ err }, 'sweep of dead engines failed');
    }
    const {
      event_purge_age: events,
      action_purge_age: actions,
      default_action_timeout,
    } = this.svc.config.DEFAULT;
    const now = this.svc.now();
    if ((events > 0 || actions > 0) && now.getTime() - this.#lastPurge >= 3_600_000) {
      this.#lastPurge = now.getTime();
      try {
        if (events > 0) await eventPurge(this.svc.db, null, events, 'days', now);
        if (actions > 0)
          await actionPurge(this.svc.db, null, actions, 'days', default_action_timeout, now);
      } catch (err) {
        this.svc.logger.error({ err }, 'automatic purge failed');
      }
    }
  }

  async #run(): Promise<void> {
    const { config, logger } = this.svc;
    const pollMs = Math.max(10, config.engine.poll_interval * 1000);
    while (!this.#stopping) {
      let claimed = 0;
      try {
        claimed = await this.#claim();
      } catch (err) {
        logger.error({ err }, 'claiming actions failed');
      }
      if (this.#stopping) break;
      if (claimed > 0 && this.#running.size < config.engine.threads) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        const self = this;
        function done(): void {
          clearTimeout(timer);
          self.#wake = null;
          resolve();
        }
        this.#wake = done;
      });
    }
  }

  async #claim(): Promise<number> {
    const { config, db, engineId } = this.svc;
    const free = config.engine.threads - this.#running.size;
    if (free <= 0) return 0;
    const now = Date.now();
    if (now < this.#pausedUntil) return 0;
    const actions = await claimReadyActions(
      db,
      engineId,
      epoch(this.svc.now()),
      Math.min(free, 100),
    );
    const perBatch = config.DEFAULT.max_actions_per_batch;
    for (const action of actions) {
      this.#launch(new Execution(this.svc, action));
      if (perBatch > 0 && action.action.includes('NODE')) {
        this.#launchedNodeActions += 1;
        if (this.#launchedNodeActions >= perBatch) {
          this.#launchedNodeActions = 0;
          this.#pausedUntil = Date.now() + config.DEFAULT.batch_interval * 1000;
        }
      }
    }
    return actions.length;
  }

  #launch(execution: Execution): void {
    const id = execution.action.id;
    const done = runAction(execution).finally(() => {
      this.#running.delete(id);
      this.wake();
    });
    this.#running.set(id, { execution, done });
  }

  async #deliverSignal(actionId: string): Promise<void> {
    const entry = this.#running.get(actionId);
    if (!entry) return;
    const row = await this.svc.db.retry((k) =>
      k.selectFrom('action').select('control').where('id', '=', actionId).executeTakeFirst(),
    );
    entry.execution.onControl(row?.control ?? null);
  }

  async #pollSignals(): Promise<void> {
    if (this.#running.size === 0) return;
    try {
      const rows = await this.svc.db.retry((k) =>
        k
          .selectFrom('action')
          .select(['id', 'control'])
          .where('owner', '=', this.svc.engineId)
          .where('control', 'is not', null)
          .execute(),
      );
      for (const row of rows) {
        this.#running.get(row.id)?.execution.onControl(row.control);
        if (row.control) this.svc.bus.signal(row.id);
      }
    } catch (err) {
      this.svc.logger.error({ err }, 'reading action signals failed');
    }
  }

  /**
   * Stops claiming, waits up to `[engine] shutdown_timeout` seconds for running actions, then
   * hands back what is still running: unfinished actions are cancelled at their next safe
   * point, and whatever remains is failed the way a dead engine's work is.
   */
  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    this.wake();
    for (const off of this.#offBus.splice(0)) off();
    if (this.#sweepTimer) clearInterval(this.#sweepTimer);
    if (this.#signalTimer) clearInterval(this.#signalTimer);
    await this.#loop;
    const pending = [...this.#running.values()];
    const graceMs = this.svc.config.engine.shutdown_timeout * 1000;
    const all = Promise.all(pending.map((p) => p.done));
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
    ]);
    if (timedOut) {
      for (const { execution } of this.#running.values()) {
        await this.svc.db
          .retry((k) => updateAction(k, execution.action.id, { control: 'CANCEL' }))
          .catch(() => undefined);
        execution.onControl('CANCEL');
      }
      await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
  }
}
