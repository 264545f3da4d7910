/**
 * Building blocks of the migrations: upstream's logical column types mapped to each dialect's
 * SQL type, and a table builder that applies MySQL's engine and character set.
 */
import {
  type ColumnDataType,
  type CreateTableBuilder,
  type Expression,
  type Kysely,
  sql,
} from 'kysely';
import type { DialectName } from '../dialect.js';

/** Logical column types of upstream's schema. */
export type ColumnKind =
  | `varchar(${number})`
  | 'text'
  | 'json'
  | 'time'
  | 'integer'
  | 'boolean'
  | 'epoch';

/** A column: name, logical type, and whether the database column is NOT NULL. */
export type ColumnSpec = readonly [name: string, kind: ColumnKind, notNull?: 'not null'];

/** A table: columns in upstream's order, primary key, foreign keys (column → table.id). */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  readonly foreignKeys?: readonly (readonly [column: string, references: string])[];
}

/** The SQL type of a logical column type on a dialect. */
export function sqlType(
  kind: ColumnKind,
  dialect: DialectName,
): ColumnDataType | Expression<unknown> {
  switch (kind) {
    case 'text':
      return 'text';
    case 'json':
      return dialect === 'mysql' ? sql`longtext` : 'text';
    case 'time':
      if (dialect === 'mysql') return sql`datetime(6)`;
      return dialect === 'postgresql' ? 'timestamp' : 'text';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'epoch':
      return 'numeric(18, 6)';
    default:
      return kind;
  }
}

/**
 * Creates a table from its spec. Foreign keys are named `<table>_<column>_fkey` (PostgreSQL's
 * own naming) so that they can be found and dropped by name on every dialect.
 */
export async function createTable(
  db: Kysely<unknown>,
  dialect: DialectName,
  spec: TableSpec,
): Promise<void> {
  // The column names are only known at run time: type the builder as accepting any name.
  let builder = db.schema.createTable(spec.name) as CreateTableBuilder<string, string>;
  for (const [name, kind, notNull] of spec.columns) {
    builder = builder.addColumn(name, sqlType(kind, dialect), (col) =>
      notNull ? col.notNull() : col,
    );
  }
  builder = builder.addPrimaryKeyConstraint(`${spec.name}_pkey`, [...spec.primaryKey]);
  for (const [column, references] of spec.foreignKeys ?? []) {
    const [table = '', refColumn = 'id'] = references.split('.');
    builder = builder.addForeignKeyConstraint(`${spec.name}_${column}_fkey`, [column], table, [
      refColumn,
    ]);
  }
  if (dialect === 'mysql') {
    builder = builder.modifyEnd(sql`engine = InnoDB default charset = utf8mb4`);
  }
  await builder.execute();
}
