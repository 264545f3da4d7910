/** Creating profiles, clusters and requests directly, the way the conductor does. */
import { RequestContext } from '../../src/common/context.js';
import { newId } from '../../src/common/ids.js';
import type { ClusterRecord } from '../../src/db/queries/clusters.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import { insertNode } from '../../src/db/queries/nodes.js';
import { insertProfile } from '../../src/db/queries/profiles.js';
import { actionContext, createAction } from '../../src/engine/action-create.js';
import type { EngineServices } from '../../src/engine/services.js';

/** The caller of test requests. */
export const CTX = new RequestContext({ userId: 'u1', projectId: 'p1', roles: ['member'] });

/** A Nova server profile spec (the fake cloud knows this flavor, image and network). */
export function novaSpec(metadata: Record<string, string> = {}): Record<string, unknown> {
  return {
    type: 'os.nova.server',
    version: '1.0',
    properties: {
      flavor: 'm1.tiny',
      image: 'cirros-0.4.0-x86_64-disk',
      networks: [{ network: 'private' }],
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    },
  };
}

/** Stores a profile; returns its id. */
export async function createProfile(
  svc: EngineServices,
  spec: Record<string, unknown> = novaSpec(),
): Promise<string> {
  const id = newId();
  await svc.db.retry((k) =>
    insertProfile(k, {
      id,
      name: `prof-${id.slice(0, 6)}`,
      type: `${String(spec.type)}-${String(spec.version)}`,
      context: {},
      spec,
      user: 'u1',
      project: 'p1',
      domain: null,
      metadata: {},
      createdAt: svc.now(),
      updatedAt: null,
    }),
  );
  return id;
}

/** Stores a cluster and its CLUSTER_CREATE request; returns both ids. */
export async function requestClusterCreate(
  svc: EngineServices,
  profileId: string,
  options: Partial<
    Pick<ClusterRecord, 'desiredCapacity' | 'minSize' | 'maxSize' | 'timeout' | 'config' | 'name'>
  > = {},
): Promise<{ clusterId: string; actionId: string }> {
  const clusterId = newId();
  const now = svc.now();
  const cluster: ClusterRecord = {
    id: clusterId,
    name: options.name ?? `c-${clusterId.slice(0, 6)}`,
    profileId,
    user: 'u1',
    project: 'p1',
    domain: null,
    parent: null,
    initAt: now,
    createdAt: null,
    updatedAt: null,
    minSize: options.minSize ?? 0,
    maxSize: options.maxSize ?? -1,
    desiredCapacity: options.desiredCapacity ?? 0,
    nextIndex: 1,
    timeout: options.timeout ?? 3600,
    status: 'INIT',
    statusReason: 'Initializing',
    metadata: {},
    data: {},
    dependents: {},
    config: options.config ?? {},
  };
  const action = await svc.db.transaction(async (trx) => {
    await insertCluster(trx, cluster);
    return createAction(
      trx,
      actionContext(CTX),
      {
        name: `cluster_create_${clusterId.slice(0, 8)}`,
        action: 'CLUSTER_CREATE',
        target: clusterId,
        clusterId,
        timeout: cluster.timeout,
      },
      now,
    );
  });
  svc.bus.ready();
  return { clusterId, actionId: action.id };
}

/** Requests an action on a cluster (or node) through the admission checks; returns its id. */
export async function request(
  svc: EngineServices,
  action: string,
  target: string,
  inputs: Record<string, unknown> = {},
  options: {
    clusterId?: string;
    timeout?: number;
    force?: boolean;
    data?: Record<string, unknown>;
  } = {},
): Promise<string> {
  const created = await svc.db.transaction((trx) =>
    createAction(
      trx,
      actionContext(CTX),
      {
        name: `${action.toLowerCase()}_${target.slice(0, 8)}`,
        action,
        target,
        clusterId: options.clusterId ?? (action.startsWith('CLUSTER_') ? target : ''),
        inputs,
        timeout: options.timeout ?? 3600,
        ...(options.data ? { data: options.data } : {}),
      },
      svc.now(),
      { force: options.force ?? action === 'CLUSTER_DELETE' },
    ),
  );
  svc.bus.ready();
  return created.id;
}

/** Stores an orphan node (INIT) of a profile; returns its id. */
export async function createOrphanNode(
  svc: EngineServices,
  profileId: string,
  name = 'orphan',
): Promise<string> {
  const id = newId();
  await svc.db.retry((k) =>
    insertNode(k, {
      id,
      name,
      physicalId: null,
      clusterId: '',
      profileId,
      user: 'u1',
      project: 'p1',
      domain: null,
      index: -1,
      role: '',
      initAt: svc.now(),
      createdAt: null,
      updatedAt: null,
      tainted: false,
      status: 'INIT',
      statusReason: 'Initializing',
      metadata: {},
      data: {},
      dependents: {},
    }),
  );
  return id;
}
