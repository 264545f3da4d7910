import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MultipleChoices, ResourceNotFound } from '../../src/common/errors.js';
import { toDbTime } from '../../src/db/codec.js';
import type { Db } from '../../src/db/connection.js';
import { openDatabase } from '../../src/db/connection.js';
import type { ListOptions } from '../../src/db/listing.js';
import { listRows } from '../../src/db/listing.js';
import { syncSchema } from '../../src/db/migrate.js';
import { findRow } from '../../src/db/queries/find.js';
import { testDialects } from './dialects.js';

const dialects = await testDialects();

const T = (h: number): string => toDbTime(new Date(Date.UTC(2026, 0, 1, h)));

// id, name, project, created hour, updated hour (null = never)
const ROWS: [string, string, string, number, number | null][] = [
  ['0a000000-0000-4000-8000-000000000001', 'alpha', 'p1', 1, null],
  ['0b000000-0000-4000-8000-000000000002', 'bravo', 'p1', 2, 5],
  ['0c000000-0000-4000-8000-000000000003', 'charlie', 'p1', 3, null],
  ['0d000000-0000-4000-8000-000000000004', 'delta', 'p1', 4, 6],
  ['0e000000-0000-4000-8000-000000000005', 'echo', 'p2', 5, null],
  ['0f000000-0000-4000-8000-000000000006', 'dup', 'p1', 6, null],
  ['1f000000-0000-4000-8000-000000000007', 'dup', 'p1', 7, null],
];

describe.each(dialects)('listing and find ($name)', (dialect) => {
  let db: Db;

  beforeAll(async () => {
    const fresh = await dialect.freshDatabase();
    db = await openDatabase({ connection: fresh.url });
    await syncSchema(db);
    for (const [id, name, project, created, updated] of ROWS) {
      await db.kysely
        .insertInto('policy')
        .values({
          id,
          name,
          type: name === 'bravo' ? 'b-type' : 'a-type',
          user: 'u',
          project,
          spec: '{}',
          created_at: T(created),
          updated_at: updated === null ? null : T(updated),
        })
        .execute();
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  const names = async (options: Partial<ListOptions>): Promise<string[]> =>
    (
      await listRows(db.kysely, db.dialect, 'policy', {
        sort: [{ column: 'created_at', dir: 'asc' }],
        ...options,
      })
    ).map((r) => r.name as string);

  it('scopes to a project and sorts by the key then id', async () => {
    expect(await names({ project: 'p2' })).toEqual(['echo']);
    expect(await names({ project: null })).toHaveLength(7);
    expect(await names({ project: 'p1', sort: [{ column: 'name', dir: 'desc' }] })).toEqual([
      'dup',
      'dup',
      'delta',
      'charlie',
      'bravo',
      'alpha',
    ]);
  });

  it('orders NULLs first ascending and last descending and pages across them', async () => {
    const asc = await names({ project: 'p1', sort: [{ column: 'updated_at', dir: 'asc' }] });
    expect(asc).toEqual(['alpha', 'charlie', 'dup', 'dup', 'bravo', 'delta']);
    const desc = await names({ project: 'p1', sort: [{ column: 'updated_at', dir: 'desc' }] });
    expect(desc).toEqual(['delta', 'bravo', 'alpha', 'charlie', 'dup', 'dup']);
    const charlie = ROWS[2]![0];
    expect(
      await names({
        project: 'p1',
        sort: [{ column: 'updated_at', dir: 'asc' }],
        marker: charlie,
        limit: 3,
      }),
    ).toEqual(['dup', 'dup', 'bravo']);
    expect(
      await names({
        project: 'p1',
        sort: [{ column: 'updated_at', dir: 'desc' }],
        marker: ROWS[1]![0],
        limit: 2,
      }),
    ).toEqual(['alpha', 'charlie']);
  });

  it('applies every filter operator', async () => {
    const base = { project: 'p1' } as const;
    expect(
      await names({ ...base, filters: [{ column: 'name', op: 'eq', values: ['bravo'] }] }),
    ).toEqual(['bravo']);
    expect(
      await names({ ...base, filters: [{ column: 'type', op: 'neq', values: ['a-type'] }] }),
    ).toEqual(['bravo']);
    expect(
      await names({ ...base, filters: [{ column: 'name', op: 'in', values: ['alpha', 'delta'] }] }),
    ).toEqual(['alpha', 'delta']);
    expect(
      await names({
        ...base,
        filters: [{ column: 'name', op: 'nin', values: ['alpha', 'delta', 'dup'] }],
      }),
    ).toEqual(['bravo', 'charlie']);
    expect(
      await names({ ...base, filters: [{ column: 'created_at', op: 'gt', values: [T(4)] }] }),
    ).toEqual(['dup', 'dup']);
    expect(
      await names({ ...base, filters: [{ column: 'created_at', op: 'gte', values: [T(4)] }] }),
    ).toHaveLength(3);
    expect(
      await names({ ...base, filters: [{ column: 'created_at', op: 'lt', values: [T(2)] }] }),
    ).toEqual(['alpha']);
    expect(
      await names({
        ...base,
        filters: [
          { column: 'created_at', op: 'lte', values: [T(3)] },
          { column: 'updated_at', op: 'neq', values: [T(5)] },
        ],
      }),
    ).toEqual(['alpha', 'charlie']);
  });

  it('finds by id, name and short id and reports ambiguity and absence', async () => {
    const scope = { kind: 'policy', project: 'p1' } as const;
    expect((await findRow(db.kysely, 'policy', ROWS[0]![0], scope)).name).toBe('alpha');
    expect((await findRow(db.kysely, 'policy', 'charlie', scope)).name).toBe('charlie');
    expect((await findRow(db.kysely, 'policy', '0d00', scope)).name).toBe('delta');
    await expect(findRow(db.kysely, 'policy', 'dup', scope)).rejects.toBeInstanceOf(
      MultipleChoices,
    );
    await expect(findRow(db.kysely, 'policy', '0', scope)).rejects.toBeInstanceOf(MultipleChoices);
    await expect(findRow(db.kysely, 'policy', 'echo', scope)).rejects.toBeInstanceOf(
      ResourceNotFound,
    );
    expect(
      (await findRow(db.kysely, 'policy', 'echo', { kind: 'policy', project: null })).name,
    ).toBe('echo');
    await expect(findRow(db.kysely, 'policy', 'no_such%', scope)).rejects.toThrow(
      "The policy 'no_such%' could not be found.",
    );
  });
});
