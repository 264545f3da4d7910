import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toDbTime } from '../../src/db/codec.js';
import type { Db } from '../../src/db/connection.js';
import {
  actionPurge,
  dbSync,
  dbVersion,
  eventPurge,
  formatServiceList,
  serviceClean,
  serviceList,
  splitProjects,
} from '../../src/db/manage.js';
import { openFresh, testDialects } from './dialects.js';

const dialects = await testDialects();

const NOW = new Date(Date.UTC(2024, 5, 15, 12, 0, 0));
const ago = (seconds: number) => toDbTime(new Date(NOW.getTime() - seconds * 1000));
const HOUR = 3600;
const DAY = 86_400;

describe('splitProjects', () => {
  it('splits repeated options and semicolon lists', () => {
    expect(splitProjects(['a;b', ' c ', '', 'd;'])).toEqual(['a', 'b', 'c', 'd']);
    expect(splitProjects(null)).toEqual([]);
  });
});

describe.each(dialects)('db_sync and db_version on $name', (dialect) => {
  it('reports no version, syncs, then reports the latest migration', async () => {
    const db = await openFresh(dialect, { sync: false });
    expect(await dbVersion(db)).toBeNull();
    expect(await dbSync(db)).toEqual(['001_upstream_schema', '002_indexes', '003_pool_claims']);
    expect(await dbVersion(db)).toBe('003_pool_claims');
    expect(await dbSync(db)).toEqual([]);
  });
});

describe.each(dialects)('service list and clean on $name', (dialect) => {
  let db: Db;
  const liveness = { periodicInterval: 60, now: NOW };
  beforeAll(async () => {
    db = await openFresh(dialect);
  });
  beforeEach(async () => {
    await db.kysely.deleteFrom('service').execute();
    await db.kysely
      .insertInto('service')
      .values([
        {
          id: 'fresh',
          host: 'h1',
          binary: 'senlin-engine',
          created_at: ago(DAY),
          updated_at: ago(10),
        },
        {
          id: 'edge',
          host: 'h2',
          binary: 'senlin-engine',
          created_at: ago(DAY),
          updated_at: ago(131),
        },
        {
          id: 'stale',
          host: 'h3',
          binary: 'senlin-engine',
          created_at: ago(DAY),
          updated_at: ago(133),
        },
        { id: 'new', host: 'h4', binary: 'senlin-health-manager', created_at: ago(5) },
        { id: 'blank', host: 'h5', binary: 'senlin-conductor' },
      ])
      .execute();
  });

  it('marks services down after 2.2 × periodic_interval without heartbeat', async () => {
    const list = await serviceList(db, liveness);
    const status = Object.fromEntries(list.map((s) => [s.id, s.status]));
    expect(status).toEqual({ fresh: 'up', edge: 'up', stale: 'down', new: 'up', blank: 'down' });
  });

  it('formats the list as an aligned table', async () => {
    const lines = formatServiceList(await serviceList(db, liveness));
    expect(lines[0]).toMatch(/^Service ID +Host +Binary +Topic +Status +Created At +Updated At$/);
    expect(lines).toHaveLength(6);
    const statusColumn = (lines[0] ?? '').indexOf('Status');
    const stale = lines.find((l) => l.startsWith('stale')) ?? '';
    expect(stale.slice(statusColumn, statusColumn + 4)).toBe('down');
  });

  it('removes only the services that are down', async () => {
    const result = await serviceClean(db, liveness);
    expect(result.removed.sort()).toEqual(['blank', 'stale']);
    expect(result.lines).toContain('Removed dead service stale.');
    const left = await db.kysely.selectFrom('service').select('id').orderBy('id').execute();
    expect(left.map((r) => r.id)).toEqual(['edge', 'fresh', 'new']);
  });
});

describe.each(dialects)('event_purge on $name', (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openFresh(dialect);
  });
  beforeEach(async () => {
    await db.kysely.deleteFrom('event').execute();
    await db.kysely
      .insertInto('event')
      .values([
        { id: 'e1', timestamp: ago(3 * DAY), project: 'p1' },
        { id: 'e2', timestamp: ago(3 * DAY), project: 'p2' },
        { id: 'e3', timestamp: ago(DAY + 60), project: 'p1' },
        { id: 'e4', timestamp: ago(HOUR), project: 'p1' },
        { id: 'e5', timestamp: ago(10), project: 'p3' },
      ])
      .execute();
  });

  async function remaining(): Promise<string[]> {
    const rows = await db.kysely.selectFrom('event').select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  it('deletes events older than the age in days by default', async () => {
    const r = await eventPurge(db, null, 2, 'days', NOW);
    expect(r.deleted).toBe(2);
    expect(await remaining()).toEqual(['e3', 'e4', 'e5']);
  });

  it('honours the granularity', async () => {
    await eventPurge(db, [], 30, 'minutes', NOW);
    expect(await remaining()).toEqual(['e5']);
  });

  it('only touches the given projects', async () => {
    const r = await eventPurge(db, ['p1;p3'], 5, 'seconds', NOW);
    expect(r.deleted).toBe(4);
    expect(await remaining()).toEqual(['e2']);
  });

  it('refuses a negative age and deletes nothing', async () => {
    const r = await eventPurge(db, null, -1, 'days', NOW);
    expect(r).toEqual({ deleted: 0, lines: ['Age must not be negative; nothing was purged.'] });
    expect(await remaining()).toHaveLength(5);
  });

  it('rejects an unknown granularity', async () => {
    await expect(eventPurge(db, null, 1, 'weeks' as 'days', NOW)).rejects.toThrow(
      /Unknown granularity 'weeks'/,
    );
  });
});

describe.each(dialects)('action_purge on $name', (dialect) => {
  let db: Db;
  beforeAll(async () => {
    db = await openFresh(dialect);
  });
  beforeEach(async () => {
    await db.kysely.deleteFrom('dependency').execute();
    await db.kysely.deleteFrom('action').execute();
    await db.kysely
      .insertInto('action')
      .values([
        { id: 'old-a', created_at: ago(3 * DAY), project: 'p1', status: 'SUCCEEDED' },
        { id: 'old-b', created_at: ago(3 * DAY), project: 'p2', status: 'FAILED' },
        { id: 'new-c', created_at: ago(HOUR), project: 'p1', status: 'SUCCEEDED' },
        { id: 'new-d', created_at: ago(60), project: 'p2', status: 'CANCELLED' },
      ])
      .execute();
    await db.kysely
      .insertInto('dependency')
      .values([
        { id: 'd1', depended: 'old-a', dependent: 'new-c' },
        { id: 'd2', depended: 'new-c', dependent: 'old-b' },
        { id: 'd3', depended: 'new-d', dependent: 'new-c' },
      ])
      .execute();
  });

  async function ids(table: 'action' | 'dependency'): Promise<string[]> {
    const rows = await db.kysely.selectFrom(table).select('id').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  it('deletes old actions with the dependency rows naming them on either side', async () => {
    const r = await actionPurge(db, null, 1, 'days', 3600, NOW);
    expect(r.deleted).toBe(2);
    expect(await ids('action')).toEqual(['new-c', 'new-d']);
    expect(await ids('dependency')).toEqual(['d3']);
  });

  it('only touches the given projects', async () => {
    await actionPurge(db, ['p2'], 1, 'days', 3600, NOW);
    expect(await ids('action')).toEqual(['new-c', 'new-d', 'old-a']);
    expect(await ids('dependency')).toEqual(['d1', 'd3']);
  });

  it('keeps old actions that are unfinished or that an unfinished action waits for', async () => {
    await db.kysely
      .insertInto('action')
      .values([
        { id: 'old-running', created_at: ago(3 * DAY), project: 'p1', status: 'RUNNING' },
        { id: 'old-child', created_at: ago(3 * DAY), project: 'p1', status: 'SUCCEEDED' },
        { id: 'waiting-parent', created_at: ago(3 * DAY), project: 'p1', status: 'WAITING' },
      ])
      .execute();
    await db.kysely
      .insertInto('dependency')
      .values({ id: 'd4', depended: 'old-child', dependent: 'waiting-parent' })
      .execute();
    const r = await actionPurge(db, null, 1, 'days', 3600, NOW);
    expect(r.deleted).toBe(2);
    expect(await ids('action')).toEqual([
      'new-c',
      'new-d',
      'old-child',
      'old-running',
      'waiting-parent',
    ]);
  });

  it('refuses an age shorter than the default action timeout', async () => {
    const r = await actionPurge(db, null, 30, 'minutes', 3600, NOW);
    expect(r.deleted).toBe(0);
    expect(r.lines[0]).toMatch(/default_action_timeout \(3600 seconds\)/);
    expect(await ids('action')).toHaveLength(4);
  });

  it('refuses a negative age', async () => {
    const r = await actionPurge(db, null, -3, 'days', 0, NOW);
    expect(r.deleted).toBe(0);
    expect(await ids('action')).toHaveLength(4);
  });
});
