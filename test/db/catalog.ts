/**
 * Catalog reads for the schema tests, straight from PRAGMA / information_schema (independent
 * of the code under test).
 */
import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../src/db/connection.js';

/** A column as the catalog describes it: normalised type and nullability. */
export interface CatalogColumn {
  readonly name: string;
  /** `varchar(n)`, `text`, `longtext`, `timestamp`, `datetime(6)`, `integer`, `boolean`, `numeric(18,6)`. */
  readonly type: string;
  readonly nullable: boolean;
}

type AnyDb = Kysely<unknown>;

/** Tables of the database (current schema / database only). */
export async function listTables(db: AnyDb, dialect: DialectName): Promise<string[]> {
  const q =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master
          where type = 'table' and name not like 'sqlite_%'`
      : dialect === 'postgresql'
        ? sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE'`
        : sql<{ name: string }>`select table_name as name from information_schema.tables
            where table_schema = database() and table_type = 'BASE TABLE'`;
  return (await q.execute(db)).rows.map((r) => r.name).sort();
}

function normalise(dialect: DialectName, raw: string, length: number | null): string {
  const t = raw.toLowerCase().replace(/\s+/g, '');
  if (dialect === 'postgresql') {
    if (t === 'charactervarying') return `varchar(${length})`;
    if (t === 'timestampwithouttimezone') return 'timestamp';
    return t;
  }
  if (dialect === 'mysql') {
    if (t === 'tinyint(1)') return 'boolean';
    if (/^int(\(\d+\))?$/.test(t)) return 'integer';
    if (t === 'decimal(18,6)') return 'numeric(18,6)';
    return t;
  }
  return t;
}

/** Columns of a table in table order. */
export async function listColumns(
  db: AnyDb,
  dialect: DialectName,
  table: string,
): Promise<CatalogColumn[]> {
  if (dialect === 'sqlite') {
    const r = await sql<{ name: string; type: string; notnull: number }>`
      select name, type, "notnull" from pragma_table_info(${table}) order by cid`.execute(db);
    return r.rows.map((c) => ({
      name: c.name,
      type: normalise(dialect, c.type, null),
      nullable: !c.notnull,
    }));
  }
  if (dialect === 'postgresql') {
    const r = await sql<{
      name: string;
      type: string;
      len: number | null;
      prec: number | null;
      scale: number | null;
      nullable: string;
    }>`
      select column_name as name, data_type as type, character_maximum_length as len,
             numeric_precision as prec, numeric_scale as scale, is_nullable as nullable
      from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}
      order by ordinal_position`.execute(db);
    return r.rows.map((c) => ({
      name: c.name,
      type:
        c.type === 'numeric' ? `numeric(${c.prec},${c.scale})` : normalise(dialect, c.type, c.len),
      nullable: c.nullable === 'YES',
    }));
  }
  const r = await sql<{ name: string; type: string; nullable: string }>`
    select column_name as name, column_type as type, is_nullable as nullable
    from information_schema.columns
    where table_schema = database() and table_name = ${table}
    order by ordinal_position`.execute(db);
  return r.rows.map((c) => ({
    name: c.name,
    type: normalise(dialect, String(c.type), null),
    nullable: c.nullable === 'YES',
  }));
}

/** Index names of a table, primary key excluded. */
export async function listIndexes(
  db: AnyDb,
  dialect: DialectName,
  table: string,
): Promise<string[]> {
  const q =
    dialect === 'sqlite'
      ? sql<{ name: string }>`select name from pragma_index_list(${table}) where origin = 'c'`
      : dialect === 'postgresql'
        ? sql<{ name: string }>`select indexname as name from pg_indexes
            where schemaname = current_schema() and tablename = ${table}
              and indexname <> ${`${table}_pkey`}`
        : sql<{ name: string }>`select distinct index_name as name
            from information_schema.statistics
            where table_schema = database() and table_name = ${table}
              and index_name <> 'PRIMARY'`;
  return (await q.execute(db)).rows.map((r) => r.name).sort();
}

/** Primary key columns of a table, in key order. */
export async function listPrimaryKey(
  db: AnyDb,
  dialect: DialectName,
  table: string,
): Promise<string[]> {
  if (dialect === 'sqlite') {
    const r = await sql<{ name: string; pk: number }>`
      select name, pk from pragma_table_info(${table}) where pk > 0 order by pk`.execute(db);
    return r.rows.map((c) => c.name);
  }
  const schema = dialect === 'postgresql' ? sql`current_schema()` : sql`database()`;
  const r = await sql<{ name: string }>`
    select k.column_name as name
    from information_schema.table_constraints t
    join information_schema.key_column_usage k
      on k.constraint_name = t.constraint_name and k.table_schema = t.table_schema
     and k.table_name = t.table_name
    where t.table_schema = ${schema} and t.table_name = ${table}
      and t.constraint_type = 'PRIMARY KEY'
    order by k.ordinal_position`.execute(db);
  return r.rows.map((c) => c.name);
}

/** Foreign keys of the whole database as `table.column→table.column`, sorted. */
export async function listForeignKeys(db: AnyDb, dialect: DialectName): Promise<string[]> {
  if (dialect === 'sqlite') {
    const out: string[] = [];
    for (const table of await listTables(db, dialect)) {
      const r = await sql<{ from: string; table: string; to: string }>`
        select "from", "table", "to" from pragma_foreign_key_list(${table})`.execute(db);
      for (const fk of r.rows) out.push(`${table}.${fk.from}→${fk.table}.${fk.to}`);
    }
    return out.sort();
  }
  if (dialect === 'postgresql') {
    const r = await sql<{ fk: string }>`
      select kcu.table_name || '.' || kcu.column_name || '→' || ccu.table_name || '.' ||
             ccu.column_name as fk
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on tc.constraint_name = kcu.constraint_name and tc.table_schema = kcu.table_schema
      join information_schema.constraint_column_usage ccu
        on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
      where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db);
    return r.rows.map((x) => x.fk).sort();
  }
  const r = await sql<{ fk: string }>`
    select concat(table_name, '.', column_name, '→', referenced_table_name, '.',
                  referenced_column_name) as fk
    from information_schema.key_column_usage
    where table_schema = database() and referenced_table_name is not null`.execute(db);
  return r.rows.map((x) => x.fk).sort();
}
