/** Server statuses of the fake Nova and the vm_state/power_state that go with them. */
import { isoZ } from '../common.js';

/** Nova power states. */
export const POWER = { NOSTATE: 0, RUNNING: 1, PAUSED: 3, SHUTDOWN: 4, CRASHED: 6 } as const;

const STABLE: Readonly<Record<string, readonly [string, number]>> = {
  ACTIVE: ['active', POWER.RUNNING],
  BUILD: ['building', POWER.NOSTATE],
  SHUTOFF: ['stopped', POWER.SHUTDOWN],
  PAUSED: ['paused', POWER.PAUSED],
  SUSPENDED: ['suspended', POWER.SHUTDOWN],
  RESCUE: ['rescued', POWER.RUNNING],
  VERIFY_RESIZE: ['resized', POWER.RUNNING],
  ERROR: ['error', POWER.NOSTATE],
  SHELVED_OFFLOADED: ['shelved_offloaded', POWER.SHUTDOWN],
  DELETED: ['deleted', POWER.NOSTATE],
  SOFT_DELETED: ['soft-delete', POWER.NOSTATE],
};

/** The fields of a server that rests in `status` (no task running). */
export function restingFields(status: string, ms: number): Record<string, unknown> {
  const [vmState, power] = STABLE[status] ?? [status.toLowerCase(), POWER.NOSTATE];
  return {
    status,
    'OS-EXT-STS:vm_state': vmState,
    'OS-EXT-STS:power_state': power,
    'OS-EXT-STS:task_state': null,
    updated: isoZ(ms),
  };
}

/** The fields of a server in ERROR with a fault. */
export function errorFields(ms: number, message: string, code = 500): Record<string, unknown> {
  return {
    ...restingFields('ERROR', ms),
    fault: { code, message, created: isoZ(ms) },
  };
}
