/**
 * Evaluation of parsed checks against credentials and a target, with oslo.policy's semantics:
 * values are compared as Python would print them (`True`, `False`, `None`), `%(name)s` in a
 * match is replaced from the target (a missing name makes the check fail), role names compare
 * without regard to case, and a generic check follows dotted credential paths into objects and
 * lists.
 */
import type { Check } from './checks.js';

/** Who is asking: the request context in oslo.policy's credential form. */
export type Credentials = Readonly<Record<string, unknown>>;

/** What is asked about, e.g. `{project_id, user_id}` of the object. */
export type Target = Readonly<Record<string, unknown>>;

/** Looks up a rule by name for `rule:` checks (default-rule fallback included), or undefined. */
export type RuleLookup = (name: string) => Check | undefined;

/** A value as Python's `str()` would show it. */
export function pythonString(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

function lookup(
  source: Readonly<Record<string, unknown>>,
  name: string,
): { value: unknown } | null {
  if (Object.hasOwn(source, name)) return { value: source[name] };
  // nested targets may be addressed with dotted names
  let current: unknown = source;
  for (const part of name.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) {
      return null;
    }
    current = (current as Record<string, unknown>)[part];
  }
  return { value: current };
}

/** Replaces `%(name)s` from the target and `%%` by `%`; null when a name is missing. */
export function substitute(match: string, target: Target): string | null {
  let missing = false;
  const out = match.replace(/%\(([^)]*)\)s|%%/g, (whole, name: string | undefined) => {
    if (name === undefined) return '%';
    const found = lookup(target, name);
    if (found === null) {
      missing = true;
      return whole;
    }
    return pythonString(found.value);
  });
  return missing ? null : out;
}

/** The value of a Python literal on the left of a generic check (`'x'`, `True`, `3`), or null. */
function literal(attr: string): string | null {
  const quoted = /^(['"])(.*)\1$/s.exec(attr);
  if (quoted) return quoted[2] ?? '';
  if (attr === 'True' || attr === 'False' || attr === 'None') return attr;
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(attr)) return String(Number(attr));
  return null;
}

function matchesPath(value: unknown, path: readonly string[], match: string): boolean {
  if (path.length === 0) {
    return Array.isArray(value)
      ? value.some((item) => matchesPath(item, path, match))
      : pythonString(value) === match;
  }
  if (Array.isArray(value)) return value.some((item) => matchesPath(item, path, match));
  if (value === null || typeof value !== 'object') return false;
  const [head, ...rest] = path as [string, ...string[]];
  if (!Object.hasOwn(value, head)) return false;
  return matchesPath((value as Record<string, unknown>)[head], rest, match);
}

/**
 * True when `check` passes. `active` holds the rules being evaluated: a rule that refers back
 * to itself fails instead of recursing forever.
 */
export function evaluate(
  check: Check,
  creds: Credentials,
  target: Target,
  rules: RuleLookup,
  active: ReadonlySet<string> = new Set(),
): boolean {
  switch (check.kind) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'not':
      return !evaluate(check.check, creds, target, rules, active);
    case 'and':
      return check.checks.every((c) => evaluate(c, creds, target, rules, active));
    case 'or':
      return check.checks.some((c) => evaluate(c, creds, target, rules, active));
    case 'rule': {
      const referred = rules(check.match);
      if (referred === undefined || active.has(check.match)) return false;
      return evaluate(referred, creds, target, rules, new Set([...active, check.match]));
    }
    case 'role': {
      const wanted = substitute(check.match, target);
      const roles = creds.roles;
      if (wanted === null || !Array.isArray(roles)) return false;
      const lowered = wanted.toLowerCase();
      return roles.some((role) => typeof role === 'string' && role.toLowerCase() === lowered);
    }
    case 'generic': {
      const wanted = substitute(check.match, target);
      if (wanted === null) return false;
      const value = literal(check.attr);
      if (value !== null) return value === wanted;
      return matchesPath(creds, check.attr.split('.'), wanted);
    }
  }
}
