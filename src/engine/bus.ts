/**
 * In-process notifications between the parts of one senlin-ts process: new READY actions wake
 * the workers, finished actions wake the parents waiting for them, signals reach running
 * actions at once. Other processes learn the same through the database (short polls).
 */
import { EventEmitter } from 'node:events';

/** Notifications carried by the bus. */
interface BusEvents {
  /** Some actions became READY. */
  ready: [];
  /** An action reached a final status or its children all finished. */
  changed: [actionId: string];
  /** A signal was written for an action. */
  signal: [actionId: string];
}

/** The notification bus of one process. */
export class EngineBus {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  /** Tells workers that READY actions exist. */
  ready(): void {
    this.#emitter.emit('ready');
  }

  /** Tells waiters that an action changed status. */
  changed(actionId: string): void {
    this.#emitter.emit('changed', actionId);
  }

  /** Tells a running action that a signal was written for it. */
  signal(actionId: string): void {
    this.#emitter.emit('signal', actionId);
  }

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof BusEvents>(event: K, listener: (...args: BusEvents[K]) => void): () => void {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.#emitter.off(event, listener as (...args: unknown[]) => void);
  }

  /**
   * Resolves after `ms` milliseconds, or earlier when `event` fires (for `changed`/`signal`,
   * only for the given action id), or when `signal` aborts.
   */
  wait(event: keyof BusEvents, ms: number, actionId?: string, abort?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        off();
        abort?.removeEventListener('abort', finish);
        resolve();
      };
      const off = this.on(event, (id?: string) => {
        if (actionId === undefined || id === actionId) finish();
      });
      const timer = setTimeout(finish, ms);
      abort?.addEventListener('abort', finish, { once: true });
    });
  }
}
