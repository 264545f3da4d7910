/**
 * Policy checks around actions: the enabled policies bound to a cluster, in priority order,
 * look at an action before it runs (and may stop it) and after it ran. The check result is
 * written to `data.status`/`data.reason` as upstream does.
 */
import { fromDbBool, fromDbJson, fromDbTime } from '../db/codec.js';
import { parsePolicySpec, policyBehaviours, policyTypes } from '../policies/index.js';
import type { PolicyBindingView, PolicyContext, PolicyView } from './contracts.js';
import type { Execution } from './execution.js';
import { policyContext } from './policy-context.js';

/** A binding with its policy. */
export interface BoundPolicy {
  readonly binding: PolicyBindingView;
  readonly policy: PolicyView;
}

/** The resolved view of a stored policy. */
export function policyView(
  id: string,
  name: string,
  type: string,
  spec: Record<string, unknown>,
): PolicyView {
  let properties: Record<string, unknown>;
  try {
    properties = parsePolicySpec(spec, { policyName: name }).properties;
  } catch {
    properties = ((spec as { properties?: Record<string, unknown> }).properties ?? {}) as Record<
      string,
      unknown
    >;
  }
  return { id, name, type, properties };
}

/** The bindings of a cluster with their policies, by priority (all, or only enabled ones). */
export async function boundPolicies(
  x: Pick<Execution, 'svc'>,
  clusterId: string,
  onlyEnabled = true,
): Promise<BoundPolicy[]> {
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
    .filter((r) => !onlyEnabled || fromDbBool(r.enabled) !== false)
    .map((r) => {
      const spec = fromDbJson<Record<string, unknown>>(r.spec) ?? {};
      return {
        binding: {
          bindingId: r.binding_id,
          clusterId,
          policyId: r.policy_id,
          policyName: r.policy_name ?? '',
          type: r.type ?? '',
          spec,
          enabled: fromDbBool(r.enabled) !== false,
          priority: r.priority ?? 0,
          data: fromDbJson<Record<string, unknown>>(r.data) ?? {},
          lastOp: fromDbTime(r.last_op),
        },
        policy: policyView(r.policy_id, r.policy_name ?? '', r.type ?? '', spec),
      };
    });
}

function targets(type: string): readonly (readonly [string, string])[] {
  return policyTypes.get(type)?.targets ?? [];
}

/** Runs the BEFORE or AFTER checks; false (with `data.reason`) when a policy failed. */
export async function checkPolicies(
  x: Execution,
  clusterId: string,
  when: 'BEFORE' | 'AFTER',
  signal: AbortSignal = x.signal,
): Promise<boolean> {
  const { action } = x;
  action.data.status = 'NONE';
  action.data.reason = '';
  let ctx: PolicyContext | null = null;
  for (const { binding, policy } of await boundPolicies(x, clusterId)) {
    const behaviour = policyBehaviours.get(binding.type);
    if (!behaviour) continue;
    action.inputs.last_op = binding.lastOp ? binding.lastOp.toISOString() : null;
    const wanted = behaviour.needCheck
      ? behaviour.needCheck(when, action, binding)
      : targets(binding.type).some(([w, a]) => w === when && a === action.action);
    if (!wanted) continue;
    const hook = when === 'BEFORE' ? behaviour.preOp : behaviour.postOp;
    if (!hook) continue;
    ctx ??= policyContext(x.svc, clusterId, signal);
    const result = await hook.call(behaviour, policy, binding, action, ctx);
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
