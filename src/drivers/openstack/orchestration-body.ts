/** Request bodies and wait rules of the Heat driver. */
import { CloudNotFound, type Resource } from '../types.js';

/** Heat's message for a stack it does not know. */
export function stackNotFound(nameOrId: string): CloudNotFound {
  return new CloudNotFound(`The Stack (${nameOrId}) could not be found.`);
}

/**
 * The body Heat takes for a create, preview or (PATCH) update: `timeout` is accepted for
 * `timeout_mins`, tag lists become Heat's comma-separated string, unset values are left out
 * (in a PATCH they keep their current value) and an update never renames the stack.
 */
export function heatStackBody(
  body: Readonly<Record<string, unknown>>,
  options: { update?: boolean } = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    if (key === 'timeout') {
      if (body.timeout_mins === undefined || body.timeout_mins === null) out.timeout_mins = value;
      continue;
    }
    if (key === 'stack_name' && options.update) continue;
    out[key] = key === 'tags' && Array.isArray(value) ? value.map(String).join(',') : value;
  }
  return out;
}

/** Stack actions whose failure or rollback ends a wait for another status of the same action. */
const ROLLS_BACK = new Set(['CREATE', 'UPDATE']);

/**
 * Statuses that end a wait for `target` with a failure: the caller's, `<ACTION>_FAILED` of the
 * awaited action and, for create and update, the rollback's outcome. Failures of other actions
 * are left out on purpose: right after a request Heat may still show the previous action's
 * final status for a moment.
 */
export function stackFailureStatuses(target: string, failures: readonly string[] = []): string[] {
  const action = target.replace(/_(COMPLETE|FAILED|IN_PROGRESS)$/, '');
  const out = new Set(failures);
  if (`${action}_FAILED` !== target) out.add(`${action}_FAILED`);
  if (ROLLS_BACK.has(action)) {
    out.add('ROLLBACK_FAILED');
    out.add('ROLLBACK_COMPLETE');
  }
  out.delete(target);
  return [...out];
}

/** The `stack_status` of a stack. */
export function stackStatus(stack: Resource): string {
  return String(stack.stack_status ?? '');
}

/** Heat's reason for the status of a stack, when it gives one. */
export function stackReason(stack: Resource): string | null {
  const reason = stack.stack_status_reason;
  return typeof reason === 'string' && reason !== '' ? reason : null;
}

/** True for a stack Heat has deleted (it still shows those by id). */
export function isDeleted(stack: Resource): boolean {
  return stack.stack_status === 'DELETE_COMPLETE' || Boolean(stack.deletion_time);
}
