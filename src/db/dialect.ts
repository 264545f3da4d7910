/** Which SQL dialect a kysely instance speaks. */
import { type DialectAdapter, MysqlAdapter, PostgresAdapter, SqliteAdapter } from 'kysely';

/** The three supported SQL dialects. */
export type DialectName = 'sqlite' | 'postgresql' | 'mysql';

/** Anything that exposes kysely's executor (a Kysely instance or a transaction). */
export interface HasExecutor {
  getExecutor(): { readonly adapter: DialectAdapter };
}

/** The dialect of a kysely instance, from its adapter. */
export function dialectOf(db: HasExecutor): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  if (adapter instanceof PostgresAdapter) return 'postgresql';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  throw new Error(`Unsupported database adapter ${adapter.constructor.name}`);
}
