/**
 * Listing of any table: filters (exact match, IN lists and the advanced operators of
 * microversion 1.15), project scoping, sorting with upstream's NULL ordering (first when
 * ascending, last when descending), `id` as the final tie-breaker, and keyset pagination after
 * a marker row.
 */

import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from './connection.js';
import type { Database } from './schema.js';

/** Comparison operators of list filters. */
export const FILTER_OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte'] as const;
/** One comparison operator. */
export type FilterOp = (typeof FILTER_OPS)[number];

/** A condition on one column; `values` are already in stored form. */
export interface ColumnFilter {
  readonly column: string;
  readonly op: FilterOp;
  readonly values: readonly (string | number)[];
}

/** One sort key. */
export interface SortKey {
  readonly column: string;
  readonly dir: 'asc' | 'desc';
}

/** What to list. */
export interface ListOptions {
  readonly filters?: readonly ColumnFilter[];
  readonly sort: readonly SortKey[];
  readonly limit?: number | null;
  readonly marker?: string | null;
  /** Only rows of this project; null lists every project. */
  readonly project?: string | null;
  /** Name of the project column when it is not `project`. */
  readonly projectColumn?: string;
}

type AnyEb = ExpressionBuilder<Database, keyof Database>;

function ref(eb: AnyEb, column: string): Expression<unknown> {
  return eb.ref(column as never);
}

function filterExpression(eb: AnyEb, f: ColumnFilter): Expression<SqlBool> {
  const col = ref(eb, f.column);
  const first = f.values[0] ?? null;
  switch (f.op) {
    case 'eq':
      return eb(col as never, '=', first as never);
    case 'neq':
      // A NULL column differs from any given value.
      return eb.or([eb(col as never, '<>', first as never), eb(col as never, 'is', null)]);
    case 'in':
      return f.values.length === 0
        ? sql<SqlBool>`1 = 0`
        : eb(col as never, 'in', f.values as never);
    case 'nin':
      return f.values.length === 0
        ? sql<SqlBool>`1 = 1`
        : eb.or([eb(col as never, 'not in', f.values as never), eb(col as never, 'is', null)]);
    case 'gt':
      return eb(col as never, '>', first as never);
    case 'gte':
      return eb(col as never, '>=', first as never);
    case 'lt':
      return eb(col as never, '<', first as never);
    case 'lte':
      return eb(col as never, '<=', first as never);
  }
}

/** `column` comes strictly after `value` in the order of `dir` (NULLs first asc, last desc). */
function after(eb: AnyEb, key: SortKey, value: unknown): Expression<SqlBool> {
  const col = ref(eb, key.column) as never;
  if (key.dir === 'asc') {
    return value === null ? eb(col, 'is not', null) : eb(col, '>', value as never);
  }
  return value === null
    ? sql<SqlBool>`1 = 0`
    : eb.or([eb(col, '<', value as never), eb(col, 'is', null)]);
}

function equal(eb: AnyEb, key: SortKey, value: unknown): Expression<SqlBool> {
  const col = ref(eb, key.column) as never;
  return value === null ? eb(col, 'is', null) : eb(col, '=', value as never);
}

function orderExpression(dialect: DialectName, key: SortKey): Expression<unknown> {
  // SQLite and MySQL already sort NULLs first ascending and last descending; PostgreSQL
  // does the opposite unless told.
  if (dialect === 'postgresql') {
    return key.dir === 'asc'
      ? sql`${sql.ref(key.column)} asc nulls first`
      : sql`${sql.ref(key.column)} desc nulls last`;
  }
  return sql`${sql.ref(key.column)} ${sql.raw(key.dir)}`;
}

/** Sort keys with `id asc` appended unless `id` is already a key. */
export function withIdTieBreaker(sort: readonly SortKey[]): SortKey[] {
  return sort.some((k) => k.column === 'id') ? [...sort] : [...sort, { column: 'id', dir: 'asc' }];
}

/** Lists rows of `table` with filters, scoping, sorting and marker pagination. */
export async function listRows<T extends keyof Database>(
  db: Kysely<Database>,
  dialect: DialectName,
  table: T,
  options: ListOptions,
): Promise<Record<string, unknown>[]> {
  if (options.limit === 0) return [];
  const sort = withIdTieBreaker(options.sort);
  const projectColumn = options.projectColumn ?? 'project';
  let markerRow: Record<string, unknown> | undefined;
  if (options.marker) {
    markerRow = (await db
      .selectFrom(table as keyof Database)
      .selectAll()
      .where('id' as never, '=', options.marker as never)
      .executeTakeFirst()) as Record<string, unknown> | undefined;
  }
  let query = db.selectFrom(table as keyof Database).selectAll();
  if (options.project !== undefined && options.project !== null) {
    query = query.where(projectColumn as never, '=', options.project as never);
  }
  for (const f of options.filters ?? []) {
    query = query.where((eb) => filterExpression(eb as AnyEb, f));
  }
  if (markerRow) {
    const row = markerRow;
    query = query.where((eb) =>
      eb.or(
        sort.map((key, i) =>
          eb.and([
            ...sort.slice(0, i).map((prev) => equal(eb as AnyEb, prev, row[prev.column] ?? null)),
            after(eb as AnyEb, key, row[key.column] ?? null),
          ]),
        ),
      ),
    );
  }
  for (const key of sort) query = query.orderBy(orderExpression(dialect, key) as never);
  if (options.limit !== undefined && options.limit !== null) query = query.limit(options.limit);
  return (await query.execute()) as Record<string, unknown>[];
}
