/** Support status of plugin type versions, as the type listing and show APIs report it. */

/** Status names a type version can have. */
export const SupportStatus = {
  SUPPORTED: 'SUPPORTED',
  EXPERIMENTAL: 'EXPERIMENTAL',
  DEPRECATED: 'DEPRECATED',
  UNSUPPORTED: 'UNSUPPORTED',
} as const;

/** One of the status names. */
export type SupportStatusName = (typeof SupportStatus)[keyof typeof SupportStatus];

/** A status and the release (`YYYY.MM`) since when it holds. */
export interface SupportStatusEntry {
  readonly status: SupportStatusName;
  readonly since: string;
}

/** Version → history of its statuses, oldest first. */
export type SupportStatusMap = { readonly [version: string]: readonly SupportStatusEntry[] };

/**
 * The part of a type's status map that a list entry shows: only the given version
 * (`{}` when the map does not know it).
 */
export function supportStatusOf(map: SupportStatusMap, version: string): SupportStatusMap {
  const entries = Object.hasOwn(map, version) ? map[version] : undefined;
  return entries === undefined ? {} : { [version]: entries };
}

/** A JSON-ready deep copy of a status map. */
export function supportStatusToWire(map: SupportStatusMap): {
  [version: string]: { status: SupportStatusName; since: string }[];
} {
  const out: { [version: string]: { status: SupportStatusName; since: string }[] } = {};
  for (const [version, entries] of Object.entries(map)) {
    out[version] = entries.map((e) => ({ status: e.status, since: e.since }));
  }
  return out;
}
