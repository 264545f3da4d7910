/**
 * The common shape of a server action of the fake Nova: check lock, task and state (409s as
 * Nova words them), show the transitional status at once, reach the final state (or ERROR
 * with `simulated_fail`) when the transition time has come.
 */
import { CloudError } from '../../types.js';
import { conflict } from '../common.js';
import { K } from '../kinds.js';
import { hintsFromMap } from '../simulate.js';
import { type Doc, schedule } from '../store.js';
import type { FakeWorld } from '../world.js';
import { errorFields, restingFields } from './states.js';

/** Message of a missing server. */
export function serverMissing(id: string): string {
  return `Instance ${id} could not be found.`;
}

/** A server action. */
export interface Transition {
  /** Name used in messages and in `simulated_fail`. */
  op: string;
  /** Statuses the action accepts. */
  allowed: readonly string[];
  /** Status shown during the action (default: unchanged). */
  status?: string;
  /** `OS-EXT-STS:task_state` during the action. */
  task: string;
  /** Fields at the end of a successful action. */
  final(doc: Doc, at: number): Record<string, unknown>;
  /** Effects at the start of a successful action (may throw to refuse it). */
  start?(doc: Doc, at: number): void;
  /** Fields at the end of a failed action (default: ERROR with a fault). */
  failed?(doc: Doc, at: number): Record<string, unknown>;
  /** Whether the action may run on a locked server. */
  ignoresLock?: boolean;
}

/** Refuses actions on a locked server or one that is busy with another task. */
export function checkServerFree(doc: Doc, op: string, ignoresLock = false): void {
  const id = doc.r.id;
  if (!ignoresLock && doc.r.locked === true) throw conflict(`Instance ${id} is locked`);
  const task = doc.r['OS-EXT-STS:task_state'];
  if (task)
    throw conflict(`Cannot '${op}' instance ${id} while it is in task_state ${String(task)}`);
}

/** Whether `simulated_fail` of the server names `op`. */
export function serverFails(doc: Doc, op: string): boolean {
  return hintsFromMap(doc.r.metadata).fail.has(op);
}

/** Throws the failure of a synchronous action named in `simulated_fail`. */
export function failIfSimulated(doc: Doc, op: string): void {
  if (serverFails(doc, op))
    throw new CloudError(500, `Simulated failure of ${op} of server ${doc.r.id}.`);
}

/** Runs a server action; returns the server document as changed. */
export function runTransition(world: FakeWorld, id: string, t: Transition): Doc {
  return world.change(K.server, id, serverMissing(id), (doc) => {
    checkServerFree(doc, t.op, t.ignoresLock);
    const status = String(doc.r.status);
    if (!t.allowed.includes(status))
      throw conflict(
        `Cannot '${t.op}' instance ${id} while it is in vm_state ${String(doc.r['OS-EXT-STS:vm_state'])}`,
      );
    const hints = hintsFromMap(doc.r.metadata);
    const at = world.readyAt(hints);
    const fails = hints.fail.has(t.op);
    if (!fails) t.start?.(doc, at);
    const final = fails
      ? (t.failed?.(doc, at) ?? errorFields(at, `Simulated failure of ${t.op} of server ${id}.`))
      : t.final(doc, at);
    doc.r['OS-EXT-STS:task_state'] = t.task;
    if (t.status) doc.r.status = t.status;
    schedule(doc, { at, set: final });
    return doc;
  });
}

/** Final fields that bring a server back to `status`. */
export function backTo(status: string, at: number): Record<string, unknown> {
  return restingFields(status, at);
}
