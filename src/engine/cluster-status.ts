/** Cluster status: set during actions, re-evaluated from the nodes when they end. */

import type { ClusterValues } from '../db/queries/clusters.js';
import { getCluster, updateCluster } from '../db/queries/clusters.js';
import type { EngineServices } from './services.js';

/**
 * Sets a cluster's status; ACTIVE after CREATING also sets `created_at`, ACTIVE after UPDATING
 * or RESIZING sets `updated_at`, as upstream does.
 */
export async function setClusterStatus(
  svc: EngineServices,
  clusterId: string,
  status: string,
  reason: string,
  extra: ClusterValues = {},
): Promise<void> {
  await svc.db.retry(async (k) => {
    const cluster = await getCluster(k, clusterId);
    if (!cluster) return;
    const values: ClusterValues = { ...extra, status, statusReason: reason };
    if (status === 'ACTIVE' && cluster.status === 'CREATING' && extra.createdAt === undefined)
      values.createdAt = svc.now();
    if (
      status === 'ACTIVE' &&
      ['UPDATING', 'RESIZING'].includes(cluster.status) &&
      extra.updatedAt === undefined
    ) {
      values.updatedAt = svc.now();
    }
    await updateCluster(k, clusterId, values);
  });
}

/**
 * Re-evaluates a cluster's status from its ACTIVE nodes against min_size, desired_capacity and
 * max_size (taken from `extra` when given), and writes it with `extra`.
 */
export async function evalClusterStatus(
  svc: EngineServices,
  clusterId: string,
  operation: string,
  extra: ClusterValues = {},
): Promise<void> {
  await svc.db.retry(async (k) => {
    const cluster = await getCluster(k, clusterId);
    if (!cluster) return;
    const row = await k
      .selectFrom('node')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('cluster_id', '=', clusterId)
      .where('status', '=', 'ACTIVE')
      .executeTakeFirst();
    const active = Number(row?.n ?? 0);
    const desired =
      extra.desiredCapacity !== undefined
        ? (extra.desiredCapacity ?? 0)
        : (cluster.desiredCapacity ?? 0);
    const min = extra.minSize ?? cluster.minSize;
    const max = extra.maxSize ?? cluster.maxSize;
    let status: string;
    let reason: string;
    if (active < min) {
      status = 'ERROR';
      reason = `${operation}: number of active nodes is below min_size (${min}).`;
    } else if (active < desired) {
      status = 'WARNING';
      reason = `${operation}: number of active nodes is below desired_capacity (${desired}).`;
    } else if (max < 0 || active <= max) {
      status = 'ACTIVE';
      reason = `${operation}: number of active nodes is equal or above desired_capacity (${desired}).`;
    } else {
      status = 'WARNING';
      reason = `${operation}: number of active nodes is above max_size (${max}).`;
    }
    const values: ClusterValues = { ...extra, status, statusReason: reason };
    if (status === 'ACTIVE' && cluster.status === 'CREATING' && extra.createdAt === undefined)
      values.createdAt = svc.now();
    if (
      status === 'ACTIVE' &&
      ['UPDATING', 'RESIZING'].includes(cluster.status) &&
      extra.updatedAt === undefined
    ) {
      values.updatedAt = svc.now();
    }
    await updateCluster(k, clusterId, values);
  });
}
