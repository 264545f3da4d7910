/**
 * Policy checks around actions: the enabled policies bound to a cluster, in priority order,
 * look at an action before it runs (and may stop it) and after it ran. Policy types that have
 * no behaviour yet are skipped. The check result is written to `data.status`/`data.reason` as
 * upstream does.
 */
import { fromDbBool, fromDbJson, fromDbTime } from '../db/codec.js';
import { policyTypes } from '../policies/index.js';
import type { PolicyBehaviour, PolicyBindingView } from './contracts.js';
import type { Execution } from './execution.js';

/** Behaviour of policy types, registered by the policies package. */
const behaviours = new Map<string, PolicyBehaviour>();

/** Registers what a policy type does (by `<type>-<version>`). */
export function registerPolicyBehaviour(typeName: string, behaviour: PolicyBehaviour): void {
  behaviours.set(typeName, behaviour);
}

/** The enabled bindings of a cluster, by priority. */
export async function enabledBindings(
  x: Execution,
  clusterId: string,
): Promise<PolicyBindingView[]> {
  const rows = await x.svc.db.retry((k) =>
    k
      .selectFrom('cluster_policy')
      .innerJoin('policy', 'policy.id', 'cluster_policy.policy_id')
      .select([
        'cluster_policy.id as binding_id',
        'cluster_policy.enabled',
        'cluster_policy.priority',
        'cluster_policy.data',
        'cluster_policy.last_op',
        'policy.id as policy_id',
        'policy.name as policy_name',
        'policy.type',
        'policy.spec',
      ])
      .where('cluster_policy.cluster_id', '=', clusterId)
      .orderBy('cluster_policy.priority')
      .orderBy('cluster_policy.id')
      .execute(),
  );
  return rows
    .filter((r) => fromDbBool(r.enabled) !== false)
    .map((r) => ({
      bindingId: r.binding_id,
      clusterId,
      policyId: r.policy_id,
      policyName: r.policy_name ?? '',
      type: r.type ?? '',
      spec: fromDbJson<Record<string, unknown>>(r.spec) ?? {},
      enabled: true,
      priority: r.priority ?? 0,
      data: fromDbJson<Record<string, unknown>>(r.data) ?? {},
      lastOp: fromDbTime(r.last_op),
    }));
}

function targets(type: string): readonly (readonly [string, string])[] {
  return policyTypes.get(type)?.targets ?? [];
}

/** Runs the BEFORE or AFTER checks; false (with `data.reason`) when a policy failed. */
export async function checkPolicies(
  x: Execution,
  clusterId: string,
  when: 'BEFORE' | 'AFTER',
): Promise<boolean> {
  const { action } = x;
  action.data.status = 'NONE';
  action.data.reason = '';
  for (const binding of await enabledBindings(x, clusterId)) {
    const behaviour = behaviours.get(binding.type);
    if (!behaviour) continue;
    action.inputs.last_op = binding.lastOp ? binding.lastOp.toISOString() : null;
    const wanted = behaviour.needCheck
      ? behaviour.needCheck(when, action, binding)
      : targets(binding.type).some(([w, a]) => w === when && a === action.action);
    if (!wanted) continue;
    const hook = when === 'BEFORE' ? behaviour.preOp : behaviour.postOp;
    if (!hook) continue;
    const result = await hook(binding, action, x.svc);
    if (!result.ok) {
      action.data.status = 'ERROR';
      action.data.reason = `Failed policy '${binding.policyName}': ${result.reason ?? ''}`;
      return false;
    }
  }
  action.data.status = 'OK';
  action.data.reason = 'Completed policy checking.';
  return true;
}
