/**
 * What the health policy does (engine contract §5.10, §9.2, §9.8): registers its cluster for
 * health management while attached, pauses health checking while actions change the cluster's
 * membership, and makes `cluster recover` / `node recover` without an operation recover nodes
 * the way the policy says.
 */
import { ActionCause } from '../common/constants.js';
import { parseResizeParams, type ResizeInputs } from '../common/scaling.js';
import type {
  PolicyActionView,
  PolicyBehaviour,
  PolicyBindingView,
  PolicyCheckResult,
  PolicyContext,
} from '../engine/contracts.js';
import { healthPolicyTypes } from './health.js';
import { createHealthGate, type HealthGate } from './health-behaviour-holds.js';
import {
  actionHealthData,
  applyPolicyRecovery,
  attachProblem,
  bindingDataOf,
  readHealthSettings,
  registrationOf,
} from './health-behaviour-settings.js';
import { envelopeOf, wrapPolicyData } from './policy-data.js';

const OK: PolicyCheckResult = { ok: true };

/** Cluster actions during which health checking is paused. */
const PAUSING_CLUSTER_ACTIONS: readonly string[] = [
  'CLUSTER_SCALE_IN',
  'CLUSTER_DEL_NODES',
  'CLUSTER_UPDATE',
  'CLUSTER_RECOVER',
  'CLUSTER_REPLACE_NODES',
];

const TARGETS = healthPolicyTypes[0]?.targets ?? [];

function typeNameOf(profileType: string): string {
  return profileType.replace(/-[^-]+$/, '');
}

/**
 * Whether a resize is going to delete nodes: a deletion already decided by an earlier policy,
 * else the resize inputs worked out against the cluster as it is now.
 */
async function resizeDeletes(
  action: PolicyActionView,
  ctx: PolicyContext,
): Promise<{ deletes: boolean } | { reason: string }> {
  if (action.data.deletion) return { deletes: true };
  const [cluster, members] = await Promise.all([ctx.cluster(), ctx.members()]);
  const plan = parseResizeParams(
    action.inputs as ResizeInputs,
    cluster,
    members.length,
    ctx.settings.maxNodesPerCluster,
  );
  if (!plan.ok) return { reason: plan.reason };
  return { deletes: plan.deletion !== undefined };
}

/** The health policy's behaviour, with its own gate for pausing checks. */
export function createHealthBehaviour(gate: HealthGate = createHealthGate()): PolicyBehaviour {
  const hold = (ctx: PolicyContext, binding: PolicyBindingView, action: PolicyActionView) =>
    gate.hold(ctx, binding.clusterId, {
      actionId: action.id,
      exclusive: action.action !== 'NODE_DELETE',
    });

  return {
    async attach(policy, enabled, ctx) {
      const settings = readHealthSettings(policy.properties);
      const cluster = await ctx.cluster();
      const problem = attachProblem(settings, typeNameOf(cluster.profileType));
      if (problem) return { ok: false, reason: problem };
      await ctx.health.register(registrationOf(settings, enabled));
      return {
        ok: true,
        data: wrapPolicyData(envelopeOf(policy.type), bindingDataOf(settings)),
      };
    },

    async detach(_policy, _binding, ctx) {
      await ctx.health.unregister();
      return OK;
    },

    async setEnabled(policy, binding, enabled, ctx) {
      if (await gate.reset(ctx, binding.clusterId, enabled)) return;
      // The registration went missing while the policy stayed attached: make it again.
      await ctx.health.register(registrationOf(readHealthSettings(policy.properties), enabled));
    },

    needCheck(when, action) {
      // Node actions reach policies only when users ask for them; an action derived from a
      // lifecycle hook is checked BEFORE but never AFTER, so it must not pause checking.
      if (action.action.startsWith('NODE_') && action.cause !== ActionCause.RPC) return false;
      if (when === 'BEFORE' && action.action === 'NODE_RECOVER') return true;
      return TARGETS.some(([w, a]) => w === when && a === action.action);
    },

    async preOp(policy, binding, action, ctx) {
      const settings = readHealthSettings(policy.properties);
      if (action.action === 'NODE_RECOVER') {
        applyPolicyRecovery(action.inputs, settings);
        return OK;
      }
      if (action.action === 'CLUSTER_RECOVER') applyPolicyRecovery(action.inputs, settings);
      if (PAUSING_CLUSTER_ACTIONS.includes(action.action) || action.action === 'NODE_DELETE') {
        await hold(ctx, binding, action);
        return OK;
      }
      if (action.action === 'CLUSTER_RESIZE') {
        const outcome = await resizeDeletes(action, ctx);
        if ('reason' in outcome) return { ok: false, reason: outcome.reason };
        if (outcome.deletes) {
          await hold(ctx, binding, action);
          return OK;
        }
      }
      action.data.health = actionHealthData(settings);
      return OK;
    },

    async postOp(_policy, binding, action, ctx) {
      if (
        PAUSING_CLUSTER_ACTIONS.includes(action.action) ||
        action.action === 'NODE_DELETE' ||
        action.action === 'CLUSTER_RESIZE'
      ) {
        await gate.release(ctx, binding.clusterId, {
          actionId: action.id,
          exclusive: action.action !== 'NODE_DELETE',
        });
      }
      return OK;
    },
  };
}

/** The behaviour of `senlin.policy.health` (all versions). */
export const healthBehaviour: PolicyBehaviour = createHealthBehaviour();
