import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionConflict, ResourceIsLocked } from '../../src/common/errors.js';
import { getCluster } from '../../src/db/queries/clusters.js';
import { listClusterNodes } from '../../src/db/queries/nodes.js';
import type { Engine } from '../../src/engine/engine.js';
import { openFresh, testDialects } from '../db/dialects.js';
import { createProfile, novaSpec, request, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testServices, waitForAction } from '../support/engine.js';

const dialects = await testDialects();

describe.each(dialects)('cluster lifecycle on $name', (dialect) => {
  let svc: ReturnType<typeof testServices>;
  let engine: Engine;
  let profileId: string;

  beforeAll(async () => {
    svc = testServices(await openFresh(dialect));
    engine = await startEngine(svc);
    profileId = await createProfile(svc);
  });
  afterAll(async () => {
    await engine?.stop();
    await svc?.backend.close();
  });

  const servers = async () => (await svc.backend.listAllServers()).map((s) => s.id).sort();
  const nodesOf = (clusterId: string) => svc.db.retry((k) => listClusterNodes(k, clusterId));
  const clusterOf = async (clusterId: string) => {
    const c = await svc.db.retry((k) => getCluster(k, clusterId));
    if (!c) throw new Error('cluster gone');
    return c;
  };

  it('creates every node of a new cluster with a server of its own', async () => {
    const before = await servers();
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 5,
      config: { 'node.name.format': 'web-$2I' },
    });
    const action = await waitForAction(svc.db, actionId);
    expect(action.status, action.statusReason).toBe('SUCCEEDED');
    expect(action.statusReason).toBe('Action completed successfully.');
    expect(action.outputs.nodes_added).toHaveLength(5);
    const cluster = await clusterOf(clusterId);
    expect(cluster).toMatchObject({ status: 'ACTIVE', desiredCapacity: 5, nextIndex: 6 });
    expect(cluster.statusReason).toBe(
      'CLUSTER_CREATE: number of active nodes is equal or above desired_capacity (5).',
    );
    expect(cluster.createdAt).toBeInstanceOf(Date);
    const nodes = await nodesOf(clusterId);
    expect(nodes.map((n) => n.name)).toEqual(['web-01', 'web-02', 'web-03', 'web-04', 'web-05']);
    expect(nodes.every((n) => n.status === 'ACTIVE' && n.physicalId)).toBe(true);
    const created = (await servers()).filter((id) => !before.includes(id));
    expect(created.sort()).toEqual(nodes.map((n) => n.physicalId).sort());
  });

  it('scales out and in, and desired capacity follows only the requests', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 2,
      maxSize: 5,
    });
    await waitForAction(svc.db, actionId);
    const out = await waitForAction(
      svc.db,
      await request(svc, 'CLUSTER_SCALE_OUT', clusterId, { count: 2 }),
    );
    expect(out.status, out.statusReason).toBe('SUCCEEDED');
    expect(await nodesOf(clusterId)).toHaveLength(4);
    expect((await clusterOf(clusterId)).desiredCapacity).toBe(4);
    const tooMany = await waitForAction(
      svc.db,
      await request(svc, 'CLUSTER_SCALE_OUT', clusterId, { count: 2 }),
    );
    expect(tooMany.status).toBe('FAILED');
    expect(tooMany.statusReason).toBe(
      "The target capacity (6) is greater than the cluster's max_size (5).",
    );
    expect((await clusterOf(clusterId)).desiredCapacity).toBe(4);
    const scaleIn = await waitForAction(
      svc.db,
      await request(svc, 'CLUSTER_SCALE_IN', clusterId, { count: 3 }),
    );
    expect(scaleIn.status, scaleIn.statusReason).toBe('SUCCEEDED');
    expect(await nodesOf(clusterId)).toHaveLength(1);
    expect(await clusterOf(clusterId)).toMatchObject({ desiredCapacity: 1, status: 'ACTIVE' });
  });

  it('resizes by exact capacity, change and percentage', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 4,
    });
    await waitForAction(svc.db, actionId);
    const exact = await waitForAction(
      svc.db,
      await request(svc, 'CLUSTER_RESIZE', clusterId, {
        adjustment_type: 'EXACT_CAPACITY',
        number: 6,
        strict: true,
      }),
    );
    expect(exact.status, exact.statusReason).toBe('SUCCEEDED');
    expect(await nodesOf(clusterId)).toHaveLength(6);
    const change = await waitForAction(
      svc.db,
      await request(svc, 'CLUSTER_RESIZE', clusterId, {
        adjustment_type: 'CHANGE_IN_CAPACITY',
        number: -2,
        strict: true,
      }),
    );
    expect(change.status).toBe('SUCCEEDED');
    expect(await nodesOf(clusterId)).toHaveLength(4);
    const pct = await waitForAction(
      svc.db,
      await request(svc, 'CLUSTER_RESIZE', clusterId, {
        adjustment_type: 'CHANGE_IN_PERCENTAGE',
        number: 10,
        strict: true,
      }),
    );
    expect(pct.status).toBe('SUCCEEDED');
    // 10 % of 4 nodes is 0.4, which rounds up to one node.
    expect(await nodesOf(clusterId)).toHaveLength(5);
    expect((await clusterOf(clusterId)).desiredCapacity).toBe(5);
  });

  it('deletes a cluster with all its servers', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 3,
    });
    await waitForAction(svc.db, actionId);
    const physical = (await nodesOf(clusterId)).map((n) => n.physicalId);
    const del = await waitForAction(svc.db, await request(svc, 'CLUSTER_DELETE', clusterId));
    expect(del.status, del.statusReason).toBe('SUCCEEDED');
    expect(await svc.db.retry((k) => getCluster(k, clusterId))).toBeUndefined();
    expect(await nodesOf(clusterId)).toEqual([]);
    const left = await servers();
    expect(physical.filter((id) => id && left.includes(id))).toEqual([]);
  });

  it('refuses a second request while a cluster is locked or busy', async () => {
    const slow = await createProfile(svc, novaSpec({ simulated_wait_time: '2' }));
    const { clusterId, actionId } = await requestClusterCreate(svc, slow, { desiredCapacity: 1 });
    await waitForAction(svc.db, actionId, ['WAITING']);
    await expect(request(svc, 'CLUSTER_SCALE_OUT', clusterId)).rejects.toBeInstanceOf(
      ResourceIsLocked,
    );
    await expect(request(svc, 'CLUSTER_SCALE_OUT', clusterId)).rejects.toThrow(
      `CLUSTER_SCALE_OUT for cluster '${clusterId}' cannot be completed because it is already locked.`,
    );
    await waitForAction(svc.db, actionId);
    const check = await request(svc, 'CLUSTER_CHECK', clusterId);
    // Queued (ActionConflict) or already running (ResourceIsLocked): either way a 409.
    await expect(request(svc, 'CLUSTER_SCALE_IN', clusterId)).rejects.toSatisfy(
      (e) => e instanceof ActionConflict || e instanceof ResourceIsLocked,
    );
    expect((await waitForAction(svc.db, check)).status).toBe('SUCCEEDED');
  });
});
