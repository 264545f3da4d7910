/**
 * Option definitions: the building blocks of the registry in `options.ts`. Every option knows
 * its type, default, help text and constraints; the registry is the single source for loading
 * senlin.conf, validating values, generating etc/senlin.conf.sample and the docs.
 */

/** Kinds of option values, named after oslo.config's types. */
export type OptionKind =
  | 'str'
  | 'int'
  | 'float'
  | 'bool'
  | 'list'
  | 'multistr'
  | 'port'
  | 'ip'
  | 'host'
  | 'uri';

/** One option of the registry. `T` is the type of its parsed value. */
export interface OptionDef<T> {
  readonly kind: OptionKind;
  readonly default: T;
  readonly help: string;
  /** Allowed values (str options). */
  readonly choices?: readonly string[];
  /** Bounds (int/float/port options). */
  readonly min?: number;
  readonly max?: number;
  /** Value is a secret: never logged, shown as `<None>` in the sample. */
  readonly secret?: boolean;
  /** Text shown in the sample instead of the computed default (e.g. the host name). */
  readonly sampleDefault?: string;
  /** Older names that are still read (group may differ). */
  readonly deprecatedNames?: readonly { readonly group: string; readonly name: string }[];
  /** Declared for compatibility with upstream configuration files; not used by senlin-ts. */
  readonly unused?: boolean;
}

type Extra = Omit<Partial<OptionDef<unknown>>, 'kind' | 'default' | 'help'>;

/** String option; `null` default means "unset". */
export function str(help: string, def: string, extra?: Extra): OptionDef<string>;
export function str(help: string, def: null, extra?: Extra): OptionDef<string | null>;
export function str(help: string, def: string | null, extra: Extra = {}): OptionDef<string | null> {
  return { kind: 'str', default: def, help, ...extra };
}

/** Integer option. */
export function int(help: string, def: number, extra?: Extra): OptionDef<number>;
export function int(help: string, def: null, extra?: Extra): OptionDef<number | null>;
export function int(help: string, def: number | null, extra: Extra = {}): OptionDef<number | null> {
  return { kind: 'int', default: def, help, ...extra };
}

/** Floating point option. */
export function float(help: string, def: number, extra?: Extra): OptionDef<number>;
export function float(help: string, def: null, extra?: Extra): OptionDef<number | null>;
export function float(
  help: string,
  def: number | null,
  extra: Extra = {},
): OptionDef<number | null> {
  return { kind: 'float', default: def, help, ...extra };
}

/** Boolean option (true/false/yes/no/on/off/1/0, any case). */
export function bool(help: string, def: boolean, extra: Extra = {}): OptionDef<boolean> {
  return { kind: 'bool', default: def, help, ...extra };
}

/** Comma-separated list option. */
export function list(
  help: string,
  def: readonly string[],
  extra: Extra = {},
): OptionDef<readonly string[]> {
  return { kind: 'list', default: def, help, ...extra };
}

/** Option that may be given several times; every occurrence adds a value. */
export function multistr(
  help: string,
  def: readonly string[],
  extra: Extra = {},
): OptionDef<readonly string[]> {
  return { kind: 'multistr', default: def, help, ...extra };
}

/** TCP port option (0–65535). */
export function port(help: string, def: number, extra: Extra = {}): OptionDef<number> {
  return { kind: 'port', default: def, help, min: 0, max: 65535, ...extra };
}

/** IP address option. */
export function ip(help: string, def: string, extra: Extra = {}): OptionDef<string> {
  return { kind: 'ip', default: def, help, ...extra };
}

/** Host name or address option. */
export function host(help: string, def: string, extra?: Extra): OptionDef<string>;
export function host(help: string, def: null, extra?: Extra): OptionDef<string | null>;
export function host(
  help: string,
  def: string | null,
  extra: Extra = {},
): OptionDef<string | null> {
  return { kind: 'host', default: def, help, ...extra };
}

/** URI option (e.g. `transport_url`). */
export function uri(help: string, def: string, extra?: Extra): OptionDef<string>;
export function uri(help: string, def: null, extra?: Extra): OptionDef<string | null>;
export function uri(help: string, def: string | null, extra: Extra = {}): OptionDef<string | null> {
  return { kind: 'uri', default: def, help, ...extra };
}

/** A group of options keyed by option name. */
export type OptionGroup = Readonly<Record<string, OptionDef<unknown>>>;

/** The whole registry: groups keyed by section name (`DEFAULT`, `senlin_api`, ...). */
export type OptionRegistry = Readonly<Record<string, OptionGroup>>;

/** The parsed, frozen configuration matching a registry. */
export type ConfigOf<R extends OptionRegistry> = {
  readonly [G in keyof R]: {
    readonly [N in keyof R[G]]: R[G][N] extends OptionDef<infer T> ? T : never;
  };
};
