/**
 * One running action: its record, an AbortSignal that fires on timeout or cancel, safe points
 * where signals are honoured (cancel, suspend/resume), and children it starts and waits for.
 */
import type { Kysely } from 'kysely';
import { ActionCause, ActionControl } from '../common/constants.js';
import { addDependencies, markReady, pendingDependencies } from '../db/queries/action-state.js';
import type { ActionRecord } from '../db/queries/actions.js';
import { getAction, insertActions, updateAction } from '../db/queries/actions.js';
import type { Database } from '../db/schema.js';
import type { NewAction } from './action-create.js';
import { buildAction } from './action-create.js';
import type { EngineServices } from './services.js';
import { epoch, short } from './services.js';

/** Result codes of handlers, as upstream names them. */
export type ResultCode = 'OK' | 'ERROR' | 'RETRY' | 'CANCEL' | 'TIMEOUT';

/** What a handler returns. */
export interface ActionResult {
  readonly code: ResultCode;
  readonly reason: string;
}

/** Thrown at a safe point when the action must stop (cancelled or timed out). */
export class ActionStop extends Error {
  readonly code: 'CANCEL' | 'TIMEOUT';

  constructor(code: 'CANCEL' | 'TIMEOUT', reason: string) {
    super(reason);
    this.name = 'ActionStop';
    this.code = code;
  }
}

/** Shorthand results. */
export const ok = (reason: string): ActionResult => ({ code: 'OK', reason });
export const error = (reason: string): ActionResult => ({ code: 'ERROR', reason });

/** The execution of one claimed action. */
export class Execution {
  readonly svc: EngineServices;
  /** The action; handlers may change `inputs`, `data` and `outputs` (stored when it ends). */
  readonly action: ActionRecord;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout | undefined;
  #suspendRequested = false;
  /** Children of the current wait, and whether their failure is ignored. */
  #children = new Map<string, { ignoreFailure: boolean }>();

  constructor(svc: EngineServices, action: ActionRecord) {
    this.svc = svc;
    this.action = action;
    const started = (action.startTime ?? epoch(svc.now())) * 1000;
    const remaining = started + action.timeout * 1000 - svc.now().getTime();
    if (action.timeout > 0) {
      this.#timer = setTimeout(
        () => this.#stop('TIMEOUT', `${this.label} timeout`),
        Math.max(0, remaining),
      );
      this.#timer.unref();
    }
  }

  /** `<ACTION> [<id8>]`, as upstream's reasons begin. */
  get label(): string {
    return `${this.action.action} [${short(this.action.id)}]`;
  }

  /** Aborted on timeout or cancel: pass it to every wait. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  #stop(code: 'CANCEL' | 'TIMEOUT', reason: string): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(new ActionStop(code, reason));
  }

  /** Ends timers. */
  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
  }

  /** Reacts to a signal written for this action (called by the engine's signal watcher). */
  onControl(control: string | null): void {
    if (control === ActionControl.CANCEL) this.#stop('CANCEL', `${this.label} cancelled`);
    else if (control === ActionControl.SUSPEND) this.#suspendRequested = true;
  }

  /** Throws ActionStop when the action was cancelled or timed out. */
  throwIfStopped(): void {
    const reason = this.signal.reason;
    if (this.signal.aborted)
      throw reason instanceof ActionStop ? reason : new ActionStop('CANCEL', String(reason));
  }

  /**
   * A safe point: stops when cancelled or timed out, and pauses here while suspended (holding
   * its locks; children not started yet stay unstarted).
   */
  async checkpoint(): Promise<void> {
    this.throwIfStopped();
    if (this.#suspendRequested) await this.#suspend();
    this.throwIfStopped();
  }

  async #suspend(): Promise<void> {
    const { db, bus } = this.svc;
    const id = this.action.id;
    this.#suspendRequested = false;
    const held = await db.transaction(async (trx) => {
      const children = (
        await trx
          .selectFrom('action')
          .select('id')
          .where(
            'id',
            'in',
            trx.selectFrom('dependency').select('depended').where('dependent', '=', id),
          )
          .where('status', '=', 'READY')
          .where('owner', 'is', null)
          .execute()
      ).map((r) => r.id);
      if (children.length > 0) {
        await trx
          .updateTable('action')
          .set({ status: 'INIT' })
          .where('id', 'in', children)
          .where('status', '=', 'READY')
          .execute();
      }
      await updateAction(trx, id, {
        status: 'SUSPENDED',
        statusReason: 'Action suspended.',
        control: null,
      });
      return children;
    });
    bus.changed(id);
    for (;;) {
      await bus.wait('signal', this.#pollMs(), id, this.signal);
      this.throwIfStopped();
      const row = await db.retry((k) => getAction(k, id));
      if (row?.control === ActionControl.CANCEL) this.#stop('CANCEL', `${this.label} cancelled`);
      this.throwIfStopped();
      if (row?.control === ActionControl.RESUME || row?.status !== 'SUSPENDED') break;
    }
    await db.transaction(async (trx) => {
      const waiting = (await pendingDependencies(trx, id)) > 0;
      await updateAction(trx, id, {
        status: waiting ? 'WAITING' : 'RUNNING',
        statusReason: 'Action resumed.',
        control: null,
      });
      await markReady(trx, held);
    });
    bus.changed(id);
    bus.ready();
  }

  #pollMs(): number {
    return Math.max(50, this.svc.config.engine.poll_interval * 1000);
  }

  /** Stores inputs, data and outputs of the action now (policies read them from the row). */
  async save(): Promise<void> {
    const { inputs, data, outputs } = this.action;
    await this.svc.db.retry((k) => updateAction(k, this.action.id, { inputs, data, outputs }));
  }

  /**
   * Creates child actions (derived), makes this action wait for them and releases them to the
   * workers. Returns their ids.
   */
  async startChildren(
    children: readonly Omit<NewAction, 'status'>[],
    cause: string = ActionCause.DERIVED,
    before?: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<string[]> {
    if (children.length === 0) return [];
    await this.checkpoint();
    const context = this.action.context ?? {
      user_id: this.action.user,
      project_id: this.action.project,
      domain_id: this.action.domain,
      is_admin: false,
      request_id: null,
      trusts: null,
    };
    const now = this.svc.now();
    const records = children.map((c) => buildAction(context, { cause, ...c, status: 'INIT' }, now));
    const ids = records.map((r) => r.id);
    this.#children = new Map(
      records.map((r) => [r.id, { ignoreFailure: r.inputs.update_parent_status === false }]),
    );
    await this.svc.db.transaction(async (trx) => {
      if (before) await before(trx);
      await insertActions(trx, records);
      await addDependencies(trx, ids, this.action.id);
      await markReady(trx, ids);
    });
    this.svc.bus.ready();
    return ids;
  }

  /**
   * Waits until the children started last have ended: OK when all succeeded (failures of
   * children marked `update_parent_status: false` do not count), ERROR as soon as one failed,
   * CANCEL when one was cancelled; stops on timeout or cancel of this action.
   */
  async waitForChildren(): Promise<ActionResult> {
    const { db, bus } = this.svc;
    const id = this.action.id;
    const children = this.#children;
    const checked = new Set<string>();
    let cancelled = false;
    for (;;) {
      await this.checkpoint();
      const row = await db.retry((k) =>
        k
          .selectFrom('action')
          .select(['status', 'control'])
          .where('id', '=', id)
          .executeTakeFirst(),
      );
      if (row?.control) this.onControl(row.control);
      this.throwIfStopped();
      if (row?.status === 'FAILED') return error(`${this.label} failed`);
      if (row?.status === 'CANCELLED') return { code: 'CANCEL', reason: `${this.label} cancelled` };
      const pending = new Set(
        (
          await db.retry((k) =>
            k.selectFrom('dependency').select('depended').where('dependent', '=', id).execute(),
          )
        ).map((r) => r.depended),
      );
      const ended = [...children.keys()].filter((c) => !pending.has(c) && !checked.has(c));
      for (let i = 0; i < ended.length; i += 500) {
        const chunk = ended.slice(i, i + 500);
        const rows = await db.retry((k) =>
          k.selectFrom('action').select(['id', 'status']).where('id', 'in', chunk).execute(),
        );
        for (const r of rows) {
          if (!['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status ?? '')) continue;
          checked.add(r.id);
          if (children.get(r.id)?.ignoreFailure) continue;
          if (r.status === 'FAILED') return error(`${this.label} failed`);
          if (r.status === 'CANCELLED') cancelled = true;
        }
      }
      if (pending.size === 0 && checked.size >= children.size) {
        await db.retry((k) =>
          k
            .updateTable('action')
            .set({ status: 'RUNNING', status_reason: 'All depended actions completed.' })
            .where('id', '=', id)
            .where('status', '=', 'WAITING')
            .execute(),
        );
        if (cancelled) return { code: 'CANCEL', reason: `${this.label} cancelled` };
        return ok('All dependents ended with success');
      }
      // Many children wake their parent many times: looking again is O(children), so the
      // looks are spaced further apart the more children there are.
      const gap = Math.min(1000, 10 + children.size / 10);
      await bus.wait('changed', Math.max(gap, this.#pollMs()), id, this.signal);
      if (gap > 10) await new Promise((r) => setTimeout(r, gap));
    }
  }

  /** Starts children and waits for them. */
  async runChildren(
    children: readonly Omit<NewAction, 'status'>[],
    cause?: string,
    before?: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<ActionResult> {
    if (children.length === 0) return ok('');
    await this.startChildren(children, cause, before);
    return this.waitForChildren();
  }

  /** Sleeps, ending early (with ActionStop) when the action stops. */
  async sleep(seconds: number): Promise<void> {
    if (seconds <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, seconds * 1000);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.signal.addEventListener('abort', done, { once: true });
    });
    this.throwIfStopped();
  }
}
