/**
 * Objects of one Keystone project, made through the API with a member's token: a profile, a
 * scaling policy, an ACTIVE cluster with one member and the policy attached, an orphan node,
 * a webhook receiver, and the actions and events all that produced.
 */
import { expect } from 'vitest';
import { NOVA_SPEC, SCALING_SPEC } from '../api/harness.js';
import { waitForAction } from '../support/engine.js';
import type { Answer, KeystoneApi } from './keystone-api.js';
import type { IssuedToken } from './keystone-env.js';

/** What a project owns. */
export interface ProjectObjects {
  owner: IssuedToken;
  profile: string;
  policy: string;
  cluster: string;
  clusterName: string;
  member: string;
  orphan: string;
  receiver: string;
  receiverName: string;
  alarmUrl: string;
  /** Actions of the project (cluster create, policy attach, orphan node create). */
  actions: string[];
  event: string;
}

/** The action id of a 202 answer. */
export function actionOf(res: Answer): string {
  expect(res.status, JSON.stringify(res.data)).toBe(202);
  return String(res.headers.location).split('/actions/')[1] ?? '';
}

/** Waits until the action of a 202 answer succeeds; returns its id. */
export async function succeeds(api: KeystoneApi, res: Answer): Promise<string> {
  const id = actionOf(res);
  const action = await waitForAction(api.db, id);
  expect(action.status, action.statusReason).toBe('SUCCEEDED');
  return id;
}

/** Makes the objects of `owner`'s project; names are prefixed with `tag`. */
export async function makeProjectObjects(
  api: KeystoneApi,
  owner: IssuedToken,
  tag: string,
): Promise<ProjectObjects> {
  const send = (method: string, url: string, body?: unknown) =>
    api.send(method, url, owner.token, body === undefined ? {} : { body });
  const profile = await send('POST', '/v1/profiles', {
    profile: { name: `${tag}-profile`, spec: NOVA_SPEC },
  });
  expect(profile.status, JSON.stringify(profile.data)).toBe(201);
  const policy = await send('POST', '/v1/policies', {
    policy: { name: `${tag}-policy`, spec: SCALING_SPEC },
  });
  expect(policy.status, JSON.stringify(policy.data)).toBe(201);
  const clusterName = `${tag}-cluster`;
  const created = await send('POST', '/v1/clusters', {
    cluster: { name: clusterName, profile_id: profile.data.profile.id, desired_capacity: 1 },
  });
  const clusterAction = await succeeds(api, created);
  const cluster = created.data.cluster.id as string;
  const attach = await succeeds(
    api,
    await send('POST', `/v1/clusters/${cluster}/actions`, {
      policy_attach: { policy_id: policy.data.policy.id, enabled: true },
    }),
  );
  const shown = await send('GET', `/v1/clusters/${cluster}`);
  const orphan = await send('POST', '/v1/nodes', {
    node: { name: `${tag}-orphan`, profile_id: profile.data.profile.id },
  });
  const orphanAction = await succeeds(api, orphan);
  const receiverName = `${tag}-webhook`;
  const receiver = await send('POST', '/v1/receivers', {
    receiver: {
      name: receiverName,
      type: 'webhook',
      cluster_id: cluster,
      action: 'CLUSTER_SCALE_OUT',
      params: { count: 1 },
    },
  });
  expect(receiver.status, JSON.stringify(receiver.data)).toBe(201);
  const events = await send('GET', `/v1/events?cluster_id=${cluster}`);
  expect(events.data.events.length).toBeGreaterThan(0);
  return {
    owner,
    profile: profile.data.profile.id,
    policy: policy.data.policy.id,
    cluster,
    clusterName,
    member: shown.data.cluster.nodes[0],
    orphan: orphan.data.node.id,
    receiver: receiver.data.receiver.id,
    receiverName,
    alarmUrl: receiver.data.receiver.channel.alarm_url,
    actions: [clusterAction, attach, orphanAction],
    event: events.data.events[0].id,
  };
}

/** The path and query of a webhook's alarm URL. */
export function triggerPath(alarmUrl: string): string {
  const url = new URL(alarmUrl);
  return `${url.pathname}${url.search}`;
}
