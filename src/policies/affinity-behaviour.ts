/**
 * What the affinity policy (`senlin.policy.affinity`, engine contract §5.7) does: at attach it
 * finds or makes the Nova server group of the cluster, at detach it deletes the group it made,
 * and before nodes are created it places them in that group (and zone) through
 * `data.placement`, which the Nova profile turns into `scheduler_hints.group`.
 */
import { InvalidSpec } from '../common/errors.js';
import { randomName } from '../common/ids.js';
import type { ResizeInputs } from '../common/scaling.js';
import { parseResizeParams } from '../common/scaling.js';
import { isPlainObject, isTruthy } from '../common/spec-schema/index.js';
import type { CloudDrivers, ComputeDriver, Resource } from '../drivers/types.js';
import { CloudNotFound } from '../drivers/types.js';
import type {
  PolicyActionView,
  PolicyAttachResult,
  PolicyBehaviour,
  PolicyBindingView,
  PolicyCheckResult,
  PolicyContext,
  PolicyView,
} from '../engine/contracts.js';
import { envelopeOf, readBindingData, wrapPolicyData } from './policy-data.js';

/** Where one new node goes. */
export interface PlacementEntry {
  servergroup: string;
  zone?: string;
  [key: string]: unknown;
}

/** A positive integer from a number or a string of digits, else null. */
function positiveCount(value: unknown): number | null {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
}

/** Hypervisor names taken for vSphere DRS hosts (upstream's pattern). */
const DRS_HOST = /^.*drs*/i;

/** Checks that the availability zone of the spec (if any) is available in Nova. */
export async function validateAffinityWithCloud(
  properties: Readonly<Record<string, unknown>>,
  drivers: CloudDrivers,
): Promise<void> {
  const zone = properties.availability_zone;
  if (!isTruthy(zone)) return;
  const zones = await drivers.compute.availabilityZones();
  if (!zones.some((z) => z.available && z.zoneName === zone)) {
    throw new InvalidSpec(`The specified availability_zone '${String(zone)}' could not be found.`);
  }
}

function groupSpec(policy: PolicyView): { name: string | null; policy: string } {
  const group = isPlainObject(policy.properties.servergroup) ? policy.properties.servergroup : {};
  return {
    name: isTruthy(group.name) ? String(group.name) : null,
    policy: isTruthy(group.policies) ? String(group.policies) : 'anti-affinity',
  };
}

function groupPolicy(group: Resource): string {
  if (typeof group.policy === 'string') return group.policy;
  return Array.isArray(group.policies) ? String(group.policies[0] ?? '') : '';
}

async function profileGroupName(ctx: PolicyContext): Promise<string | null> {
  const cluster = await ctx.cluster();
  const profile = await ctx.profile(cluster.profileId);
  const hints = profile.properties.scheduler_hints;
  return isPlainObject(hints) && isTruthy(hints.group) ? String(hints.group) : null;
}

/** Attach: inherit the server group named by the spec or the profile, or make one. */
async function attach(
  policy: PolicyView,
  _enabled: boolean,
  ctx: PolicyContext,
): Promise<PolicyAttachResult> {
  const spec = groupSpec(policy);
  const compute = (await ctx.drivers()).compute;
  const name = spec.name ?? (await profileGroupName(ctx));
  const data: Record<string, unknown> = { inherited_group: false };
  if (name) {
    let found: Resource | null;
    try {
      found = await compute.findServerGroup(name);
    } catch {
      return { ok: false, reason: `Failed in retrieving servergroup '${name}'.` };
    }
    if (found) {
      const existing = groupPolicy(found);
      if (existing !== spec.policy) {
        return {
          ok: false,
          reason: `Policies specified (${spec.policy}) doesn't match that of the existing servergroup (${existing}).`,
        };
      }
      data.servergroup_id = found.id;
      data.inherited_group = true;
    }
  }
  if (data.inherited_group !== true) {
    try {
      const made = await compute.createServerGroup(
        name ?? `server_group_${randomName(8)}`,
        spec.policy,
      );
      data.servergroup_id = made.id;
    } catch {
      return { ok: false, reason: 'Failed in creating servergroup.' };
    }
  }
  return { ok: true, data: wrapPolicyData(envelopeOf(policy.type), data) };
}

/** Detach: delete the server group unless it was inherited. */
async function detach(
  _policy: PolicyView,
  binding: PolicyBindingView,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const data = readBindingData(binding);
  const groupId = data?.servergroup_id;
  if (isTruthy(groupId) && data?.inherited_group !== true) {
    try {
      await (await ctx.drivers()).compute.deleteServerGroup(String(groupId));
    } catch (err) {
      if (!(err instanceof CloudNotFound))
        return { ok: false, reason: 'Failed in deleting servergroup.' };
    }
  }
  return { ok: true, reason: 'Servergroup resource deletion succeeded.' };
}

/** How many nodes the action creates (null: none, or the action will fail anyway). */
async function creationCount(action: PolicyActionView, ctx: PolicyContext): Promise<number | null> {
  const creation = action.data.creation;
  if (isPlainObject(creation)) return positiveCount(creation.count ?? 1);
  if (action.action === 'CLUSTER_SCALE_OUT') return positiveCount(action.inputs.count ?? 1);
  if (action.action === 'NODE_CREATE') return 1;
  if (action.action !== 'CLUSTER_RESIZE' || isPlainObject(action.data.deletion)) return null;
  const cluster = await ctx.cluster();
  const current = (await ctx.members()).length;
  const plan = parseResizeParams(
    action.inputs as ResizeInputs,
    cluster,
    current,
    ctx.settings.maxNodesPerCluster,
  );
  return plan.ok && plan.creation ? plan.creation.count : null;
}

/**
 * `data.placement` with `entry` merged into each of `count` placements: entries another
 * policy (zone or region placement) wrote already keep their keys; they get the server group,
 * and the zone when they have none (a DRS host zone always wins).
 */
export function mergePlacement(
  existing: unknown,
  count: number,
  entry: PlacementEntry,
  forceZone = false,
): { count: number; placements: PlacementEntry[] } {
  const prior =
    isPlainObject(existing) && Array.isArray(existing.placements) ? existing.placements : [];
  const placements = Array.from({ length: count }, (_, m) => {
    const before = isPlainObject(prior[m]) ? prior[m] : {};
    const merged: PlacementEntry = { ...before, servergroup: entry.servergroup };
    if (entry.zone !== undefined && (forceZone || !isTruthy(before.zone))) merged.zone = entry.zone;
    return merged;
  });
  return { count, placements };
}

/** The zone of a vSphere DRS host (`<zone>:<host>`), or null when there is none. */
async function drsZone(compute: ComputeDriver, zone: string): Promise<string | null> {
  const hypervisors = await compute.listHypervisors();
  const drs = hypervisors.find((h) => DRS_HOST.test(String(h.hypervisor_hostname ?? '')));
  if (!drs) return null;
  const info = await compute.getHypervisor(drs.id);
  const service = isPlainObject(info.service) ? info.service : {};
  return `${zone}:${String(service.host ?? info.hypervisor_hostname ?? '')}`;
}

/** Before nodes are created: place them in the server group (and zone). */
async function preOp(
  policy: PolicyView,
  binding: PolicyBindingView,
  action: PolicyActionView,
  ctx: PolicyContext,
): Promise<PolicyCheckResult> {
  const count = await creationCount(action, ctx);
  if (count === null) return { ok: true };
  const data = readBindingData(binding);
  if (!data || !isTruthy(data.servergroup_id)) {
    return { ok: false, reason: 'The server group of the policy is unknown.' };
  }
  const drs = policy.properties.enable_drs_extension === true;
  const specZone = isTruthy(policy.properties.availability_zone)
    ? String(policy.properties.availability_zone)
    : null;
  const entry: PlacementEntry = { servergroup: String(data.servergroup_id) };
  if (drs) {
    const zone = await drsZone((await ctx.drivers()).compute, specZone ?? 'nova');
    if (!zone) return { ok: false, reason: 'No suitable vSphere host is available.' };
    entry.zone = zone;
  } else if (specZone) {
    entry.zone = specZone;
  }
  action.data.placement = mergePlacement(action.data.placement, count, entry, drs);
  return { ok: true };
}

/** The behaviour of `senlin.policy.affinity`. */
export const affinityBehaviour: PolicyBehaviour = {
  attach,
  detach,
  preOp,
  validateWithCloud: validateAffinityWithCloud,
};
