/**
 * The default policy rules: exactly upstream Senlin's registered rules (names and check
 * strings), each with our own one-line description and the requests it guards. A rule that is
 * not listed here (such as `actions:create`) is not registered and therefore denies.
 */

/** One registered rule. */
export interface DefaultRule {
  readonly name: string;
  /** oslo.policy check string. */
  readonly check: string;
  readonly description: string;
  /** `METHOD /path` of the requests the rule guards; empty for base rules. */
  readonly operations: readonly string[];
}

const rule = (
  name: string,
  check: string,
  description: string,
  ...operations: string[]
): DefaultRule =>
  Object.freeze({ name, check, description, operations: Object.freeze(operations) });

/** Every registered rule, in the order of the sample policy file. */
export const DEFAULT_RULES: readonly DefaultRule[] = Object.freeze([
  rule('context_is_admin', 'role:admin', 'Who counts as an administrator (sees every project).'),
  rule('deny_everybody', '!', 'A rule no one passes; point other rules at it to disable them.'),
  rule('build_info:build_info', '', 'Show build information.', 'GET /v1/build-info'),
  rule('profile_types:index', '', 'List profile types.', 'GET /v1/profile-types'),
  rule('profile_types:get', '', 'Show a profile type.', 'GET /v1/profile-types/{type_name}'),
  rule(
    'profile_types:ops',
    '',
    'List the operations of a profile type.',
    'GET /v1/profile-types/{type_name}/ops',
  ),
  rule('profiles:index', '', 'List profiles.', 'GET /v1/profiles'),
  rule('profiles:create', '', 'Create a profile.', 'POST /v1/profiles'),
  rule('profiles:get', '', 'Show a profile.', 'GET /v1/profiles/{profile_id}'),
  rule('profiles:delete', '', 'Delete a profile.', 'DELETE /v1/profiles/{profile_id}'),
  rule('profiles:update', '', 'Update a profile.', 'PATCH /v1/profiles/{profile_id}'),
  rule('profiles:validate', '', 'Validate a profile spec.', 'POST /v1/profiles/validate'),
  rule('policy_types:index', '', 'List policy types.', 'GET /v1/policy-types'),
  rule('policy_types:get', '', 'Show a policy type.', 'GET /v1/policy-types/{type_name}'),
  rule('policies:index', '', 'List policies.', 'GET /v1/policies'),
  rule('policies:create', '', 'Create a policy.', 'POST /v1/policies'),
  rule('policies:get', '', 'Show a policy.', 'GET /v1/policies/{policy_id}'),
  rule('policies:update', '', 'Update a policy.', 'PATCH /v1/policies/{policy_id}'),
  rule('policies:delete', '', 'Delete a policy.', 'DELETE /v1/policies/{policy_id}'),
  rule('policies:validate', '', 'Validate a policy spec.', 'POST /v1/policies/validate'),
  rule('clusters:index', '', 'List clusters.', 'GET /v1/clusters'),
  rule('clusters:create', '', 'Create a cluster.', 'POST /v1/clusters'),
  rule('clusters:delete', '', 'Delete a cluster.', 'DELETE /v1/clusters/{cluster_id}'),
  rule('clusters:get', '', 'Show a cluster.', 'GET /v1/clusters/{cluster_id}'),
  rule(
    'clusters:action',
    '',
    'Run an action on a cluster (resize, scale, add or remove nodes, attach or detach policies, check, recover, ...).',
    'POST /v1/clusters/{cluster_id}/actions',
  ),
  rule('clusters:update', '', 'Update a cluster.', 'PATCH /v1/clusters/{cluster_id}'),
  rule(
    'clusters:collect',
    '',
    'Collect an attribute of all nodes of a cluster.',
    'GET /v1/clusters/{cluster_id}/attrs/{path}',
  ),
  rule(
    'clusters:operation',
    '',
    'Run a profile operation on the nodes of a cluster.',
    'POST /v1/clusters/{cluster_id}/ops',
  ),
  rule(
    'cluster_policies:index',
    '',
    'List the policies attached to a cluster.',
    'GET /v1/clusters/{cluster_id}/policies',
  ),
  rule(
    'cluster_policies:attach',
    '',
    'Attach a policy to a cluster (defined for compatibility; attaching is governed by clusters:action).',
  ),
  rule(
    'cluster_policies:detach',
    '',
    'Detach a policy from a cluster (defined for compatibility; detaching is governed by clusters:action).',
  ),
  rule(
    'cluster_policies:update',
    '',
    'Update a policy binding (defined for compatibility; updating is governed by clusters:action).',
  ),
  rule(
    'cluster_policies:get',
    '',
    'Show a policy attached to a cluster.',
    'GET /v1/clusters/{cluster_id}/policies/{policy_id}',
  ),
  rule('nodes:index', '', 'List nodes.', 'GET /v1/nodes'),
  rule('nodes:create', '', 'Create a node.', 'POST /v1/nodes'),
  rule('nodes:adopt', '', 'Adopt an existing resource as a node.', 'POST /v1/nodes/adopt'),
  rule(
    'nodes:adopt_preview',
    '',
    'Preview the profile a node adoption would create.',
    'POST /v1/nodes/adopt-preview',
  ),
  rule('nodes:get', '', 'Show a node.', 'GET /v1/nodes/{node_id}'),
  rule(
    'nodes:action',
    '',
    'Run an action (check, recover) on a node.',
    'POST /v1/nodes/{node_id}/actions',
  ),
  rule('nodes:update', '', 'Update a node.', 'PATCH /v1/nodes/{node_id}'),
  rule('nodes:delete', '', 'Delete a node.', 'DELETE /v1/nodes/{node_id}'),
  rule('nodes:operation', '', 'Run a profile operation on a node.', 'POST /v1/nodes/{node_id}/ops'),
  rule('receivers:index', '', 'List receivers.', 'GET /v1/receivers'),
  rule('receivers:create', '', 'Create a receiver.', 'POST /v1/receivers'),
  rule('receivers:get', '', 'Show a receiver.', 'GET /v1/receivers/{receiver_id}'),
  rule('receivers:update', '', 'Update a receiver.', 'PATCH /v1/receivers/{receiver_id}'),
  rule('receivers:delete', '', 'Delete a receiver.', 'DELETE /v1/receivers/{receiver_id}'),
  rule(
    'receivers:notify',
    '',
    'Tell a message receiver to process its queued messages.',
    'POST /v1/receivers/{receiver_id}/notify',
  ),
  rule(
    'webhooks:trigger',
    '',
    'Trigger a webhook receiver (checked for the identity of the receiver owner).',
    'POST /v1/webhooks/{webhook_id}/trigger',
  ),
  rule('actions:index', '', 'List actions.', 'GET /v1/actions'),
  rule('actions:get', '', 'Show an action.', 'GET /v1/actions/{action_id}'),
  rule('actions:update', '', 'Cancel an action.', 'PATCH /v1/actions/{action_id}'),
  rule('events:index', '', 'List events.', 'GET /v1/events'),
  rule('events:get', '', 'Show an event.', 'GET /v1/events/{event_id}'),
  rule('services:index', 'role:admin', 'List the senlin-ts service processes.', 'GET /v1/services'),
]);

/** The default rules as a name → check string map. */
export function defaultRuleMap(): Record<string, string> {
  return Object.fromEntries(DEFAULT_RULES.map((r) => [r.name, r.check]));
}
