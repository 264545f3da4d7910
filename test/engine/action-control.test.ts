import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCluster } from '../../src/db/queries/clusters.js';
import { getNode, listClusterNodes } from '../../src/db/queries/nodes.js';
import type { Engine } from '../../src/engine/engine.js';
import { signalAction } from '../../src/engine/signals.js';
import { openFresh, testDialects } from '../db/dialects.js';
import {
  createOrphanNode,
  createProfile,
  novaSpec,
  request,
  requestClusterCreate,
} from '../support/clusters.js';
import { startEngine, testServices, waitForAction } from '../support/engine.js';

const dialects = await testDialects();

describe.each(dialects)('failures, timeouts and signals on $name', (dialect) => {
  let svc: ReturnType<typeof testServices>;
  let engine: Engine;

  beforeAll(async () => {
    svc = testServices(await openFresh(dialect));
    engine = await startEngine(svc);
  });
  afterAll(async () => {
    await engine?.stop();
    await svc?.backend.close();
  });

  const nodesOf = (clusterId: string) => svc.db.retry((k) => listClusterNodes(k, clusterId));

  it('fails a cluster whose servers cannot be created, with the reason on the nodes', async () => {
    const broken = await createProfile(svc, novaSpec({ simulated_fail: 'create' }));
    const { clusterId, actionId } = await requestClusterCreate(svc, broken, { desiredCapacity: 2 });
    const action = await waitForAction(svc.db, actionId);
    expect(action.status).toBe('FAILED');
    expect(action.statusReason).toBe('Failed in creating nodes.');
    const nodes = await nodesOf(clusterId);
    expect(nodes).toHaveLength(2);
    expect(nodes.every((n) => n.status === 'ERROR')).toBe(true);
    expect(nodes[0]?.statusReason).toMatch(/Failed in creating server/);
    const cluster = await svc.db.retry((k) => getCluster(k, clusterId));
    expect(cluster?.status).toBe('WARNING');
    expect(cluster?.statusReason).toBe(
      'CLUSTER_CREATE: number of active nodes is below desired_capacity (2).',
    );
    // Nothing stays locked: the cluster can be deleted, with its broken nodes.
    const del = await waitForAction(svc.db, await request(svc, 'CLUSTER_DELETE', clusterId));
    expect(del.status, del.statusReason).toBe('SUCCEEDED');
  });

  it('times out a cluster action whose nodes take longer than its timeout', async () => {
    const slow = await createProfile(svc, novaSpec({ simulated_wait_time: '5' }));
    const { actionId } = await requestClusterCreate(svc, slow, { desiredCapacity: 1, timeout: 1 });
    const action = await waitForAction(svc.db, actionId);
    expect(action.status).toBe('FAILED');
    expect(action.statusReason).toMatch(/^CLUSTER_CREATE \[[0-9a-f]{8}\] timeout$/);
  });

  it('times out a node action on its own timeout', async () => {
    const slow = await createProfile(svc, novaSpec({ simulated_wait_time: '5' }));
    const nodeId = await createOrphanNode(svc, slow);
    const create = await waitForAction(
      svc.db,
      await request(svc, 'NODE_CREATE', nodeId, {}, { timeout: 1 }),
    );
    expect(create.status).toBe('FAILED');
    expect(create.statusReason).toMatch(/^NODE_CREATE \[[0-9a-f]{8}\] timeout$/);
    const node = await svc.db.retry((k) => getNode(k, nodeId));
    expect(node?.status).toBe('ERROR');
    // The server that was being built is not lost: deleting the node removes it.
    const del = await waitForAction(svc.db, await request(svc, 'NODE_DELETE', nodeId));
    expect(del.status, del.statusReason).toBe('SUCCEEDED');
    const servers = await svc.backend.listAllServers();
    expect(
      servers.filter((s) => (s.metadata as Record<string, string>)?.cluster_node_id === nodeId),
    ).toEqual([]);
  });

  it('cancels a running cluster action and its unfinished children', async () => {
    const slow = await createProfile(svc, novaSpec({ simulated_wait_time: '3' }));
    const { clusterId, actionId } = await requestClusterCreate(svc, slow, { desiredCapacity: 3 });
    await waitForAction(svc.db, actionId, ['WAITING']);
    await signalAction(svc, actionId, 'CANCELLED', false);
    const action = await waitForAction(svc.db, actionId);
    expect(action.status).toBe('CANCELLED');
    const del = await waitForAction(svc.db, await request(svc, 'CLUSTER_DELETE', clusterId));
    expect(del.status, del.statusReason).toBe('SUCCEEDED');
  });

  it('evaluates the cluster status after a cancelled scale-out, as upstream does', async () => {
    const fast = await createProfile(svc, novaSpec());
    const { clusterId, actionId } = await requestClusterCreate(svc, fast, { desiredCapacity: 1 });
    expect((await waitForAction(svc.db, actionId)).status).toBe('SUCCEEDED');
    const slow = await createProfile(svc, novaSpec({ simulated_wait_time: '3' }));
    await svc.db.retry((k) =>
      k.updateTable('cluster').set({ profile_id: slow }).where('id', '=', clusterId).execute(),
    );
    const scale = await request(svc, 'CLUSTER_SCALE_OUT', clusterId, { count: 1 });
    await waitForAction(svc.db, scale, ['WAITING']);
    await signalAction(svc, scale, 'CANCELLED', false);
    expect((await waitForAction(svc.db, scale)).status).toBe('CANCELLED');
    const cluster = await svc.db.retry((k) => getCluster(k, clusterId));
    expect(cluster?.status).toBe('WARNING');
    expect(cluster?.statusReason).toBe(
      'CLUSTER_SCALE_OUT: number of active nodes is below desired_capacity (2).',
    );
    const del = await waitForAction(svc.db, await request(svc, 'CLUSTER_DELETE', clusterId));
    expect(del.status, del.statusReason).toBe('SUCCEEDED');
  });

  it('pauses a cluster action without starting more children and resumes it', async () => {
    const profile = await createProfile(svc, novaSpec({ simulated_wait_time: '1' }));
    const { clusterId, actionId } = await requestClusterCreate(svc, profile, {
      desiredCapacity: 0,
    });
    await waitForAction(svc.db, actionId);
    const scale = await request(svc, 'CLUSTER_SCALE_OUT', clusterId, { count: 4 });
    await signalAction(svc, scale, 'SUSPENDED', false);
    const suspended = await waitForAction(svc.db, scale, ['SUSPENDED']);
    expect(suspended.status).toBe('SUSPENDED');
    await new Promise((r) => setTimeout(r, 300));
    expect((await waitForAction(svc.db, scale, ['SUSPENDED'])).status).toBe('SUSPENDED');
    await signalAction(svc, scale, 'RESUMED', false);
    const done = await waitForAction(svc.db, scale);
    expect(done.status, done.statusReason).toBe('SUCCEEDED');
    expect(await nodesOf(clusterId)).toHaveLength(4);
  });
});
