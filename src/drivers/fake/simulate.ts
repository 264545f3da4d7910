/**
 * Failure and delay hints carried by the resources themselves:
 * - `simulated_fail`: operations that fail, comma-separated (`create`, `delete,reboot`, …);
 * - `simulated_wait_time`: seconds each transition of the resource takes.
 * Servers and volumes read them from their metadata, stacks from their parameters or tags
 * (`simulated_fail=create`), Octavia objects from their tags.
 */

/** Metadata/parameter key naming the operations that fail. */
export const FAIL_KEY = 'simulated_fail';
/** Metadata/parameter key giving the duration of transitions in seconds. */
export const WAIT_KEY = 'simulated_wait_time';

/** Hints of one resource. */
export interface Hints {
  /** Lower-case operation names that fail. */
  readonly fail: ReadonlySet<string>;
  /** Transition duration in milliseconds, or null for the cloud's default. */
  readonly waitMs: number | null;
}

/** No hints. */
export const NO_HINTS: Hints = { fail: new Set(), waitMs: null };

function parseFail(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(parseFail);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

function parseWait(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n * 1000 : null;
}

/** Hints from a key/value map (server or volume metadata, stack parameters). */
export function hintsFromMap(map: unknown): Hints {
  if (!map || typeof map !== 'object') return NO_HINTS;
  const m = map as Record<string, unknown>;
  if (!(FAIL_KEY in m) && !(WAIT_KEY in m)) return NO_HINTS;
  return { fail: new Set(parseFail(m[FAIL_KEY])), waitMs: parseWait(m[WAIT_KEY]) };
}

/** Splits tags given as a list or a comma-separated string. */
export function tagList(tags: unknown): string[] {
  if (Array.isArray(tags)) return tags.filter((t): t is string => typeof t === 'string');
  if (typeof tags === 'string')
    return tags
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  return [];
}

/** Hints from tags of the form `simulated_fail=<op>` and `simulated_wait_time=<s>`. */
export function hintsFromTags(tags: unknown): Hints {
  const fail: string[] = [];
  let waitMs: number | null = null;
  for (const tag of tagList(tags)) {
    const eq = tag.indexOf('=');
    if (eq < 0) continue;
    const key = tag.slice(0, eq).trim();
    const value = tag.slice(eq + 1);
    if (key === FAIL_KEY) fail.push(...parseFail(value));
    else if (key === WAIT_KEY) waitMs = parseWait(value);
  }
  if (fail.length === 0 && waitMs === null) return NO_HINTS;
  return { fail: new Set(fail), waitMs };
}

/** Both sets of hints combined (the first wait time given wins). */
export function mergeHints(a: Hints, b: Hints): Hints {
  if (a === NO_HINTS) return b;
  if (b === NO_HINTS) return a;
  return { fail: new Set([...a.fail, ...b.fail]), waitMs: a.waitMs ?? b.waitMs };
}
