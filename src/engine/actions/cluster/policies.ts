/**
 * CLUSTER_ATTACH_POLICY, CLUSTER_DETACH_POLICY, CLUSTER_UPDATE_POLICY (engine contract
 * §3.11.12–3.11.14): the binding rows. What each policy type does when attached or detached is
 * added by the policies package.
 */
import { newId } from '../../../common/ids.js';
import { fromDbBool, toDbBool, toDbJson } from '../../../db/codec.js';
import { policyTypes } from '../../../policies/index.js';
import type { ActionResult } from '../../execution.js';
import { error, ok } from '../../execution.js';
import { clusterAction } from '../wrappers.js';

function baseName(type: string): string {
  return type.replace(/-[^-]+$/, '');
}

/** CLUSTER_ATTACH_POLICY */
export const clusterAttachPolicy = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const policyId = String(x.action.inputs.policy_id ?? '');
  const enabled = x.action.inputs.enabled !== false;
  return x.svc.db.transaction(async (trx) => {
    const policy = await trx
      .selectFrom('policy')
      .selectAll()
      .where('id', '=', policyId)
      .executeTakeFirst();
    if (!policy) return error(`The policy '${policyId}' could not be found.`);
    const bound = await trx
      .selectFrom('cluster_policy')
      .innerJoin('policy', 'policy.id', 'cluster_policy.policy_id')
      .select(['cluster_policy.policy_id', 'policy.type'])
      .where('cluster_policy.cluster_id', '=', cluster.id)
      .execute();
    if (bound.some((b) => b.policy_id === policyId)) return ok('Policy already attached.');
    const type = policyTypes.get(policy.type ?? '');
    if (
      type?.singleton &&
      bound.some((b) => baseName(b.type ?? '') === baseName(policy.type ?? ''))
    ) {
      return error(
        `Only one instance of policy type (${baseName(policy.type ?? '')}) can be attached to a cluster, but another instance (${bound.find((b) => baseName(b.type ?? '') === baseName(policy.type ?? ''))?.policy_id}) is found attached to the cluster (${cluster.id}) already.`,
      );
    }
    await trx
      .insertInto('cluster_policy')
      .values({
        id: newId(),
        cluster_id: cluster.id,
        policy_id: policyId,
        priority: type?.priority ?? 0,
        enabled: toDbBool(enabled),
        data: toDbJson({}),
        last_op: null,
      })
      .execute();
    return ok('Policy attached.');
  });
});

/** CLUSTER_DETACH_POLICY */
export const clusterDetachPolicy = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const policyId = String(x.action.inputs.policy_id ?? '');
  const res = await x.svc.db.retry((k) =>
    k
      .deleteFrom('cluster_policy')
      .where('cluster_id', '=', cluster.id)
      .where('policy_id', '=', policyId)
      .executeTakeFirst(),
  );
  return Number(res.numDeletedRows) > 0 ? ok('Policy detached.') : error('Policy not attached.');
});

/** CLUSTER_UPDATE_POLICY */
export const clusterUpdatePolicy = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const policyId = String(x.action.inputs.policy_id ?? '');
  const binding = await x.svc.db.retry((k) =>
    k
      .selectFrom('cluster_policy')
      .selectAll()
      .where('cluster_id', '=', cluster.id)
      .where('policy_id', '=', policyId)
      .executeTakeFirst(),
  );
  if (!binding) return error('Policy not attached.');
  if (typeof x.action.inputs.enabled !== 'boolean') return ok('No update is needed.');
  if (fromDbBool(binding.enabled) !== x.action.inputs.enabled) {
    await x.svc.db.retry((k) =>
      k
        .updateTable('cluster_policy')
        .set({ enabled: toDbBool(x.action.inputs.enabled as boolean) })
        .where('id', '=', binding.id)
        .execute(),
    );
  }
  return ok('Policy updated.');
});
