/**
 * What `senlin-ts manage` does with the database: schema sync and version, the service list
 * and dead-service clean-up, and purging old events and actions. Functions return data (and
 * lines to print where there is something to say); printing is the caller's business.
 */
import type { Kysely } from 'kysely';
import { toDbTime } from './codec.js';
import type { Db } from './connection.js';
import { schemaVersion, syncSchema } from './migrate.js';
import { listServices, type ServiceRecord } from './queries/services.js';
import type { Database } from './schema.js';

/** Units of a purge age. */
export const GRANULARITIES = {
  days: 86_400,
  hours: 3_600,
  minutes: 60,
  seconds: 1,
} as const;

/** One unit of GRANULARITIES. */
export type Granularity = keyof typeof GRANULARITIES;

/** Result of a purge: rows deleted and lines to show. */
export interface PurgeResult {
  readonly deleted: number;
  readonly lines: readonly string[];
}

/** A service row with its liveness as `manage service list` shows it. */
export interface ServiceStatus extends ServiceRecord {
  readonly status: 'up' | 'down';
}

/** Liveness options: services whose last heartbeat is older than 2.2 × periodicInterval are down. */
export interface ServiceLivenessOptions {
  /** `[DEFAULT] periodic_interval` in seconds. */
  readonly periodicInterval: number;
  /** Defaults to the current time. */
  readonly now?: Date;
}

/** Applies pending schema migrations (up to `version` if given); returns their names. */
export function dbSync(db: Db, version?: string): Promise<string[]> {
  return syncSchema(db, version);
}

/** The current schema version (latest applied migration), or null before the first sync. */
export function dbVersion(db: Db): Promise<string | null> {
  return schemaVersion(db);
}

function serviceCutoff(options: ServiceLivenessOptions): Date {
  const now = options.now ?? new Date();
  return new Date(now.getTime() - 2.2 * options.periodicInterval * 1000);
}

/** Every service with status `down` when its last heartbeat is older than 2.2 × periodic_interval. */
export async function serviceList(
  db: Db,
  options: ServiceLivenessOptions,
): Promise<ServiceStatus[]> {
  const cutoff = serviceCutoff(options).getTime();
  const services = await db.retry((k) => listServices(k));
  return services.map((svc) => {
    const seen = svc.updatedAt ?? svc.createdAt;
    const down = seen === null || seen.getTime() < cutoff;
    return { ...svc, status: down ? 'down' : 'up' };
  });
}

function timeText(d: Date | null): string {
  return d ? toDbTime(d).slice(0, 19) : '-';
}

/** The service list as an aligned table (header first). */
export function formatServiceList(services: readonly ServiceStatus[]): string[] {
  const header = ['Service ID', 'Host', 'Binary', 'Topic', 'Status', 'Created At', 'Updated At'];
  const rows = services.map((s) => [
    s.id,
    s.host ?? '-',
    s.binary ?? '-',
    s.topic ?? '-',
    s.status,
    timeText(s.createdAt),
    timeText(s.updatedAt),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  return [header, ...rows].map((cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/**
 * Deletes the rows of services that are down (as `serviceList` decides), re-checking the
 * heartbeat in the DELETE so that a service that came back meanwhile is kept.
 */
export async function serviceClean(
  db: Db,
  options: ServiceLivenessOptions,
): Promise<{ removed: string[]; lines: string[] }> {
  const cutoff = toDbTime(serviceCutoff(options));
  const down = (await serviceList(db, options)).filter((s) => s.status === 'down');
  const removed: string[] = [];
  for (const svc of down) {
    const r = await db.retry((k) =>
      k
        .deleteFrom('service')
        .where('id', '=', svc.id)
        .where((eb) =>
          eb.or([
            eb('updated_at', '<', cutoff),
            eb.and([
              eb('updated_at', 'is', null),
              eb.or([eb('created_at', 'is', null), eb('created_at', '<', cutoff)]),
            ]),
          ]),
        )
        .executeTakeFirst(),
    );
    if (Number(r.numDeletedRows) > 0) removed.push(svc.id);
  }
  return { removed, lines: removed.map((id) => `Removed dead service ${id}.`) };
}

/** Project ids from repeated `-p` options, each of which may hold several separated by `;`. */
export function splitProjects(projects: readonly string[] | null | undefined): string[] {
  return (projects ?? [])
    .flatMap((p) => p.split(';'))
    .map((p) => p.trim())
    .filter(Boolean);
}

function ageSeconds(age: number, granularity: Granularity): number {
  const unit = GRANULARITIES[granularity];
  if (unit === undefined) {
    throw new Error(
      `Unknown granularity '${granularity}'; use one of ${Object.keys(GRANULARITIES).join(', ')}`,
    );
  }
  if (!Number.isFinite(age)) throw new Error(`Age '${age}' is not a number`);
  return age * unit;
}

const NEGATIVE_AGE = 'Age must not be negative; nothing was purged.';

/**
 * Deletes events whose `timestamp` is older than `age` × `granularity` (only of `projects`
 * when given). A negative age deletes nothing and says so.
 */
export async function eventPurge(
  db: Db,
  projects: readonly string[] | null | undefined,
  age: number,
  granularity: Granularity = 'days',
  now: Date = new Date(),
): Promise<PurgeResult> {
  const seconds = ageSeconds(age, granularity);
  if (age < 0) return { deleted: 0, lines: [NEGATIVE_AGE] };
  const cutoff = toDbTime(new Date(now.getTime() - seconds * 1000));
  const scope = splitProjects(projects);
  const r = await db.retry((k) => {
    let q = k.deleteFrom('event').where('timestamp', '<', cutoff);
    if (scope.length > 0) q = q.where('project', 'in', scope);
    return q.executeTakeFirst();
  });
  const deleted = Number(r.numDeletedRows);
  return { deleted, lines: [`Purged ${deleted} event(s).`] };
}

/** Ids per statement when deleting many rows by id. */
const CHUNK = 500;

async function deleteActions(trx: Kysely<Database>, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await trx
      .deleteFrom('dependency')
      .where((eb) => eb.or([eb('depended', 'in', chunk), eb('dependent', 'in', chunk)]))
      .execute();
    await trx.deleteFrom('action').where('id', 'in', chunk).execute();
  }
}

/**
 * Deletes finished actions created more than `age` × `granularity` ago (only of `projects`
 * when given), except those an unfinished action still waits for, with every dependency row
 * naming them on either side. Refuses ages shorter than
 * `defaultActionTimeout` seconds (such actions may still be running) and negative ages.
 */
export async function actionPurge(
  db: Db,
  projects: readonly string[] | null | undefined,
  age: number,
  granularity: Granularity,
  defaultActionTimeout: number,
  now: Date = new Date(),
): Promise<PurgeResult> {
  const seconds = ageSeconds(age, granularity);
  if (age < 0) return { deleted: 0, lines: [NEGATIVE_AGE] };
  if (seconds < defaultActionTimeout) {
    return {
      deleted: 0,
      lines: [
        `Age must be at least default_action_timeout (${defaultActionTimeout} seconds); nothing was purged.`,
      ],
    };
  }
  const cutoff = toDbTime(new Date(now.getTime() - seconds * 1000));
  const scope = splitProjects(projects);
  const deleted = await db.transaction(async (trx) => {
    // Only finished actions, and none that an unfinished action still waits for.
    let q = trx
      .selectFrom('action')
      .select('id')
      .where('created_at', '<', cutoff)
      .where('status', 'in', ['SUCCEEDED', 'FAILED', 'CANCELLED'])
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('dependency')
              .innerJoin('action as waiting', 'waiting.id', 'dependency.dependent')
              .select('dependency.id')
              .whereRef('dependency.depended', '=', 'action.id')
              .where('waiting.status', 'not in', ['SUCCEEDED', 'FAILED', 'CANCELLED']),
          ),
        ),
      );
    if (scope.length > 0) q = q.where('project', 'in', scope);
    const ids = (await q.execute()).map((r) => r.id);
    await deleteActions(trx, ids);
    return ids.length;
  });
  return { deleted, lines: [`Purged ${deleted} action(s).`] };
}
