/** CLUSTER_CREATE, CLUSTER_DELETE and CLUSTER_UPDATE (engine contract §3.11.1–3.11.3). */
import { deleteClusterRows, updateCluster } from '../../../db/queries/clusters.js';
import { listClusterNodeIds } from '../../../db/queries/nodes.js';
import { decodeReceiver } from '../../../db/queries/receivers.js';
import { evalClusterStatus, setClusterStatus } from '../../cluster-status.js';
import type { ActionResult } from '../../execution.js';
import { error, ok } from '../../execution.js';
import { releaseMessageChannel } from '../../receiver-channel.js';
import { short } from '../../services.js';
import { clusterAction } from '../wrappers.js';
import { createMembers, deleteMembers, nodeChild } from './members.js';
import { detachAll } from './policies.js';

/** CLUSTER_CREATE */
export const clusterCreate = clusterAction(async (x, cluster): Promise<ActionResult> => {
  if (cluster.status !== 'INIT') return error(`Cluster is in status ${cluster.status}, not INIT.`);
  await setClusterStatus(x.svc, cluster.id, 'CREATING', 'Creation in progress');
  const result = await createMembers(x, cluster, cluster.desiredCapacity ?? 0);
  if (result.code !== 'OK') {
    await evalClusterStatus(x.svc, cluster.id, 'CLUSTER_CREATE');
    return result;
  }
  await evalClusterStatus(x.svc, cluster.id, 'CLUSTER_CREATE', { createdAt: x.svc.now() });
  return ok('Cluster creation succeeded.');
});

/** CLUSTER_DELETE */
export const clusterDelete = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc } = x;
  const detachFailure = await detachAll(x, cluster);
  if (detachFailure !== null) return error(detachFailure);
  // Receivers of the cluster go with it; message receivers also release their Zaqar queue
  // (upstream left the queues behind: engine contract §17 item 20).
  const receivers = await svc.db.retry(async (k) =>
    (await k.selectFrom('receiver').selectAll().where('cluster_id', '=', cluster.id).execute()).map(
      decodeReceiver,
    ),
  );
  for (const receiver of receivers) {
    if (receiver.type !== 'message') continue;
    await releaseMessageChannel(svc, receiver).catch((err: unknown) =>
      svc.logger.warn(
        { err, receiver: receiver.id },
        'could not release the queue of a message receiver',
      ),
    );
  }
  await svc.db.retry((k) =>
    k.deleteFrom('receiver').where('cluster_id', '=', cluster.id).execute(),
  );
  await setClusterStatus(svc, cluster.id, 'DELETING', 'Deletion in progress.');
  x.action.data.deletion = {
    ...((x.action.data.deletion ?? {}) as object),
    destroy_after_deletion: true,
  };
  const nodeIds = await svc.db.retry((k) => listClusterNodeIds(k, cluster.id));
  const result = await deleteMembers(x, cluster, nodeIds);
  if (result.code !== 'OK') {
    await evalClusterStatus(svc, cluster.id, 'CLUSTER_DELETE');
    return result;
  }
  await svc.db.transaction((trx) => deleteClusterRows(trx, cluster.id));
  return ok('Cluster deletion succeeded.');
});

/** CLUSTER_UPDATE */
export const clusterUpdate = clusterAction(async (x, cluster): Promise<ActionResult> => {
  const { svc } = x;
  const inputs = x.action.inputs;
  await setClusterStatus(svc, cluster.id, 'UPDATING', 'Update in progress');
  const changes: Parameters<typeof updateCluster>[2] = {};
  if ('config' in inputs) {
    const config = (inputs.config ?? {}) as Record<string, unknown>;
    const stop = config['cluster.stop_timeout_before_update'];
    if (stop !== undefined && !Number.isInteger(Number(stop))) {
      await evalClusterStatus(svc, cluster.id, 'CLUSTER_UPDATE');
      return error(`Invalid value '${String(stop)}' of cluster.stop_timeout_before_update.`);
    }
    changes.config = { ...cluster.config, ...config };
  }
  if (typeof inputs.name === 'string') changes.name = inputs.name;
  if ('metadata' in inputs) changes.metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
  if ('timeout' in inputs)
    changes.timeout = Number(inputs.timeout ?? svc.config.DEFAULT.default_action_timeout);
  await svc.db.retry((k) => updateCluster(k, cluster.id, changes));
  const newProfileId = typeof inputs.new_profile_id === 'string' ? inputs.new_profile_id : null;
  if (!newProfileId) {
    await evalClusterStatus(svc, cluster.id, 'CLUSTER_UPDATE', { updatedAt: svc.now() });
    return ok('Cluster update completed.');
  }
  if (inputs.profile_only === true) {
    await evalClusterStatus(svc, cluster.id, 'CLUSTER_UPDATE', {
      profileId: newProfileId,
      updatedAt: svc.now(),
    });
    return ok('Cluster update completed.');
  }
  const update = (x.action.data.update ?? null) as {
    plan?: string[][];
    pause_time?: number;
  } | null;
  const nodeIds = await svc.db.retry((k) => listClusterNodeIds(k, cluster.id));
  const plan = update?.plan ?? [nodeIds];
  const pause = Number(update?.pause_time ?? 0);
  const nodeInputs = { ...(changes.config ?? cluster.config), new_profile_id: newProfileId };
  for (const [i, batch] of plan.entries()) {
    const children = [...batch]
      .sort()
      .map((id) =>
        nodeChild(x, 'NODE_UPDATE', id, cluster.id, `node_update_${short(id)}`, nodeInputs),
      );
    const result = await x.runChildren(children);
    if (result.code !== 'OK') {
      await evalClusterStatus(svc, cluster.id, 'CLUSTER_UPDATE');
      return result.code === 'ERROR' ? error('Failed in updating nodes.') : result;
    }
    if (pause > 0 && i < plan.length - 1) await x.sleep(pause);
  }
  await evalClusterStatus(svc, cluster.id, 'CLUSTER_UPDATE', {
    profileId: newProfileId,
    updatedAt: svc.now(),
  });
  return ok('Cluster update completed.');
});
