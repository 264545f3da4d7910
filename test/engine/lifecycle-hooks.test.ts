import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listClusterNodes } from '../../src/db/queries/nodes.js';
import type { PostedMessages } from '../../src/drivers/fake/index.js';
import type { Engine } from '../../src/engine/engine.js';
import { openFresh, testDialects } from '../db/dialects.js';
import { createProfile, request, requestClusterCreate } from '../support/clusters.js';
import { startEngine, testServices, waitForAction } from '../support/engine.js';

const dialects = (await testDialects()).filter((d) => d.name === 'sqlite');

describe.each(dialects)('deleting nodes through lifecycle hooks on $name', (dialect) => {
  let svc: ReturnType<typeof testServices>;
  let engine: Engine;
  let profileId: string;
  const posted: PostedMessages[] = [];

  beforeAll(async () => {
    svc = testServices(await openFresh(dialect));
    engine = await startEngine(svc);
    profileId = await createProfile(svc);
    svc.backend.onMessagesPosted((e) => posted.push(e));
  });
  afterAll(async () => {
    await engine?.stop();
    await svc?.backend.close();
  });

  it('waits for the lifecycle to be completed with the posted token, then deletes the node', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 2,
    });
    await waitForAction(svc.db, actionId);
    const [victim] = await svc.db.retry((k) => listClusterNodes(k, clusterId));
    const del = await request(
      svc,
      'CLUSTER_DEL_NODES',
      clusterId,
      { candidates: [victim?.id] },
      {
        data: {
          hooks: { type: 'zaqar', params: { queue: 'drain-q' }, timeout: 60 },
          deletion: { destroy_after_deletion: true },
        },
      },
    );
    const child = await waitForAction(
      svc.db,
      await until(async () => {
        const row = await svc.db.kysely
          .selectFrom('action')
          .select('id')
          .where('target', '=', victim?.id ?? '')
          .where('action', '=', 'NODE_DELETE')
          .executeTakeFirst();
        return row?.id;
      }),
      ['WAITING_LIFECYCLE_COMPLETION'],
    );
    expect(child.cause).toBe('Derived Action with Lifecycle Hook');
    const message = posted.find((p) => p.queue === 'drain-q')?.messages[0]?.body as Record<
      string,
      unknown
    >;
    expect(message).toEqual({
      lifecycle_action_token: child.id,
      node_id: victim?.id,
      resource_id: victim?.physicalId,
      lifecycle_transition_type: 'termination',
    });
    // The node stays while the lifecycle is not completed.
    await new Promise((r) => setTimeout(r, 300));
    expect((await svc.db.retry((k) => listClusterNodes(k, clusterId))).map((n) => n.id)).toContain(
      victim?.id,
    );
    // complete_lifecycle: the conductor makes the waiting action READY again.
    await svc.db.kysely
      .updateTable('action')
      .set({ status: 'READY', owner: null })
      .where('id', '=', child.id)
      .execute();
    svc.bus.ready();
    const done = await waitForAction(svc.db, del);
    expect(done.status, done.statusReason).toBe('SUCCEEDED');
    expect(
      (await svc.db.retry((k) => listClusterNodes(k, clusterId))).map((n) => n.id),
    ).not.toContain(victim?.id);
  });

  it('goes on without the user once the hook times out', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 1,
    });
    await waitForAction(svc.db, actionId);
    const [victim] = await svc.db.retry((k) => listClusterNodes(k, clusterId));
    const del = await request(
      svc,
      'CLUSTER_DEL_NODES',
      clusterId,
      { candidates: [victim?.id] },
      {
        data: {
          hooks: { type: 'zaqar', params: { queue: 'drain-t' }, timeout: 1 },
          deletion: { destroy_after_deletion: true },
        },
      },
    );
    const done = await waitForAction(svc.db, del);
    expect(done.status, done.statusReason).toBe('SUCCEEDED');
    expect(await svc.db.retry((k) => listClusterNodes(k, clusterId))).toEqual([]);
  });

  it('refuses hook types other than zaqar', async () => {
    const { clusterId, actionId } = await requestClusterCreate(svc, profileId, {
      desiredCapacity: 1,
    });
    await waitForAction(svc.db, actionId);
    const [victim] = await svc.db.retry((k) => listClusterNodes(k, clusterId));
    const del = await request(
      svc,
      'CLUSTER_DEL_NODES',
      clusterId,
      { candidates: [victim?.id] },
      {
        data: { hooks: { type: 'webhook', params: { url: 'http://127.0.0.1:1/' }, timeout: 1 } },
      },
    );
    const done = await waitForAction(svc.db, del);
    expect(done.status).toBe('FAILED');
    expect(done.statusReason).toContain("Lifecycle hook type 'webhook' is not implemented");
  });
});

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('timed out');
}
