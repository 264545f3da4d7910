/** Wire shape of actions. */
import type { ApiVersion } from '../../common/api-version.js';
import { isoZ } from '../../common/time.js';
import type { ActionInfo } from '../../conductor/actions.js';

/** Microversion from which actions show `cluster_id`. */
export const ACTION_CLUSTER_ID_VERSION = '1.14';

/** An action as the API returns it: start/end as epoch seconds, `cluster_id` from 1.14. */
export function actionView(a: ActionInfo, version: ApiVersion): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    ...(version.atLeast(ACTION_CLUSTER_ID_VERSION) ? { cluster_id: a.clusterId } : {}),
    action: a.action,
    target: a.target,
    cause: a.cause,
    owner: a.owner,
    interval: a.interval,
    start_time: a.startTime,
    end_time: a.endTime,
    timeout: a.timeout,
    status: a.status,
    status_reason: a.statusReason,
    inputs: a.inputs,
    outputs: a.outputs,
    depends_on: a.dependsOn,
    depended_by: a.dependedBy,
    created_at: isoZ(a.createdAt),
    updated_at: isoZ(a.updatedAt),
    data: a.data,
    user: a.user,
    project: a.project,
  };
}
