/** The shape of a parsed list request as conductor operations take it. */
import type { ColumnFilter, SortKey } from '../db/listing.js';

/** Filters, sorting and paging of a collection GET. */
export interface ListRequest {
  readonly filters: readonly ColumnFilter[];
  readonly resolved?: Readonly<Record<string, readonly string[]>>;
  readonly sort: readonly SortKey[];
  readonly limit: number | null;
  readonly marker: string | null;
  readonly projectSafe: boolean;
}
