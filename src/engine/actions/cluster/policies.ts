/**
 * CLUSTER_ATTACH_POLICY, CLUSTER_DETACH_POLICY, CLUSTER_UPDATE_POLICY (engine contract
 * §3.11.12–3.11.14), with what each policy type does when attached, detached, enabled or
 * disabled (its behaviour).
 */
import { newId } from '../../../common/ids.js';
import { toDbBool, toDbJson } from '../../../db/codec.js';
import type { ClusterRecord } from '../../../db/queries/clusters.js';
import { policyBehaviours, policyTypes } from '../../../policies/index.js';
import type { ActionResult, Execution } from '../../execution.js';
import { error, ok } from '../../execution.js';
import { loadProfile } from '../../node-ops.js';
import { boundPolicies, policyView } from '../../policy-check.js';
import { policyContext } from '../../policy-context.js';
import { clusterAction } from '../wrappers.js';

function baseName(type: string): string {
  return type.replace(/-[^-]+$/, '');
}

/** The version part of `<type>-<version>` as numbers (`1.10` after `1.9`). */
function versionParts(type: string): number[] {
  return (type.match(/-([^-]+)$/)?.[1] ?? '0').split('.').map(Number);
}

/** True when `type` is the same profile type as `listed`, at its version or a later one. */
function laterVersionOf(type: string, listed: string): boolean {
  if (baseName(type) !== baseName(listed) || baseName(listed) === listed) return false;
  const [a, b] = [versionParts(type), versionParts(listed)];
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}

/**
 * Whether a policy type may be bound to a cluster of this profile type. A policy made for a
 * profile type version also takes its later versions (`os.nova.server-1.1` extends 1.0).
 */
function applicable(policyType: string, profileType: string): boolean {
  const allowed = policyTypes.get(policyType)?.profileTypes ?? ['ANY'];
  return (
    allowed.includes('ANY') ||
    allowed.includes(profileType) ||
    allowed.includes(baseName(profileType)) ||
    allowed.some((listed) => laterVersionOf(profileType, listed))
  );
}

async function attach(x: Execution, cluster: ClusterRecord): Promise<ActionResult> {
  const { svc } = x;
  const policyId = String(x.action.inputs.policy_id ?? '');
  const enabled = x.action.inputs.enabled !== false;
  const row = await svc.db.retry((k) =>
    k.selectFrom('policy').selectAll().where('id', '=', policyId).executeTakeFirst(),
  );
  if (!row) return error(`The policy '${policyId}' could not be found.`);
  const type = row.type ?? '';
  const bound = await boundPolicies(x, cluster.id, false);
  if (bound.some((b) => b.binding.policyId === policyId)) return ok('Policy already attached.');
  const same = bound.find((b) => baseName(b.binding.type) === baseName(type));
  if (policyTypes.get(type)?.singleton && same) {
    return error(
      `Only one instance of policy type (${baseName(type)}) can be attached to a cluster, but another instance (${same.binding.policyId}) is found attached to the cluster (${cluster.id}) already.`,
    );
  }
  const profileType = (await loadProfile(svc, cluster.profileId)).type ?? '';
  if (!applicable(type, profileType))
    return error(`Policy not applicable on profile type: ${profileType}`);
  const policy = policyView(
    row.id,
    row.name ?? '',
    type,
    row.spec ? (JSON.parse(row.spec) as Record<string, unknown>) : {},
  );
  const behaviour = policyBehaviours.get(type);
  let data: Record<string, unknown> = {};
  if (behaviour?.attach) {
    const result = await behaviour.attach(
      policy,
      enabled,
      policyContext(svc, cluster.id, x.signal),
    );
    if (!result.ok) return error(result.reason ?? 'Failed in attaching policy.');
    data = result.data ?? {};
  }
  await svc.db.retry((k) =>
    k
      .insertInto('cluster_policy')
      .values({
        id: newId(),
        cluster_id: cluster.id,
        policy_id: policyId,
        priority: policyTypes.get(type)?.priority ?? 0,
        enabled: toDbBool(enabled),
        data: toDbJson(data),
        last_op: null,
      })
      .execute(),
  );
  return ok('Policy attached.');
}

/** Detaches one bound policy (its behaviour cleans up); a failure reason, or null. */
export async function detachBound(
  x: Execution,
  cluster: ClusterRecord,
  policyId: string,
): Promise<string | null> {
  const entry = (await boundPolicies(x, cluster.id, false)).find(
    (b) => b.binding.policyId === policyId,
  );
  if (!entry) return 'Policy not attached.';
  const behaviour = policyBehaviours.get(entry.binding.type);
  if (behaviour?.detach) {
    const result = await behaviour.detach(
      entry.policy,
      entry.binding,
      policyContext(x.svc, cluster.id, x.signal),
    );
    if (!result.ok) return result.reason ?? 'Failed in detaching policy.';
  }
  await x.svc.db.retry((k) =>
    k.deleteFrom('cluster_policy').where('id', '=', entry.binding.bindingId).execute(),
  );
  return null;
}

/** Detaches every policy of a cluster before it is deleted; the failure reason, or null. */
export async function detachAll(x: Execution, cluster: ClusterRecord): Promise<string | null> {
  for (const { binding } of await boundPolicies(x, cluster.id, false)) {
    if ((await detachBound(x, cluster, binding.policyId)) !== null) {
      return `Unable to detach policy ${binding.bindingId} before deletion.`;
    }
  }
  return null;
}

/** CLUSTER_ATTACH_POLICY */
export const clusterAttachPolicy = clusterAction(attach);

/** CLUSTER_DETACH_POLICY */
export const clusterDetachPolicy = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const failure = await detachBound(x, cluster, String(x.action.inputs.policy_id ?? ''));
  return failure === null ? ok('Policy detached.') : error(failure);
});

/** CLUSTER_UPDATE_POLICY */
export const clusterUpdatePolicy = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const policyId = String(x.action.inputs.policy_id ?? '');
  const entry = (await boundPolicies(x, cluster.id, false)).find(
    (b) => b.binding.policyId === policyId,
  );
  if (!entry) return error('Policy not attached.');
  const enabled = x.action.inputs.enabled;
  if (typeof enabled !== 'boolean') return ok('No update is needed.');
  if (entry.binding.enabled !== enabled) {
    const behaviour = policyBehaviours.get(entry.binding.type);
    await behaviour?.setEnabled?.(
      entry.policy,
      entry.binding,
      enabled,
      policyContext(x.svc, cluster.id, x.signal),
    );
    await x.svc.db.retry((k) =>
      k
        .updateTable('cluster_policy')
        .set({ enabled: toDbBool(enabled) })
        .where('id', '=', entry.binding.bindingId)
        .execute(),
    );
  }
  return ok('Policy updated.');
});
