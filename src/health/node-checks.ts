/**
 * The health of one node under the polling detection modes of its cluster's registration.
 *
 * NODE_STATUS_POLLING and HYPERVISOR_STATUS_POLLING ask the node's profile type: its
 * `healthCheck` when it has one, else (status polling only) its `check`, so every profile type
 * is really checked (upstream counted Heat and container nodes always healthy). A resource that
 * is gone is unhealthy; a check that fails otherwise cannot tell and counts as healthy.
 * NODE_STATUS_POLL_URL polls the node's URL (ACTIVE nodes only). The verdicts combine per
 * `recovery_conditional`; a node updated less than `node_update_timeout` ago is still healthy.
 */
import { EServerNotFound } from '../common/errors.js';
import { isPlainObject } from '../common/spec-schema/index.js';
import type { NodeRecord } from '../db/queries/nodes.js';
import { behaviourOf, loadProfile } from '../engine/node-ops.js';
import { nodeView, profileCallContext, profileView } from '../engine/profile-context.js';
import type { EngineServices } from '../engine/services.js';
import type { CheckPlan, DetectionMode } from './check-plan.js';
import { pollUrl } from './poll-url.js';
import type { Verdict } from './verdict.js';
import { combine, healthy, unhealthy } from './verdict.js';

/** Node statuses whose nodes are checked (others are being worked on). */
export const CHECKED_STATUSES: readonly string[] = ['ACTIVE', 'ERROR', 'WARNING'];

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The verdict of the node's profile type for a status or hypervisor polling mode. */
export async function profileVerdict(
  svc: EngineServices,
  node: NodeRecord,
  detection: string,
  signal: AbortSignal,
): Promise<Verdict> {
  try {
    const profile = profileView(await loadProfile(svc, node.profileId));
    const behaviour = behaviourOf(profile.type);
    const ctx = await profileCallContext(svc, node, profile, signal);
    let ok: boolean;
    if (behaviour.healthCheck) {
      ok = await behaviour.healthCheck(nodeView(node), profile, ctx, detection);
    } else if (detection === 'NODE_STATUS_POLLING') {
      ok = await behaviour.check(nodeView(node), profile, ctx);
    } else {
      return healthy(`${detection} does not apply to ${profile.type} nodes`);
    }
    if (ok) return healthy(`${detection}: healthy`);
    return unhealthy(
      detection === 'HYPERVISOR_STATUS_POLLING'
        ? 'the hypervisor of the node is down, disabled or missing'
        : 'the resource of the node is not healthy',
    );
  } catch (err) {
    if (err instanceof EServerNotFound) return unhealthy(message(err));
    return healthy(`${detection} could not check the node: ${message(err)}`, true);
  }
}

/** The first IPv4 address of a node's resource (its details' `addresses`), else any, else null. */
export async function nodeAddress(
  svc: EngineServices,
  node: NodeRecord,
  signal: AbortSignal,
): Promise<string | null> {
  const profile = profileView(await loadProfile(svc, node.profileId));
  const ctx = await profileCallContext(svc, node, profile, signal);
  const details = await behaviourOf(profile.type).details(nodeView(node), profile, ctx);
  const networks = isPlainObject(details.addresses) ? Object.values(details.addresses) : [];
  const found: { addr: string; version: unknown }[] = [];
  for (const list of networks) {
    for (const entry of Array.isArray(list) ? list : []) {
      if (isPlainObject(entry) && typeof entry.addr === 'string') {
        found.push({ addr: entry.addr, version: entry.version });
      }
    }
  }
  return (found.find((a) => a.version === 4 || !a.addr.includes(':')) ?? found[0])?.addr ?? null;
}

/**
 * The URL of a node: `{nodename}` (upstream), `{nodeid}` and `{nodeip}` (the node's first
 * address) are replaced. Null when `{nodeip}` is asked for and the node has no address.
 */
export async function expandPollUrl(
  template: string,
  node: NodeRecord,
  address: () => Promise<string | null>,
): Promise<string | null> {
  let url = template.replaceAll('{nodename}', node.name).replaceAll('{nodeid}', node.id);
  if (url.includes('{nodeip}')) {
    const ip = await address();
    if (!ip) return null;
    url = url.replaceAll('{nodeip}', ip.includes(':') ? `[${ip}]` : ip);
  }
  return url;
}

/** The verdict of a NODE_STATUS_POLL_URL mode. */
export async function urlVerdict(
  svc: EngineServices,
  node: NodeRecord,
  mode: DetectionMode,
  signal: AbortSignal,
): Promise<Verdict> {
  if (node.status !== 'ACTIVE') return healthy('the node is not ACTIVE: its URL is not polled');
  if (mode.pollUrl === '') return healthy('no poll_url is given', true);
  let url: string | null;
  try {
    url = await expandPollUrl(mode.pollUrl, node, () => nodeAddress(svc, node, signal));
  } catch (err) {
    return healthy(`the address of the node could not be read: ${message(err)}`, true);
  }
  if (url === null) {
    return mode.connErrorAsUnhealthy
      ? unhealthy('the node has no address to poll')
      : healthy('the node has no address to poll', true);
  }
  return pollUrl(mode, url, svc.config.DEFAULT.max_response_size, signal);
}

/** The verdict of one polling mode. */
export function modeVerdict(
  svc: EngineServices,
  node: NodeRecord,
  mode: DetectionMode,
  signal: AbortSignal,
): Promise<Verdict> {
  if (mode.type === 'NODE_STATUS_POLL_URL') return urlVerdict(svc, node, mode, signal);
  return profileVerdict(svc, node, mode.type, signal);
}

/** Whether a node was created or updated less than `seconds` before `now`. */
export function withinGracePeriod(
  node: Pick<NodeRecord, 'updatedAt' | 'initAt'>,
  now: Date,
  seconds: number,
): boolean {
  const last = node.updatedAt ?? node.initAt;
  return last !== null && now.getTime() - last.getTime() < seconds * 1000;
}

/**
 * The health of a node under the plan's polling modes, evaluated in order and stopping as soon
 * as the outcome is known (the first failure with ANY_FAILED, the first success with
 * ALL_FAILED). Returns the failing modes' types with the verdict.
 */
export async function nodeVerdict(
  svc: EngineServices,
  node: NodeRecord,
  plan: CheckPlan,
  signal: AbortSignal,
): Promise<Verdict & { readonly detection: string }> {
  const verdicts: Verdict[] = [];
  const failing: string[] = [];
  for (const mode of plan.polling) {
    const verdict = await modeVerdict(svc, node, mode, signal);
    verdicts.push(verdict);
    if (!verdict.healthy) failing.push(mode.type);
    if (plan.allFailed ? verdict.healthy : !verdict.healthy) break;
  }
  const combined = combine(verdicts, plan.allFailed);
  const detection = failing.join(',');
  if (!combined.healthy && withinGracePeriod(node, svc.now(), plan.nodeUpdateTimeout)) {
    return {
      ...healthy(
        `${combined.reason}, but the node was updated less than ${plan.nodeUpdateTimeout} s ago`,
      ),
      detection,
    };
  }
  return { ...combined, detection };
}
