/**
 * Small catalog queries that work on all three dialects, looking only at the current
 * database (MySQL) or the first schema of the search path (PostgreSQL).
 */
import { type Kysely, sql } from 'kysely';
import { dialectOf } from './dialect.js';

/** Whether a table of that name exists. */
export async function tableExists(db: Kysely<unknown>, table: string): Promise<boolean> {
  switch (dialectOf(db)) {
    case 'sqlite': {
      const r = await sql<{ n: number }>`
        select count(*) as n from sqlite_master where type = 'table' and name = ${table}`.execute(
        db,
      );
      return Number(r.rows[0]?.n ?? 0) > 0;
    }
    case 'postgresql': {
      const r = await sql<{ n: string }>`
        select count(*) as n from information_schema.tables
        where table_schema = current_schema() and table_name = ${table}`.execute(db);
      return Number(r.rows[0]?.n ?? 0) > 0;
    }
    case 'mysql': {
      const r = await sql<{ n: number }>`
        select count(*) as n from information_schema.tables
        where table_schema = database() and table_name = ${table}`.execute(db);
      return Number(r.rows[0]?.n ?? 0) > 0;
    }
  }
}

/** Column names of a table, in table order (empty when the table does not exist). */
export async function columnNames(db: Kysely<unknown>, table: string): Promise<string[]> {
  switch (dialectOf(db)) {
    case 'sqlite': {
      const r = await sql<{ name: string }>`
        select name from pragma_table_info(${table}) order by cid`.execute(db);
      return r.rows.map((row) => row.name);
    }
    case 'postgresql': {
      const r = await sql<{ name: string }>`
        select column_name as name from information_schema.columns
        where table_schema = current_schema() and table_name = ${table}
        order by ordinal_position`.execute(db);
      return r.rows.map((row) => row.name);
    }
    case 'mysql': {
      const r = await sql<{ name: string }>`
        select column_name as name from information_schema.columns
        where table_schema = database() and table_name = ${table}
        order by ordinal_position`.execute(db);
      return r.rows.map((row) => row.name);
    }
  }
}
