/**
 * Registrations and health manager service rows written directly, for the tests of claims,
 * sharing and takeover on every database dialect.
 */
import { newId } from '../../src/common/ids.js';
import { toDbBool, toDbJson } from '../../src/db/codec.js';
import type { Db } from '../../src/db/connection.js';
import { insertCluster } from '../../src/db/queries/clusters.js';
import { createService, heartbeatService } from '../../src/db/queries/services.js';
import type { EngineServices } from '../../src/engine/services.js';
import { createProfile } from '../support/clusters.js';

/** Stores `count` empty clusters with a health registration each (unclaimed); returns their ids. */
export async function registeredClusters(svc: EngineServices, count: number): Promise<string[]> {
  const profileId = await createProfile(svc);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId();
    ids.push(id);
    await svc.db.transaction(async (trx) => {
      await insertCluster(trx, {
        id,
        name: `hr-${i}`,
        profileId,
        user: 'u1',
        project: 'p1',
        domain: null,
        parent: null,
        initAt: svc.now(),
        createdAt: svc.now(),
        updatedAt: null,
        minSize: 0,
        maxSize: -1,
        desiredCapacity: 0,
        nextIndex: 1,
        timeout: 3600,
        status: 'ACTIVE',
        statusReason: '',
        metadata: {},
        data: {},
        dependents: {},
        config: {},
      });
      await trx
        .insertInto('health_registry')
        .values({
          id: newId(),
          cluster_id: id,
          check_type: 'NODE_STATUS_POLLING',
          interval: 60,
          params: toDbJson({
            recover_action: [{ name: 'RECREATE', params: null }],
            recovery_conditional: 'ANY_FAILED',
            node_update_timeout: 300,
            detection_modes: [{ type: 'NODE_STATUS_POLLING' }],
          }),
          engine_id: null,
          enabled: toDbBool(true),
        })
        .execute();
    });
  }
  return ids;
}

/** A health manager service row whose heartbeat the test controls. */
export interface TestServiceRow {
  readonly id: string;
  /** Stops heartbeating (the row stays, as after a crash). */
  stopHeartbeat(): void;
}

/** Inserts a health manager service row heartbeating every `seconds`. */
export async function heartbeatingRow(db: Db, seconds: number): Promise<TestServiceRow> {
  const id = newId();
  await db.retry((k) =>
    createService(k, {
      id,
      host: 'test',
      binary: 'senlin-health-manager',
      topic: 'senlin-health-manager',
    }),
  );
  const timer = setInterval(() => {
    db.retry((k) => heartbeatService(k, id)).catch(() => undefined);
  }, seconds * 1000);
  return { id, stopHeartbeat: () => clearInterval(timer) };
}

/** Number of registrations per owner (`null` for unclaimed). */
export async function owners(db: Db): Promise<Map<string | null, number>> {
  const rows = await db.retry((k) => k.selectFrom('health_registry').select('engine_id').execute());
  const counts = new Map<string | null, number>();
  for (const r of rows) counts.set(r.engine_id, (counts.get(r.engine_id) ?? 0) + 1);
  return counts;
}
