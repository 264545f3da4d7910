/**
 * Query parameters of collection GETs: the whitelist, single- and multi-valued parameters,
 * `global_project`, `limit`/`marker`/`sort`, exact filters (microversion ≤ 1.14, upstream's
 * rules) and, from microversion 1.15, the advanced filter operators
 * (`status=in:ACTIVE,ERROR`, `created_at=gte:2026-01-01T00:00:00Z`, ...).
 */
import type { ApiVersion } from '../common/api-version.js';
import { HTTPBadRequest, InvalidParameter } from '../common/errors.js';
import { toDbTime } from '../db/codec.js';
import type { ColumnFilter, FilterOp, SortKey } from '../db/listing.js';
import { FILTER_OPS } from '../db/listing.js';
import type { FieldSpec, RequestObjectSpec } from './validation/fields.js';
import { parseRequest } from './validation/request-object.js';

/** Microversion from which the advanced filter operators are accepted. */
export const ADVANCED_FILTERS_VERSION = '1.15';

/** Value kinds of filterable columns. */
export type ColumnKind = 'string' | 'enum' | 'time' | 'int' | 'level';

/** A column that can be filtered (and sorted) through a query parameter. */
export interface ListColumn {
  readonly column: string;
  readonly kind: ColumnKind;
  /** Allowed values of enum columns (and level names of level columns). */
  readonly values?: readonly string[];
}

/** A filter parameter of upstream's list API (≤ 1.14). */
export interface ListFilter {
  readonly kind: 'string' | 'enum';
  /** Single-valued filters take the last occurrence; multi-valued ones all of them. */
  readonly multi: boolean;
  readonly values?: readonly string[];
  /** Lowest microversion of the filter (validated, then ignored below it). */
  readonly since?: string;
  /** The conductor resolves the value itself (e.g. cluster names to ids). */
  readonly resolved?: boolean;
}

/** How one collection is listed. */
export interface ListResourceSpec {
  readonly requestName: string;
  /** Clusters quote the name in `Invalid parameter '<key>'`; every other collection does not. */
  readonly quoteInvalidParam?: boolean;
  readonly filters: Readonly<Record<string, ListFilter>>;
  readonly sortKeys: readonly string[];
  readonly defaultSort: string;
  /** Column behind each filter and sort key (defaults: same name, string). */
  readonly columns: Readonly<Record<string, ListColumn>>;
}

/** A list request, parsed and validated. */
export interface ParsedListQuery {
  /** Column conditions, AND-ed. */
  readonly filters: ColumnFilter[];
  /** Values of filters the conductor resolves itself, by parameter name. */
  readonly resolved: Readonly<Record<string, string[]>>;
  readonly sort: SortKey[];
  readonly limit: number | null;
  readonly marker: string | null;
  /** False when `global_project=true` asked for every project. */
  readonly projectSafe: boolean;
}

/** Query string as fastify hands it over. */
export type QueryParams = Readonly<Record<string, string | string[] | undefined>>;

const LEVELS: Readonly<Record<string, number>> = {
  CRITICAL: 50,
  ERROR: 40,
  WARN: 30,
  INFO: 20,
  DEBUG: 10,
};
const RANGE_OPS: readonly FilterOp[] = ['gt', 'gte', 'lt', 'lte'];

function allValues(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Upstream's strict query boolean: `true` or `false` in any case. */
export function parseBoolParam(name: string, value: string): boolean {
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InvalidParameter(name, value);
}

function listRequestObject(spec: ListResourceSpec): RequestObjectSpec {
  const fields: Record<string, FieldSpec> = {
    limit: { kind: 'nonNegativeInt', nullable: true },
    marker: { kind: 'uuid', nullable: true },
    sort: { kind: 'sort', nullable: true, sortKeys: spec.sortKeys },
    project_safe: { kind: 'boolean', default: true },
  };
  for (const [name, f] of Object.entries(spec.filters)) {
    const kind = f.multi ? (f.kind === 'enum' ? 'listOfEnum' : 'listOfString') : 'string';
    fields[name] = {
      kind,
      nullable: true,
      ...(f.values ? { values: f.values } : {}),
      ...(f.since ? { since: f.since } : {}),
    };
  }
  return { name: spec.requestName, fields };
}

const objectCache = new WeakMap<ListResourceSpec, RequestObjectSpec>();

function columnOf(spec: ListResourceSpec, param: string): ListColumn {
  const col = spec.columns[param];
  if (col) return col;
  const f = spec.filters[param];
  return f?.kind === 'enum' && f.values
    ? { column: param, kind: 'enum', values: f.values }
    : { column: param, kind: 'string' };
}

/** Parses one advanced filter value; null when it carries no operator. */
function splitOperator(param: string, value: string): { op: FilterOp; operand: string } | null {
  const m = /^([a-z]+):(.*)$/s.exec(value);
  if (!m) return null;
  const op = m[1] as FilterOp;
  if (!FILTER_OPS.includes(op)) {
    throw new HTTPBadRequest(
      `Invalid filter operator '${m[1]}' for parameter '${param}'; supported operators are: ${FILTER_OPS.join(', ')}.`,
    );
  }
  return { op, operand: m[2] ?? '' };
}

function parseTime(param: string, text: string): string {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  const d = m
    ? new Date(
        `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${(m[7] ?? '').slice(0, 4)}${m[8] ?? 'Z'}`,
      )
    : null;
  if (!d || Number.isNaN(d.getTime())) {
    throw new HTTPBadRequest(
      `Invalid value '${text}' for parameter '${param}': an ISO 8601 date and time is expected.`,
    );
  }
  return toDbTime(d);
}

/** One operand in stored form, validated against the column kind. */
function operandValue(param: string, col: ListColumn, text: string): string | number {
  switch (col.kind) {
    case 'time':
      return parseTime(param, text);
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) {
        throw new HTTPBadRequest(
          `Invalid value '${text}' for parameter '${param}': an integer is expected.`,
        );
      }
      return Number(text);
    }
    case 'level': {
      const level = LEVELS[text];
      if (level === undefined) {
        throw new HTTPBadRequest(
          `Invalid value '${text}' for parameter '${param}': expected one of ${Object.keys(LEVELS).join(', ')}.`,
        );
      }
      return String(level);
    }
    case 'enum':
      if (!(col.values ?? []).includes(text)) {
        throw new HTTPBadRequest(
          `Invalid value '${text}' for parameter '${param}': expected one of ${(col.values ?? []).join(', ')}.`,
        );
      }
      return text;
    case 'string':
      return text;
  }
}

function advancedFilter(
  param: string,
  col: ListColumn,
  op: FilterOp,
  operand: string,
): ColumnFilter {
  if (RANGE_OPS.includes(op) && (col.kind === 'string' || col.kind === 'enum')) {
    throw new HTTPBadRequest(`Filter operator '${op}' is not supported for parameter '${param}'.`);
  }
  const texts = op === 'in' || op === 'nin' ? operand.split(',') : [operand];
  return { column: col.column, op, values: texts.map((t) => operandValue(param, col, t)) };
}

function plainFilter(col: ListColumn, values: readonly string[]): ColumnFilter {
  const stored = values.map((v) => (col.kind === 'level' ? String(LEVELS[v] ?? v) : v));
  return stored.length === 1
    ? { column: col.column, op: 'eq', values: stored }
    : { column: col.column, op: 'in', values: stored };
}

function parseSort(text: string | null | undefined, spec: ListResourceSpec): SortKey[] {
  const keys = text ? text.split(',') : [spec.defaultSort];
  return keys.map((item) => {
    const [key = '', dir] = item.split(':');
    return { column: columnOf(spec, key).column, dir: dir === 'desc' ? 'desc' : 'asc' };
  });
}

/** Validates and parses the query of a collection GET. */
export function parseListQuery(
  spec: ListResourceSpec,
  query: QueryParams,
  version: ApiVersion,
): ParsedListQuery {
  const advanced = version.atLeast(ADVANCED_FILTERS_VERSION);
  const allowed = new Set([
    'limit',
    'marker',
    'sort',
    'global_project',
    ...Object.keys(spec.filters),
  ]);
  if (advanced) for (const k of [...Object.keys(spec.columns), ...spec.sortKeys]) allowed.add(k);
  for (const key of Object.keys(query)) {
    if (!allowed.has(key)) {
      throw new HTTPBadRequest(
        spec.quoteInvalidParam ? `Invalid parameter '${key}'` : `Invalid parameter ${key}`,
      );
    }
  }
  const last = (k: string): string | undefined => allValues(query[k]).at(-1);
  const globalProject = last('global_project');
  const data: Record<string, unknown> = {
    project_safe:
      globalProject === undefined ? true : !parseBoolParam('global_project', globalProject),
  };
  for (const k of ['limit', 'marker', 'sort']) {
    const v = last(k);
    if (v !== undefined) data[k] = v;
  }
  const filters: ColumnFilter[] = [];
  const resolved: Record<string, string[]> = {};
  const plain: Record<string, string[]> = {};
  for (const key of Object.keys(query)) {
    if (['limit', 'marker', 'sort', 'global_project'].includes(key)) continue;
    const f = spec.filters[key];
    const values = f && !f.multi ? allValues(query[key]).slice(-1) : allValues(query[key]);
    for (const value of values) {
      const parsed = advanced ? splitOperator(key, value) : null;
      const plainValues = plain[key] ?? [];
      plain[key] = plainValues;
      if (parsed === null || parsed.op === 'eq') {
        plainValues.push(parsed ? parsed.operand : value);
      } else if (f?.resolved) {
        if (parsed.op !== 'in')
          throw new HTTPBadRequest(
            `Filter operator '${parsed.op}' is not supported for parameter '${key}'.`,
          );
        plainValues.push(...parsed.operand.split(','));
      } else {
        filters.push(advancedFilter(key, columnOf(spec, key), parsed.op, parsed.operand));
      }
    }
  }
  for (const [key, values] of Object.entries(plain)) {
    if (values.length === 0) continue;
    const f = spec.filters[key];
    if (f) data[key] = f.multi ? values : values.at(-1);
  }
  let object = objectCache.get(spec);
  if (!object) {
    object = listRequestObject(spec);
    objectCache.set(spec, object);
  }
  const parsed = parseRequest(object, data, version);
  for (const [key, values] of Object.entries(plain)) {
    if (values.length === 0) continue;
    const f = spec.filters[key];
    const col = columnOf(spec, key);
    if (!f) {
      // A column that only the advanced syntax makes filterable: typed like operator values.
      const typed = values.map((v) => operandValue(key, col, v));
      filters.push({ column: col.column, op: typed.length === 1 ? 'eq' : 'in', values: typed });
      continue;
    }
    if (!(key in parsed)) continue; // a filter newer than the negotiated microversion
    const list = Array.isArray(parsed[key]) ? (parsed[key] as string[]) : [parsed[key] as string];
    if (f.resolved) resolved[key] = list;
    else filters.push(plainFilter(col, list));
  }
  return {
    filters,
    resolved,
    sort: parseSort(parsed.sort as string | undefined, spec),
    limit: (parsed.limit as number | undefined) ?? null,
    marker: (parsed.marker as string | undefined) ?? null,
    projectSafe: parsed.project_safe as boolean,
  };
}
