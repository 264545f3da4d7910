/**
 * Conversions between JavaScript values and what the three SQL dialects store. Every dialect
 * is configured (see connection.ts) to hand times back as text, so one codec serves all.
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A Date as stored: `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (fixed width, so text sorts in time order). */
export function toDbTime(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds() * 1000, 6)}`;
}

/** A stored time back to a Date (UTC); accepts `T` or space, optional fraction and zone. */
export function fromDbTime(raw: string | Date | null | undefined): Date | null {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof Date) return raw;
  const m =
    /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]00(?::?00)?)?$/.exec(
      raw.trim(),
    );
  if (!m) return new Date(raw);
  const ms = m[7] ? Math.floor(Number(m[7].padEnd(6, '0')) / 1000) : 0;
  return new Date(
    Date.UTC(
      Number(m[1]),
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
      ms,
    ),
  );
}

/** A JSON value as stored text; `null`/`undefined` stay NULL. */
export function toDbJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Stored JSON text back to a value; NULL gives null. */
export function fromDbJson<T = unknown>(raw: string | null | undefined): T | null {
  if (raw === null || raw === undefined) return null;
  return JSON.parse(raw) as T;
}

/** A boolean as stored (0/1 works for SQLite, MySQL TINYINT and PostgreSQL boolean). */
export function toDbBool(value: boolean | null | undefined): number | null {
  return value === null || value === undefined ? null : value ? 1 : 0;
}

/** A stored boolean back to a boolean; NULL gives null. */
export function fromDbBool(raw: number | boolean | string | null | undefined): boolean | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'string') return raw === '1' || raw.toLowerCase() === 'true' || raw === 't';
  return Boolean(raw);
}

/** A stored decimal (string on PostgreSQL/MySQL) back to a number; NULL gives null. */
export function fromDbNumber(raw: number | string | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  return typeof raw === 'number' ? raw : Number(raw);
}
